"""External programs some tests need (poppler's pdftotext, pdffonts, pdfsig).

Where one is missing (a newcomer's laptop) only the tests that use it skip, and say
why; in CI (CI=true, which .ci/run exports) a missing tool fails them instead, since
CI installs it: a skip there would hide a failure.
"""

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The tool's path; skipped where it is missing, failed in CI, which must have it."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} (Debian package poppler-utils) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": CI installs it (.ci/run)")
        pytest.skip(message)
    return found
