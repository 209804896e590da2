"""Publishing in the background: queued by the page, run by the worker, followed on a progress page.

These tests use django-tasks' database backend, as production does; the worker's
work is run by calling the task (what db_worker does), and once by db_worker itself.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reports.errors import PublicationError
from reports.models import Decision
from reports.publication_progress import QUEUE_PATIENCE_SECONDS, publication_progress
from reports.services import publication
from reports.services.drafting import decision_draft_update
from reports.services.publication import decision_publish
from reports.services.publication_queue import (
    decision_publication_cancel,
    decision_publication_request,
    publish_decision,
)
from scoring.models import Assessment
from tests.factories import make_assessment, make_unit

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def request_publication(client, staff, draft):
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publish", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url == reverse("reports:decision_publication", args=[draft.pk])
    draft.refresh_from_db()
    return response


def test_the_page_only_queues_the_publication(client, staff, draft):
    request_publication(client, staff, draft)
    assert draft.status == Decision.Status.PUBLISHING
    assert draft.publication_requested_at is not None
    assert draft.publication_started_at is None
    assert not draft.rows.exists()
    assert not draft.pdf
    task = DBTaskResult.objects.get()
    assert task.task_path == "reports.services.publication_queue.publish_decision"
    assert task.args_kwargs == {"args": [], "kwargs": {"decision_id": draft.pk}}


def test_the_worker_publishes_the_queued_decision(client, staff, draft):
    request_publication(client, staff, draft)
    assert publish_decision.call(decision_id=draft.pk) == str(draft)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED
    assert draft.published_by == staff
    assert draft.publication_started_at is not None
    assert draft.rows.count() == 2
    assert draft.pdf_sha256
    assert set(Assessment.objects.values_list("state", flat=True)) == {"published"}


def test_the_progress_page_follows_the_publication_to_the_public_page(client, staff, draft):
    url = request_publication(client, staff, draft).url
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert waiting.context["progress"].started is False
    page = waiting.content.decode()
    assert 'http-equiv="refresh"' in page
    assert reverse("reports:decision_publication_cancel", args=[draft.pk]) in page

    publish_decision.call(decision_id=draft.pk)
    done = client.get(url)
    assert done.status_code == 302
    assert done.url == reverse("reports:decision_detail", args=[draft.pk])


def test_a_running_publication_shows_an_estimate_and_cannot_be_cancelled(client, staff, draft):
    request_publication(client, staff, draft)
    Decision.objects.filter(pk=draft.pk).update(
        publication_started_at=draft.publication_requested_at
    )
    response = client.get(reverse("reports:decision_publication", args=[draft.pk]))
    progress = response.context["progress"]
    assert progress.started and progress.rows == 2 and not progress.failed
    page = response.content.decode()
    assert 'id="publication-progress"' in page
    assert reverse("reports:decision_publication_cancel", args=[draft.pk]) not in page

    with pytest.raises(PublicationError):
        decision_publication_cancel(decision=draft, actor=staff)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHING


def test_a_queued_decision_cannot_be_edited_or_queued_twice(client, staff, draft, campaign):
    request_publication(client, staff, draft)
    edit = reverse("reports:decision_edit", args=[draft.pk])
    assert client.get(edit).url == reverse("reports:decision_publication", args=[draft.pk])
    again = client.post(reverse("reports:decision_publish", args=[draft.pk]))
    assert again.status_code == 200
    assert again.context["errors"]
    other = Decision.objects.create(
        campaign=campaign, number="9/QĐ-UBND", signed_on=dt.date(2016, 10, 18), signer_name="B"
    )
    with pytest.raises(PublicationError, match="2491/QĐ-UBND"):
        decision_publish(decision=other, actor=staff)
    assert DBTaskResult.objects.count() == 1


def test_without_a_worker_the_request_answers_with_the_published_decision(settings, staff, draft):
    """The "immediate" queue (a look without a worker) runs the task as it is queued: the
    decision handed back is the one now published, not the draft as it was asked for."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    published = decision_publication_request(decision=draft, actor=staff)
    assert published.pk == draft.pk
    assert published.status == Decision.Status.PUBLISHED
    assert published.published_by == staff
    assert published.pdf_sha256


