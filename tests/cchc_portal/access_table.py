"""Who may reach every URL: one row per URL name (or route, for an unnamed one).

The rows are written by hand from the rules (DESIGN.md, units.access, scoring.access,
the workflow table), one module per part of the portal; the words they use (outcomes,
columns, the recurring shapes of row) are in access_rows.
"""

from tests.cchc_portal import (
    access_table_admin,
    access_table_portal,
    access_table_reports,
    access_table_scoring,
)
from tests.cchc_portal.access_rows import ASSESSMENT_NAMESPACE, LOGIN, MOVED, Row, expected_for

__all__ = ["ASSESSMENT_NAMESPACE", "LOGIN", "MOVED", "TABLE", "Row", "expected_for"]

PARTS = (access_table_portal, access_table_scoring, access_table_reports, access_table_admin)
TABLE: dict[str, Row] = {}
for _part in PARTS:
    _twice = TABLE.keys() & _part.ROWS.keys()
    assert not _twice, f"rows written twice: {sorted(_twice)}"
    TABLE |= _part.ROWS
