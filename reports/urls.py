from django.urls import path, register_converter

from reports.views import drafting, public, unit_results, verification


class OpenDataFormat:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OpenDataFormat, "datafmt")

app_name = "reports"
urlpatterns = [
    # Public pages of published results (Vietnamese addresses: the public reads them).
    path("ket-qua/<int:year>/<slug:block_code>/", public.rankings, name="rankings"),
    path("don-vi/<slug:code>/", public.unit_profile, name="unit_profile"),
    path("quyet-dinh/", public.decision_list, name="decision_list"),
    path("quyet-dinh/<int:pk>/", public.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/pdf/", public.decision_pdf, name="decision_pdf"),
    path(
        "so-sanh/<int:year_a>/<int:year_b>/<slug:block_code>/",
        public.compare,
        name="compare",
    ),
    path("phuong-phap/", public.methodology, name="methodology"),
    path(
        "phuong-phap/<int:year>/<slug:block_code>/",
        public.methodology_block,
        name="methodology_block",
    ),
    path("du-lieu-mo/", public.open_data_list, name="open_data"),
    path(
        "du-lieu-mo/<int:year>/<slug:block_code>.<datafmt:fmt>",
        public.open_data_file,
        name="open_data_file",
    ),
    path(
        "du-lieu-mo/<int:year>/<slug:block_code>/thong-ke.<datafmt:fmt>",
        public.open_data_statistics,
        name="open_data_statistics",
    ),
    path("xac-thuc/", verification.verify, name="verify"),
    path("xac-thuc/<str:sha256>/", verification.verify_digest, name="verify_digest"),
    # A unit's detailed results (staff and the unit's members; provisional before publication).
    path(
        "units/<slug:code>/results/<int:year>/",
        unit_results.unit_results,
        name="unit_results",
    ),
    # Drafting and publishing (staff only).
    path(
        "campaigns/<int:year>/decisions/",
        drafting.decision_list_staff,
        name="decision_list_staff",
    ),
    path(
        "campaigns/<int:year>/decisions/new/",
        drafting.decision_create,
        name="decision_create",
    ),
    path("quyet-dinh/<int:pk>/sua/", drafting.decision_edit, name="decision_edit"),
    path("quyet-dinh/<int:pk>/xem-truoc/", drafting.decision_preview, name="decision_preview"),
    path(
        "quyet-dinh/<int:pk>/xem-truoc.pdf",
        drafting.decision_preview_pdf,
        name="decision_preview_pdf",
    ),
    path("quyet-dinh/<int:pk>/cong-bo/", drafting.decision_publish, name="decision_publish"),
    path(
        "quyet-dinh/<int:pk>/cong-bo/tien-do/",
        drafting.decision_publication,
        name="decision_publication",
    ),
    path(
        "quyet-dinh/<int:pk>/cong-bo/thu-lai/",
        drafting.decision_publication_retry,
        name="decision_publication_retry",
    ),
    path(
        "quyet-dinh/<int:pk>/cong-bo/huy/",
        drafting.decision_publication_cancel,
        name="decision_publication_cancel",
    ),
    path("quyet-dinh/<int:pk>/dinh-chinh/", drafting.decision_correct, name="decision_correct"),
]
