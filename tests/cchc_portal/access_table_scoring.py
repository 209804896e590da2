"""Rows of the staff pages (units, frameworks, campaigns) and of one assessment's workflow."""

from tests.cchc_portal.access_rows import (
    A_ROLES,
    A_ROLES_GET,
    APPRAISERS_POST,
    DENIED,
    EXPLAIN_POST,
    LOGIN,
    MOVED,
    NO,
    OK,
    STAFF_ANY_METHOD,
    STAFF_FORM,
    STAFF_PAGE,
    STAFF_READ,
    UNIT,
    B,
    Row,
    by_state,
    everyone,
    signed_in,
    staff_action,
    staff_only,
    staff_post,
)

# A step staff take for a late unit (on its behalf, or more time): staff only; the appraiser
# and the unit may look at the assessment, not act (403); unit B learns nothing (404). An
# empty form comes back on the overview page with its errors.
STAFF_STEP = Row(get=everyone(NO), post=(LOGIN, OK, DENIED, *UNIT, *B))

ROWS: dict[str, Row] = {
    # -- units, and the units workbook (staff) ----------------------------------------------
    "units:unit_list": STAFF_ANY_METHOD,
    "units:unit_detail": STAFF_ANY_METHOD,
    "unit_workbook:units_import": STAFF_FORM,
    # No file held for confirmation: back to the upload.
    "unit_workbook:units_import_confirm": staff_post(MOVED),
    "unit_workbook:units_export": STAFF_READ,
    # -- criteria frameworks (staff) --------------------------------------------------------
    "frameworks:framework_list": STAFF_ANY_METHOD,
    "frameworks:framework_detail": STAFF_ANY_METHOD,
    "frameworks:framework_import": STAFF_ANY_METHOD,
    # The method is checked first: a POST is 405 before anyone is asked to log in.
    "frameworks:framework_export": STAFF_READ,
    "frameworks:framework_clone": Row(get=everyone(NO), post=staff_only(OK)),
    # -- a year's campaign: its pages, results and appraisers (staff) -----------------------
    "campaigns:campaign_list": STAFF_ANY_METHOD,
    "campaigns:campaign_create": STAFF_FORM,
    "campaigns:published_table_import": STAFF_FORM,
    "campaigns:campaign_detail": STAFF_ANY_METHOD,
    "campaigns:campaign_dashboard": STAFF_PAGE,
    "campaigns:campaign_results": STAFF_ANY_METHOD,
    "campaigns:campaign_results_compute": staff_action(MOVED),
    "campaigns:campaign_appraisers": STAFF_ANY_METHOD,
    "campaigns:campaign_appraiser_remove": staff_action(MOVED),
    "campaigns:survey_import": STAFF_ANY_METHOD,
    "campaigns:survey_template": STAFF_READ,
    "campaigns:scores_template": STAFF_READ,
    "^frameworks/campaigns/(?P<rest>.*)$": Row(get=everyone(MOVED), post=everyone(MOVED)),
    # -- setting the campaign up (staff): an empty or refused post comes back on the page ---
    "campaigns:campaign_setup": STAFF_PAGE,
    # Every deadline is optional: an empty form says "no deadlines", which it saves.
    "campaigns:campaign_deadlines": staff_action(MOVED),
    "campaigns:campaign_block_add": staff_action(OK),
    "campaigns:campaign_tiers": staff_action(OK),
    # The campaign is open with assessments of the block: refused, the page says why.
    "campaigns:campaign_block_remove": staff_action(OK),
    "campaigns:campaign_answers": staff_action(OK),
    # Run again on an open campaign, it adds the units that joined since: done.
    "campaigns:campaign_open": staff_action(MOVED),
    # -- running the season (staff): closing, reminders, a step for many units --------------
    "campaigns:campaign_self_assessment_close": STAFF_FORM,
    "campaigns:campaign_reminders": staff_action(MOVED),
    "campaigns:campaign_bulk": STAFF_FORM,
    # -- one assessment of unit A -----------------------------------------------------------
    "assessments:assessment_detail": A_ROLES_GET,
    "assessments:self_assessment": A_ROLES_GET,
    "assessments:sheet_download": A_ROLES_GET,
    "assessments:evidence_download": A_ROLES_GET,
    "assessments:score_history": Row(get=A_ROLES, post=signed_in(NO)),
    "assessments:score_self": Row(
        get=everyone(NO),
        post=(
            LOGIN,
            *UNIT,
            by_state(draft=MOVED, in_appraisal=OK, returned=OK),
            by_state(draft=MOVED, in_appraisal=OK, returned=OK),
            *B,
        ),
    ),
    "assessments:evidence_upload": Row(get=everyone(NO), post=(LOGIN, *UNIT, OK, OK, *B)),
    # Refused or done, the removal goes back to the sheet with a message.
    "assessments:evidence_remove": Row(get=everyone(NO), post=(LOGIN, *UNIT, MOVED, MOVED, *B)),
    "assessments:sheet_upload": Row(
        get=(LOGIN, *UNIT, OK, OK, *B), post=(LOGIN, *UNIT, OK, OK, *B)
    ),
    # The head submits; the review page is for everyone with a role.
    "assessments:submit": Row(
        get=A_ROLES,
        post=(
            LOGIN,
            *UNIT,
            DENIED,
            by_state(draft=MOVED, in_appraisal=OK, returned=OK),
            *B,
        ),
    ),
    "assessments:withdraw": Row(get=everyone(NO), post=(LOGIN, *UNIT, DENIED, OK, *B)),
    "assessments:reopen": Row(get=everyone(NO), post=(LOGIN, OK, DENIED, DENIED, DENIED, *B)),
    # -- staff's steps for a late unit ------------------------------------------------------
    "assessments:submit_for": STAFF_STEP,
    "assessments:appraise_unsubmitted": STAFF_STEP,
    "assessments:close_explanation": STAFF_STEP,
    "assessments:extend": STAFF_STEP,
    # -- appraisal: staff and the assigned appraiser ----------------------------------------
    "assessments:appraisal_list": Row(
        get=(LOGIN, OK, OK, DENIED, DENIED, DENIED, DENIED), post=signed_in(NO)
    ),
    "assessments:appraise": Row(get=(LOGIN, OK, OK, DENIED, DENIED, *B), post=signed_in(NO)),
    "assessments:appraise_accept": APPRAISERS_POST,
    "assessments:appraisal_start": APPRAISERS_POST,
    "assessments:appraisal_return": APPRAISERS_POST,
    "assessments:appraisal_finalise": APPRAISERS_POST,
    "assessments:appraise_score": APPRAISERS_POST,
    "assessments:appraise_accept_reply": APPRAISERS_POST,
    # -- the unit's explanation (giải trình), once the appraisal came back ------------------
    "assessments:explain": Row(
        get=(
            LOGIN,
            *UNIT,
            by_state(draft=DENIED, in_appraisal=DENIED, returned=OK),
            by_state(draft=DENIED, in_appraisal=DENIED, returned=OK),
            *B,
        ),
        post=signed_in(NO),
    ),
    "assessments:explain_reply": EXPLAIN_POST,
    # Only the head sends the explanation.
    "assessments:explain_send": Row(
        get=(LOGIN, *(NO,) * 6),
        post=(
            LOGIN,
            *UNIT,
            DENIED,
            by_state(draft=DENIED, in_appraisal=DENIED, returned=MOVED),
            *B,
        ),
    ),
    "assessments:explain_evidence": Row(
        get=(LOGIN, *(NO,) * 6),
        post=(
            LOGIN,
            *UNIT,
            by_state(draft=DENIED, in_appraisal=DENIED, returned=OK),
            by_state(draft=DENIED, in_appraisal=DENIED, returned=OK),
            *B,
        ),
    ),
}
