"""The illustrative post-2025 province behind docs/samples' units and accounts workbooks.

Its data and writers live in demo.lam_giang (the second demo imports the same files); the
tests check that the committed samples are what that code writes and that they import.
To rewrite them after a change: `manage.py write_samples`, or

    CCHC_WRITE_SAMPLES=1 .venv/bin/pytest tests -k documented_sample
"""

from demo.lam_giang import (
    ACCOUNTS_SAMPLE,
    UNITS_SAMPLE,
    account_rows,
    accounts_sample,
    units_sample,
)
from tests.samples import SAMPLES, check_sample

__all__ = [
    "ACCOUNTS_SAMPLE",
    "SAMPLES",
    "UNITS_SAMPLE",
    "account_rows",
    "accounts_sample",
    "check_sample",
    "units_sample",
]
