"""The words of the access matrix's table (tests/cchc_portal/access_table.py): outcomes,
rows, and the shapes of row that recur.

Columns, in this order: anonymous, staff, the appraiser assigned to unit A, unit A's
editor and head, unit B's editor and head. Outcomes:

  OK 200 · LOGIN a redirect to a login page · DENIED 403 (may see, may not do)
  · HIDDEN 404 (an outsider learns nothing) · NO 405 (method not allowed)
  · BAD 400 (an empty form refused) · CONFLICT 409 (refused by the rules, the page says
  why) · MOVED a redirect elsewhere (done, or moved).

Requests carry no form data, so an allowed POST either succeeds (MOVED: the change,
rolled back by the test, and a redirect) or is refused with its page (OK / BAD).
Assessment URLs are walked in three states (access_world.STATE_YEARS); a cell that
differs between them is a dict of state → outcome.
"""

from dataclasses import dataclass

OK, LOGIN, DENIED, HIDDEN, NO, BAD, MOVED = "200", "login", "403", "404", "405", "400", "moved"
CONFLICT = "409"
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
# A staff form: an empty POST comes back with its errors (200), nothing done.
STAFF_FORM = Row(get=staff_only(OK), post=staff_only(OK))
# A staff page or file that answers GET only, the method checked before the user.
STAFF_READ = Row(get=staff_only(OK), post=everyone(NO))


def staff_post(outcome: str) -> Row:
    """A staff action, POST only, the method checked first: a GET is 405 for anyone."""
    return Row(get=everyone(NO), post=staff_only(outcome))


def staff_action(outcome: str) -> Row:
    """A staff action, POST only, the user checked first: a GET is refused like a POST,
    and 405 for staff."""
    return Row(get=staff_only(NO), post=staff_only(outcome))


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