def test_an_edit_racing_the_request_saves_nothing(staff, draft):
    stale = Decision.objects.get(pk=draft.pk)
    decision_publication_request(decision=draft, actor=staff)
    with pytest.raises(PublicationError):
        decision_draft_update(decision=stale, actor=staff, changes={"signer_name": "Người khác"})
    draft.refresh_from_db()
    assert draft.signer_name == "Lê Thành Trí"


def test_a_refusal_found_by_the_worker_puts_the_draft_back_with_the_reason(
    client, staff, draft, unit_b
):
    request_publication(client, staff, draft)
    # Between the request and the worker, an assessment is reopened.
    Assessment.objects.filter(unit=unit_b).update(state=Assessment.State.SUBMITTED)
    assert publish_decision.call(decision_id=draft.pk) is None
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    assert unit_b.name in draft.publication_error
    assert not draft.rows.exists()
    preview = client.get(reverse("reports:decision_preview", args=[draft.pk])).content.decode()
    assert 'id="publication-errors"' in preview
    assert unit_b.name in preview
    progress_page = client.get(reverse("reports:decision_publication", args=[draft.pk]))
    assert progress_page.url == reverse("reports:decision_preview", args=[draft.pk])


def test_a_crash_in_the_worker_publishes_nothing_and_says_so(
    client, staff, draft, monkeypatch, settings
):
    request_publication(client, staff, draft)

    def broken(**kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(publication, "decision_pdf", broken)
    with pytest.raises(RuntimeError):
        publish_decision.call(decision_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    assert draft.publication_error
    assert not draft.rows.exists()
    assert set(Assessment.objects.values_list("state", flat=True)) == {"appraised"}
    assert not any(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_cancelling_a_queued_publication(client, staff, draft):
    request_publication(client, staff, draft)
    response = client.post(reverse("reports:decision_publication_cancel", args=[draft.pk]))
    assert response.url == reverse("reports:decision_preview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    assert "staff" in draft.publication_error
    # The worker finds nothing to do; the draft can be queued again.
    assert publish_decision.call(decision_id=draft.pk) is None
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    request_publication(client, staff, draft)
    assert draft.status == Decision.Status.PUBLISHING
    assert draft.publication_error == ""


def test_a_stalled_publication_can_be_cancelled(staff, draft):
    decision_publication_request(decision=draft, actor=staff)
    long_ago = draft.created_at - dt.timedelta(hours=1)
    Decision.objects.filter(pk=draft.pk).update(
        publication_requested_at=long_ago, publication_started_at=long_ago
    )
    decision_publication_cancel(decision=draft, actor=staff)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


def test_progress_is_an_estimate_that_stops_short_of_the_end(staff, draft):
    decision_publication_request(decision=draft, actor=staff)
    draft.refresh_from_db()
    requested = draft.publication_requested_at

    queued = publication_progress(draft, now=requested + dt.timedelta(seconds=10))
    assert (queued.started, queued.percent, queued.stalled) == (False, 0, False)
    forgotten = publication_progress(
        draft, now=requested + dt.timedelta(seconds=QUEUE_PATIENCE_SECONDS + 1)
    )
    assert forgotten.stalled

    draft.publication_started_at = requested
    halfway = publication_progress(
        draft, now=requested + dt.timedelta(seconds=queued.expected_seconds / 2)
    )
    assert 40 <= halfway.percent <= 60
    late = publication_progress(
        draft, now=requested + dt.timedelta(seconds=queued.limit_seconds - 1)
    )
    assert late.percent == 95 and not late.failed
    very_late = publication_progress(
        draft, now=requested + dt.timedelta(seconds=queued.limit_seconds + 1)
    )
    assert very_late.failed and not very_late.stalled


def test_the_progress_page_reads_a_fixed_number_of_queries(
    client, staff, draft, campaign, unit_a, django_assert_max_num_queries
):
    request_publication(client, staff, draft)
    url = reverse("reports:decision_publication", args=[draft.pk])
    for size in (2, 12):
        for _ in range(size - Assessment.objects.count()):
            make_assessment(campaign=campaign, unit=make_unit(block=unit_a.block))
        # Session, user, groups, memberships, the decision, its row count, its task row,
        # the province (the page shell).
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.context["progress"].rows == size


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_the_queued_publication(client, staff, draft):
    request_publication(client, staff, draft)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == str(draft)
