"""Browser tests: Playwright drives Debian's Chromium against a live server.

Where Chromium is missing (a newcomer's laptop) the tests skip and say why;
in CI (CI=true) a missing Chromium fails them, since CI installs it.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread, which makes Django
# refuse database access from the test itself without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session", autouse=True)
def _close_connections_opened_under_playwright(django_db_setup, playwright):
    """Close the connection the test thread opened while Playwright was running.

    Between its calls, Playwright's sync API leaves its event loop marked as running in
    the test thread. Django's connections live in asgiref's thread-critical Local, which
    in a thread with a running loop is per context rather than per thread: from the
    first browser test on, the test thread uses a second connection to the test
    database, and every later test (browser or not) goes on using it. pytest-django
    closes only the connection made when it created the database, so PostgreSQL
    refused to drop it ("being accessed by other users"). The live server is not the
    culprit: it closes its connections after each request.

    The teardown runs before Playwright's (the loop still marked running, so Django
    still sees that second connection) and before the test database is dropped.
    """
    yield
    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI must run the browser tests.")
        pytest.skip(f"{message} Browser tests skipped.")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English browser: the portal must still answer in Vietnamese.
    return {**browser_context_args, "locale": "en-US", "viewport": DESKTOP}


@pytest.fixture
def screenshot(page):
    """Save a screenshot of the current page as artifacts/screenshots/<name>.png: the whole
    page, or what the window shows (a long table's first rows) with full_page=False."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
