from django.urls import path, register_converter

from reports import views_drafting, views_public


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
    path("ket-qua/<int:year>/<slug:block_code>/", views_public.rankings, name="rankings"),
    path("don-vi/<slug:code>/", views_public.unit_profile, name="unit_profile"),
    path("quyet-dinh/", views_public.decision_list, name="decision_list"),
    path("quyet-dinh/<int:pk>/", views_public.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/pdf/", views_public.decision_pdf, name="decision_pdf"),
    path(
        "so-sanh/<int:year_a>/<int:year_b>/<slug:block_code>/",
        views_public.compare,
        name="compare",
    ),
    path("phuong-phap/", views_public.methodology, name="methodology"),
    path(
        "phuong-phap/<int:year>/<slug:block_code>/",
        views_public.methodology_block,
        name="methodology_block",
    ),
    path("du-lieu-mo/", views_public.open_data_list, name="open_data"),
    path(
        "du-lieu-mo/<int:year>/<slug:block_code>.<datafmt:fmt>",
        views_public.open_data_file,
        name="open_data_file",
    ),
    path("xac-thuc/", views_public.verify, name="verify"),
    path("xac-thuc/<str:sha256>/", views_public.verify_digest, name="verify_digest"),
    path("healthz", views_public.healthz, name="healthz"),
    # Drafting and publishing (staff only).
    path(
        "frameworks/campaigns/<int:year>/decisions/",
        views_drafting.decision_list_staff,
        name="decision_list_staff",
    ),
    path(
        "frameworks/campaigns/<int:year>/decisions/new/",
        views_drafting.decision_create,
        name="decision_create",
    ),
    path("quyet-dinh/<int:pk>/sua/", views_drafting.decision_edit, name="decision_edit"),
    path(
        "quyet-dinh/<int:pk>/xem-truoc/", views_drafting.decision_preview, name="decision_preview"
    ),
    path(
        "quyet-dinh/<int:pk>/xem-truoc.pdf",
        views_drafting.decision_preview_pdf,
        name="decision_preview_pdf",
    ),
    path("quyet-dinh/<int:pk>/cong-bo/", views_drafting.decision_publish, name="decision_publish"),
    path(
        "quyet-dinh/<int:pk>/cong-bo/tien-do/",
        views_drafting.decision_publication,
        name="decision_publication",
    ),
    path(
        "quyet-dinh/<int:pk>/cong-bo/huy/",
        views_drafting.decision_publication_cancel,
        name="decision_publication_cancel",
    ),
    path(
        "quyet-dinh/<int:pk>/dinh-chinh/", views_drafting.decision_correct, name="decision_correct"
    ),
]
