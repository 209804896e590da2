"""Rows of the reports app: the public pages of published results, a unit's own results,
and drafting and publishing a decision (staff)."""

from tests.cchc_portal.access_rows import (
    BAD,
    HIDDEN,
    LOGIN,
    MOVED,
    NO,
    OK,
    PUBLIC,
    STAFF_ANY_METHOD,
    STAFF_PAGE,
    Row,
    everyone,
    staff_action,
    staff_only,
)

ROWS: dict[str, Row] = {
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
    "reports:open_data_statistics": PUBLIC,
    # -- checking a signed decision: anyone, a file posted or a digest in the address -------
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
    "reports:decision_publish": staff_action(OK),
    # Not being published: back to the preview.
    "reports:decision_publication": Row(get=staff_only(MOVED), post=staff_only(NO)),
    # Nothing failed to retry: refused, the preview says why.
    "reports:decision_publication_retry": staff_action(OK),
    "reports:decision_publication_cancel": staff_action(MOVED),
    "reports:decision_correct": staff_action(BAD),
}
