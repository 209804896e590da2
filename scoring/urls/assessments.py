"""URLs of the assessment workflow, under /assessments/ (namespace "assessments")."""

from django.urls import path

from scoring.views import appraisal, evidence, explanation, overview, self_assessment, workbooks

app_name = "assessments"
urlpatterns = [
    # The unit's screens: its assessment, the self-assessment sheet, evidence, submission.
    path("<int:pk>/", self_assessment.assessment_detail, name="assessment_detail"),
    path("<int:pk>/self/", self_assessment.self_assessment, name="self_assessment"),
    path(
        "<int:pk>/self/<int:criterion_pk>/",
        self_assessment.score_self,
        name="score_self",
    ),
    path(
        "<int:pk>/self/<int:criterion_pk>/evidence/",
        evidence.evidence_upload,
        name="evidence_upload",
    ),
    path("<int:pk>/submit/", self_assessment.submit, name="submit"),
    path("<int:pk>/withdraw/", self_assessment.withdraw, name="withdraw"),
    path("<int:pk>/reopen/", self_assessment.reopen, name="reopen"),
    # Staff for a late unit: acting on its behalf, or giving it more time.
    path("<int:pk>/submit-for/", overview.submit_for, name="submit_for"),
    path(
        "<int:pk>/appraise-unsubmitted/",
        overview.appraise_unsubmitted,
        name="appraise_unsubmitted",
    ),
    path("<int:pk>/close-explanation/", overview.close_explanation, name="close_explanation"),
    path("<int:pk>/extend/", overview.extend, name="extend"),
    # The scoring sheet as a workbook: downloaded, filled in, sent back.
    path("<int:pk>/sheet.xlsx", workbooks.sheet_download, name="sheet_download"),
    path("<int:pk>/sheet/", workbooks.sheet_upload, name="sheet_upload"),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence_download"),
    path(
        "evidence/<int:pk>/remove/",
        evidence.evidence_remove,
        name="evidence_remove",
    ),
    # Appraisal, the unit's explanation (giải trình) and a leaf's history.
    path("appraisal/", appraisal.appraisal_list, name="appraisal_list"),
    path("<int:pk>/appraise/", appraisal.appraise, name="appraise"),
    path("<int:pk>/appraise/accept/", appraisal.appraise_accept, name="appraise_accept"),
    path("<int:pk>/appraise/start/", appraisal.appraisal_start, name="appraisal_start"),
    path("<int:pk>/appraise/return/", appraisal.appraisal_return, name="appraisal_return"),
    path(
        "<int:pk>/appraise/finalise/",
        appraisal.appraisal_finalise,
        name="appraisal_finalise",
    ),
    path(
        "<int:pk>/appraise/<int:score_pk>/",
        appraisal.appraise_score,
        name="appraise_score",
    ),
    path(
        "<int:pk>/appraise/<int:score_pk>/accept-reply/",
        appraisal.appraise_accept_reply,
        name="appraise_accept_reply",
    ),
    path("<int:pk>/explain/", explanation.explain, name="explain"),
    path("<int:pk>/explain/send/", explanation.explain_send, name="explain_send"),
    path("<int:pk>/explain/<int:score_pk>/", explanation.explain_reply, name="explain_reply"),
    path(
        "<int:pk>/explain/<int:score_pk>/evidence/",
        explanation.explain_evidence,
        name="explain_evidence",
    ),
    path(
        "<int:pk>/history/<int:score_pk>/",
        appraisal.score_history,
        name="score_history",
    ),
]
