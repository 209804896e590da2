"""URLs of the assessment workflow, under /assessments/ (namespace "assessments")."""

from django.urls import path

from scoring import views_appraisal, views_imports, views_self_assessment

app_name = "assessments"
urlpatterns = [
    # The unit's screens: its assessment, the self-assessment sheet, evidence, submission.
    path("<int:pk>/", views_self_assessment.assessment_detail, name="assessment_detail"),
    path("<int:pk>/self/", views_self_assessment.self_assessment, name="self_assessment"),
    path(
        "<int:pk>/self/<int:criterion_pk>/",
        views_self_assessment.score_self,
        name="score_self",
    ),
    path(
        "<int:pk>/self/<int:criterion_pk>/evidence/",
        views_self_assessment.evidence_upload,
        name="evidence_upload",
    ),
    path("<int:pk>/submit/", views_self_assessment.submit, name="submit"),
    path("<int:pk>/withdraw/", views_self_assessment.withdraw, name="withdraw"),
    path("<int:pk>/reopen/", views_self_assessment.reopen, name="reopen"),
    # The scoring sheet as a workbook: downloaded, filled in, sent back.
    path("<int:pk>/sheet.xlsx", views_imports.sheet_download, name="sheet_download"),
    path("<int:pk>/sheet/", views_imports.sheet_upload, name="sheet_upload"),
    path("evidence/<int:pk>/", views_self_assessment.evidence_download, name="evidence_download"),
    path(
        "evidence/<int:pk>/remove/",
        views_self_assessment.evidence_remove,
        name="evidence_remove",
    ),
    # Appraisal, the unit's explanation (giải trình) and a leaf's history.
    path("appraisal/", views_appraisal.appraisal_list, name="appraisal_list"),
    path("<int:pk>/appraise/", views_appraisal.appraise, name="appraise"),
    path("<int:pk>/appraise/accept/", views_appraisal.appraise_accept, name="appraise_accept"),
    path("<int:pk>/appraise/start/", views_appraisal.appraisal_start, name="appraisal_start"),
    path("<int:pk>/appraise/return/", views_appraisal.appraisal_return, name="appraisal_return"),
    path(
        "<int:pk>/appraise/finalise/",
        views_appraisal.appraisal_finalise,
        name="appraisal_finalise",
    ),
    path(
        "<int:pk>/appraise/<int:score_pk>/",
        views_appraisal.appraise_score,
        name="appraise_score",
    ),
    path(
        "<int:pk>/appraise/<int:score_pk>/accept-reply/",
        views_appraisal.appraise_accept_reply,
        name="appraise_accept_reply",
    ),
    path("<int:pk>/explain/", views_appraisal.explain, name="explain"),
    path("<int:pk>/explain/send/", views_appraisal.explain_send, name="explain_send"),
    path("<int:pk>/explain/<int:score_pk>/", views_appraisal.explain_reply, name="explain_reply"),
    path(
        "<int:pk>/explain/<int:score_pk>/evidence/",
        views_appraisal.explain_evidence,
        name="explain_evidence",
    ),
    path(
        "<int:pk>/history/<int:score_pk>/",
        views_appraisal.score_history,
        name="score_history",
    ),
]
