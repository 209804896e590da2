"""Staff publish a decision in the browser: the progress page, then the public page.

The queue is the database backend, as in production; the worker's part is run by the
test (what db_worker does) while the progress page waits, reloading itself.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from reports.models import Decision
from reports.services.publication_queue import decision_publication_request, publish_decision
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.steps import log_in, post_button
from tests.factories import STAFF_GROUP, make_user
from tests.reports.publication_data import appraised_campaign, draft_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(db, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    make_user(username="staff", groups=(STAFF_GROUP,))
    return draft_decision(appraised_campaign().campaign)


def test_publishing_from_the_preview_to_the_public_page(page: Page, live_server, draft, screenshot):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "staff")
    page.goto(live_server.url + reverse("reports:decision_preview", args=[draft.pk]))
    post_button(page, reverse("reports:decision_publish", args=[draft.pk])).click()

    progress = reverse("reports:decision_publication", args=[draft.pk])
    expect(page).to_have_url(live_server.url + progress)
    expect(page.locator("h1")).to_contain_text(draft.number)
    expect(page.locator("#publication-progress")).to_be_visible()
    screenshot("publication-progress-desktop")
    page.set_viewport_size(PHONE)
    screenshot("publication-progress-phone")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1

    publish_decision.call(decision_id=draft.pk)
    # The page reloads itself and lands on the decision's public page.
    expect(page).to_have_url(
        live_server.url + reverse("reports:decision_detail", args=[draft.pk]), timeout=10_000
    )
    expect(page.locator("main")).to_contain_text(draft.number)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED


def test_a_publication_whose_worker_stopped_is_retried(page: Page, live_server, draft, screenshot):
    """The worker was killed an hour into the publication: the page says so, and Retry works."""
    decision_publication_request(decision=draft, actor=User.objects.get(username="staff"))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.get().claim("killed")
    Decision.objects.filter(pk=draft.pk).update(
        publication_requested_at=an_hour_ago, publication_started_at=an_hour_ago
    )

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "staff")
    progress = reverse("reports:decision_publication", args=[draft.pk])
    page.goto(live_server.url + progress)
    expect(page.locator("#publication-failed")).to_be_visible()
    screenshot("publication-failed-desktop")
    page.set_viewport_size(PHONE)
    screenshot("publication-failed-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1

    post_button(page, reverse("reports:decision_publication_retry", args=[draft.pk])).click()
    expect(page).to_have_url(live_server.url + progress)
    expect(page.locator("#publication-progress")).to_be_visible()
    publish_decision.call(decision_id=draft.pk)
    expect(page).to_have_url(
        live_server.url + reverse("reports:decision_detail", args=[draft.pk]), timeout=10_000
    )
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED
