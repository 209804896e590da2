"""Rows of the Django admin: the operator's tool of the Interior Department's staff.

Staff (is_staff, with the staff group's model permissions, units.permissions) edit the
reference data there; what the workflow writes they may only see
(cchc_portal.read_only_admin); accounts' records and the machinery they may not open.
Everyone else is sent to the admin's login page.
"""

from tests.cchc_portal.access_rows import DENIED, HIDDEN, MOVED, NO, OK, Row, admin, everyone

ROWS: dict[str, Row] = {
    # -- the admin's own pages --------------------------------------------------------------
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

# Every model registered in the admin has the same six URLs, each a (GET, POST) pair here.
# Empty POSTs change nothing: the add and change forms come back with their errors, a
# delete asks for its confirmation again.
EDITS = {"changelist": (OK, OK), "add": (OK, OK), "history": (OK, OK), "delete": (OK, OK)}
EDITS |= {"change": (OK, OK)}
# Shown, never added, changed or deleted: the change page shows the row read-only, and a
# POST to it is refused before any form is read.
VIEW_ONLY = {"changelist": (OK, OK), "add": (DENIED, DENIED), "history": (OK, OK)}
VIEW_ONLY |= {"delete": (DENIED, DENIED), "change": (OK, DENIED)}
CLOSED = {view: (DENIED, DENIED) for view in EDITS}
# The world holds no row of these: the admin says "no such object" before it asks.
CLOSED_EMPTY = CLOSED | {"history": (MOVED, MOVED)}
ADMIN_MODELS = {
    # Accounts: staff see them, never change them; staff's accounts pages are the way.
    "auth.group": VIEW_ONLY,
    "auth.user": VIEW_ONLY,
    # Records of the accounts pages and of the logins: not for staff in the admin (the
    # accounts and lockout pages show them), and never editable by anyone there.
    "accounts.rolechange": CLOSED,
    "accounts.invitation": CLOSED,
    "accounts.lockoutrelease": CLOSED_EMPTY,
    "axes.accessattempt": CLOSED_EMPTY,
    "axes.accesslog": CLOSED,  # the personas' logins wrote one
    "axes.accessfailurelog": CLOSED_EMPTY,
    # The machinery: background tasks.
    "django_tasks_database.dbtaskresult": CLOSED_EMPTY,
    # Reference data: staff keep it here.
    "units.province": EDITS,
    "units.block": EDITS,
    "units.unit": EDITS,
    "scoring.framework": EDITS,
    "scoring.criterion": EDITS,
    "scoring.campaignblock": EDITS,
    "scoring.campaign": EDITS,
    # What the workflow writes, through services that check the actor and the state and
    # keep the history: shown read-only.
    "units.membership": VIEW_ONLY,
    "scoring.assessment": VIEW_ONLY,
    "scoring.assessmentevent": VIEW_ONLY,
    "scoring.score": VIEW_ONLY,
    "scoring.historicalscore": VIEW_ONLY,
    "scoring.evidence": VIEW_ONLY,
    "scoring.surveyresult": VIEW_ONLY,
    "scoring.result": VIEW_ONLY,
    # A published decision never changes, and a draft changes on the drafting pages.
    "reports.decision": VIEW_ONLY,
}
for _model, _views in ADMIN_MODELS.items():
    _app, _name = _model.split(".")
    for _view, (_get, _post) in _views.items():
        ROWS[f"admin:{_app}_{_name}_{_view}"] = admin(_get, _post)
    # The old address of an object's page: on to its change page (or, without a row, the index).
    ROWS[f"admin/{_app}/{_name}/<path:object_id>/"] = admin(MOVED, MOVED)
