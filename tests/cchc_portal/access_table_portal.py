"""Rows of the project's own pages and of the accounts app (logins, staff's accounts pages)."""

from tests.cchc_portal.access_rows import (
    BAD,
    CONFLICT,
    MOVED,
    NO,
    OK,
    STAFF_FORM,
    STAFF_PAGE,
    STAFF_READ,
    Row,
    everyone,
    signed_in,
    staff_action,
    staff_post,
)

ROWS: dict[str, Row] = {
    # -- the project's own pages ------------------------------------------------------------
    "home": Row(get=everyone(OK), post=everyone(OK)),
    "healthz": Row(get=everyone(OK), post=everyone(OK)),
    "set_language": Row(get=everyone(MOVED), post=everyone(MOVED)),
    "favicon.ico": Row(get=everyone(MOVED), post=everyone(MOVED)),
    "login": Row(get=everyone(OK), post=everyone(OK)),
    "logout": Row(get=everyone(NO), post=everyone(MOVED)),
    # -- one's own password, and the lockouts staff release ---------------------------------
    "accounts:password_change": Row(get=signed_in(OK), post=signed_in(OK)),
    "accounts:password_change_done": Row(get=signed_in(OK), post=signed_in(NO)),
    "accounts:password_reset": Row(get=everyone(OK), post=everyone(OK)),
    "accounts:password_reset_done": Row(get=everyone(OK), post=everyone(NO)),
    "accounts:password_reset_confirm": Row(get=everyone(OK), post=everyone(OK)),
    "accounts:password_reset_complete": Row(get=everyone(OK), post=everyone(NO)),
    "accounts:lockout_list": STAFF_PAGE,
    "accounts:lockout_release": staff_action(BAD),
    # -- the province's accounts (staff); the world's account is an invited unit-A editor ---
    "accounts:account_list": STAFF_READ,
    "accounts:account_create": STAFF_FORM,
    "accounts:account_detail": STAFF_READ,
    # An empty form comes back on the account's page with its errors.
    "accounts:account_edit": staff_post(OK),
    "accounts:account_unit_role_set": staff_post(OK),
    # Done: back to the account's page.
    "accounts:account_unit_role_remove": staff_post(MOVED),
    "accounts:account_groups_set": staff_post(MOVED),
    "accounts:account_deactivate": staff_post(MOVED),
    # The account is active: refused, and the account's page says why.
    "accounts:account_reactivate": staff_post(CONFLICT),
    "accounts:invitation_send": staff_post(MOVED),
    # Importing accounts from a workbook: no file held for confirmation, back to the upload.
    "accounts:account_import": STAFF_FORM,
    "accounts:account_import_confirm": staff_post(MOVED),
    "accounts:account_import_template": STAFF_READ,
    # The invitation's link: anyone holding it; a wrong token says the link is not valid.
    "accounts:invitation_accept": Row(get=everyone(OK), post=everyone(OK)),
}
