"""Who may reach every URL: one row per URL name (or route, for an unnamed one).

Columns, in this order: anonymous, staff, the appraiser assigned to unit A, unit A's
editor and head, unit B's editor and head. Outcomes:

  OK 200 · LOGIN a redirect to a login page · DENIED 403 (may see, may not do)
  · HIDDEN 404 (an outsider learns nothing) · NO 405 (method not allowed)
  · BAD 400 (an empty form refused) · MOVED a redirect elsewhere (done, or moved).

Requests carry no form data, so an allowed POST either succeeds (MOVED: the change,
rolled back by the test, and a redirect) or is refused with its page (OK / BAD).
Assessment URLs are walked in three states (access_world.STATE_YEARS); a cell that
differs between them is a dict of state → outcome.
"""

from dataclasses import dataclass

OK, LOGIN, DENIED, HIDDEN, NO, BAD, MOVED = "200", "login", "403", "404", "405", "400", "moved"
ASSESSMENT_NAMESPACE = "assessments"

Cells = tuple  # seven outcomes, one per persona; an outcome may be a {state: outcome} dict


@dataclass(frozen=True)
class Row:
    get: Cells
    post: Cells


def expected_for(row: Row, method: str, state: str) -> list[str]:
    cells = row.get if method == "GET" else row.post
    return [cell[state] if isinstance(cell, dict) else cell for cell in cells]


def everyone(outcome: str) -> Cells:
    return (outcome,) * 7


def signed_in(outcome: str) -> Cells:
    """Anyone logged in gets `outcome`; a visitor is asked to log in."""
    return (LOGIN, *(outcome,) * 6)


def staff_only(outcome: str) -> Cells:
    """Interior Department staff get `outcome`; everyone else logged in is refused."""
    return (LOGIN, outcome, DENIED, DENIED, DENIED, DENIED, DENIED)


def by_state(*, draft: str, in_appraisal: str, returned: str) -> dict[str, str]:
    return {"draft": draft, "in_appraisal": in_appraisal, "returned": returned}


PUBLIC = Row(get=everyone(OK), post=everyone(NO))
STAFF_PAGE = Row(get=staff_only(OK), post=staff_only(NO))
# Staff pages that answer a POST as a GET (no method restriction): nothing to post to.
STAFF_ANY_METHOD = Row(get=staff_only(OK), post=staff_only(OK))


def admin(get: str, post: str) -> Row:
    """The Django admin: staff (is_staff, the staff group's model permissions) get `get` and
    `post`; everyone else is sent to the admin's login page."""
    return Row(get=(LOGIN, get, *(LOGIN,) * 5), post=(LOGIN, post, *(LOGIN,) * 5))


# On one assessment of unit A: who holds a role on it sees it, unit B learns nothing.
A_ROLES = (LOGIN, OK, OK, OK, OK, HIDDEN, HIDDEN)
A_ROLES_GET = Row(get=A_ROLES, post=everyone(NO))
# Posts of the unit's officers: staff and the appraiser may look, not act.
UNIT = (DENIED, DENIED)
B = (HIDDEN, HIDDEN)
# Appraisal: staff and the assigned appraiser; the unit may not (403), B learns nothing.
APPRAISERS_POST = Row(get=(LOGIN, *(NO,) * 6), post=(LOGIN, OK, OK, DENIED, DENIED, *B))
# Explanation: the unit's officers, once the appraisal came back to them.
EXPLAIN_POST = Row(
    get=(LOGIN, *(NO,) * 6),
    post=(
        LOGIN,
        *UNIT,
        by_state(draft=DENIED, in_appraisal=DENIED, returned=MOVED),
        by_state(draft=DENIED, in_appraisal=DENIED, returned=MOVED),
        *B,
    ),
)

TABLE: dict[str, Row] = {
    # -- the project's own pages ------------------------------------------------------------
    "home": Row(get=everyone(OK), post=everyone(OK)),
    "healthz": Row(get=everyone(OK), post=everyone(OK)),
    "set_language": Row(get=everyone(MOVED), post=everyone(MOVED)),
    "favicon.ico": Row(get=everyone(MOVED), post=everyone(MOVED)),
    "login": Row(get=everyone(OK), post=everyone(OK)),
    "logout": Row(get=everyone(NO), post=everyone(MOVED)),
    "accounts:password_change": Row(get=signed_in(OK), post=signed_in(OK)),
    "accounts:password_change_done": Row(get=signed_in(OK), post=signed_in(NO)),
    "accounts:password_reset": Row(get=everyone(OK), post=everyone(OK)),
    "accounts:password_reset_done": Row(get=everyone(OK), post=everyone(NO)),
    "accounts:password_reset_confirm": Row(get=everyone(OK), post=everyone(OK)),
    "accounts:password_reset_complete": Row(get=everyone(OK), post=everyone(NO)),
    "accounts:lockout_list": STAFF_PAGE,
    "accounts:lockout_release": Row(get=staff_only(NO), post=staff_only(BAD)),
    # -- staff pages: units, frameworks, campaigns ------------------------------------------
    "units:unit_list": STAFF_ANY_METHOD,
    "units:unit_detail": STAFF_ANY_METHOD,
    "frameworks:framework_list": STAFF_ANY_METHOD,
    "frameworks:framework_detail": STAFF_ANY_METHOD,
    "frameworks:framework_import": STAFF_ANY_METHOD,
    # The method is checked first: a POST is 405 before anyone is asked to log in.
    "frameworks:framework_export": Row(get=staff_only(OK), post=everyone(NO)),
    "frameworks:framework_clone": Row(get=everyone(NO), post=staff_only(OK)),
    "campaigns:campaign_list": STAFF_ANY_METHOD,
    "campaigns:campaign_detail": STAFF_ANY_METHOD,
    "campaigns:campaign_dashboard": STAFF_PAGE,
    "campaigns:campaign_results": STAFF_ANY_METHOD,
    "campaigns:campaign_results_compute": Row(get=staff_only(NO), post=staff_only(MOVED)),
    "campaigns:campaign_appraisers": STAFF_ANY_METHOD,
    "campaigns:campaign_appraiser_remove": Row(get=staff_only(NO), post=staff_only(MOVED)),
    "campaigns:survey_import": STAFF_ANY_METHOD,
    "^frameworks/campaigns/(?P<rest>.*)$": Row(get=everyone(MOVED), post=everyone(MOVED)),
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
    # -- public pages of published results --------------------------------------------------
    "reports:rankings": PUBLIC,
    "reports:unit_profile": PUBLIC,
    "reports:decision_list": PUBLIC,
    "reports:decision_detail": PUBLIC,
    "reports:decision_pdf": PUBLIC,
    "reports:compare": PUBLIC,
    "reports:methodology": PUBLIC,
    "reports:methodology_block": PUBLIC,
    "reports:open_data": PUBLIC,
    "reports:open_data_file": PUBLIC,
    "reports:verify": Row(get=everyone(OK), post=everyone(OK)),
    "reports:verify_digest": PUBLIC,
    # A unit's detailed results: staff and the unit's members; 404 to anyone else.
    "reports:unit_results": Row(
        get=(LOGIN, OK, HIDDEN, OK, OK, HIDDEN, HIDDEN),
        post=(LOGIN, OK, HIDDEN, OK, OK, HIDDEN, HIDDEN),
    ),
    # -- drafting and publishing a decision (staff) -----------------------------------------
    "reports:decision_list_staff": STAFF_PAGE,
    "reports:decision_create": STAFF_ANY_METHOD,
    "reports:decision_edit": STAFF_ANY_METHOD,
    "reports:decision_preview": STAFF_PAGE,
    "reports:decision_preview_pdf": STAFF_PAGE,
    # Refused: the campaign's assessments are not appraised; the preview says why.
    "reports:decision_publish": Row(get=staff_only(NO), post=staff_only(OK)),
    # Not being published: back to the preview.
    "reports:decision_publication": Row(get=staff_only(MOVED), post=staff_only(NO)),
    "reports:decision_publication_cancel": Row(get=staff_only(NO), post=staff_only(MOVED)),
    "reports:decision_correct": Row(get=staff_only(NO), post=staff_only(BAD)),
    # -- the admin: the operator's tool of the Interior Department's staff -----------------
    "admin:index": admin(OK, OK),
    # Staff are logged in already: on to the admin's index. Anyone else sees the form.
    "admin:login": Row(get=(OK, MOVED, *(OK,) * 5), post=everyone(OK)),
    "admin:logout": Row(get=(MOVED, NO, *(MOVED,) * 5), post=everyone(MOVED)),
    "admin:password_change": admin(OK, OK),
    "admin:password_change_done": admin(OK, NO),
    "admin:autocomplete": admin(DENIED, NO),
    "admin:jsi18n": admin(OK, NO),
    "admin:view_on_site": admin(HIDDEN, HIDDEN),  # a unit has no page of its own there
    "admin:app_list": admin(OK, OK),
    # Staff may see accounts, never change them (a password, superuser rights).
    "admin:auth_user_password_change": admin(DENIED, DENIED),
    "admin/(?P<url>.*)$": admin(HIDDEN, HIDDEN),
}

# Every model registered in the admin has the same six URLs. What staff may do there is
# units.permissions: everything on the portal's own models, view-only on accounts, nothing
# on the machinery. Empty POSTs change nothing: the add and change forms come back with
# their errors, a delete asks for its confirmation again.
FULL = {"changelist": (OK, OK), "add": (OK, OK), "history": (OK, OK), "delete": (OK, OK)}
FULL |= {"change": (OK, OK)}
VIEW_ONLY = {"changelist": (OK, OK), "add": (DENIED, DENIED), "history": (OK, OK)}
VIEW_ONLY |= {"delete": (DENIED, DENIED), "change": (OK, DENIED)}
CLOSED = {view: (DENIED, DENIED) for view in FULL}
# The world holds no row of these: the admin says "no such object" before it asks.
CLOSED_EMPTY = CLOSED | {"history": (MOVED, MOVED)}
ADMIN_MODELS = {
    "auth.group": VIEW_ONLY,
    "auth.user": VIEW_ONLY,
    "django_tasks_database.dbtaskresult": CLOSED_EMPTY,
    "axes.accessattempt": CLOSED_EMPTY,
    "axes.accesslog": CLOSED,  # the personas' logins wrote one
    "axes.accessfailurelog": CLOSED_EMPTY,
    "accounts.lockoutrelease": CLOSED_EMPTY,
    "units.province": FULL,
    "units.block": FULL,
    "units.unit": FULL,
    "units.membership": FULL,
    "scoring.framework": FULL,
    "scoring.criterion": FULL,
    "scoring.campaignblock": FULL,
    "scoring.campaign": FULL,
    "scoring.assessment": FULL,
    "scoring.score": FULL,
    "scoring.surveyresult": FULL,
    # A published decision never changes: not through the admin either.
    "reports.decision": FULL | {"delete": (DENIED, DENIED), "change": (OK, DENIED)},
}
for _model, _views in ADMIN_MODELS.items():
    _app, _name = _model.split(".")
    for _view, (_get, _post) in _views.items():
        TABLE[f"admin:{_app}_{_name}_{_view}"] = admin(_get, _post)
    # The old address of an object's page: on to its change page (or, without a row, the index).
    TABLE[f"admin/{_app}/{_name}/<path:object_id>/"] = admin(MOVED, MOVED)
