"""Staff read the draft decision in its preview frame, in the browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.steps import log_in
from tests.factories import STAFF_GROUP, make_user
from tests.reports.publication_data import appraised_campaign, draft_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(db):
    make_user(username="staff", groups=(STAFF_GROUP,))
    return draft_decision(appraised_campaign().campaign)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_preview_frame_shows_the_decisions_text(
    page: Page, live_server, draft, viewport, screenshot
):
    page.set_viewport_size(DESKTOP)  # the phone's menu hides the log-out button
    log_in(page, live_server.url, "staff")
    page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("reports:decision_preview", args=[draft.pk]))

    document = page.frame_locator("iframe.decision-preview")
    expect(document.locator("p.title")).to_have_text("QUYẾT ĐỊNH")
    expect(document.locator("p.title")).to_be_visible()
    expect(document.locator("p.subject")).to_have_text(draft.subject)
    expect(document.locator("p.subject")).to_be_visible()
    expect(document.locator("td.signature")).to_contain_text("KT. CHỦ TỊCH")
    # The frame is laid out with the document's own styles: the title is centred bold.
    assert document.locator("p.title").evaluate("e => getComputedStyle(e).fontWeight") == "700"
    screenshot(f"decision-preview-{'phone' if viewport == PHONE else 'desktop'}")
