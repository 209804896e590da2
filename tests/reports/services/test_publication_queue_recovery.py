"""A publication whose worker stopped: shown failed with the reason, retried, cancelled;
never half-published, and never taken from a worker still running it.

The stopped worker is simulated (tests/reports/conftest.py, stopped_worker): its task
row RUNNING and the decision "publishing" since an hour ago, as a killed worker leaves
them.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.errors import PublicationError
from reports.models import Decision
from reports.services import publication_queue
from reports.services.publication_queue import (
    decision_publication_cancel,
    decision_publication_request,
    decision_publication_retry,
    orphaned_publications_fail,
    publish_decision,
)
from scoring.models import Assessment

pytestmark = pytest.mark.django_db


def nothing_published(decision: Decision, media_root) -> bool:
    return (
        not decision.rows.exists()
        and not decision.pdf
        and not any(media_root.rglob("*.pdf"))
        and set(Assessment.objects.values_list("state", flat=True)) == {"appraised"}
    )


def test_the_progress_page_shows_a_stopped_worker_as_failed_with_retry(
    client, staff, stopped_worker, media_root
):
    client.force_login(staff)
    response = client.get(reverse("reports:decision_publication", args=[stopped_worker.pk]))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert progress.failed and "tối đa 32 giây" in progress.failure
    page = response.content.decode()
    assert 'id="publication-failed"' in page
    assert progress.failure in page
    assert reverse("reports:decision_publication_retry", args=[stopped_worker.pk]) in page
    assert reverse("reports:decision_publication_cancel", args=[stopped_worker.pk]) in page
    # A failed page stops reloading itself: the buttons stay where they are.
    assert 'http-equiv="refresh"' not in page
    assert nothing_published(stopped_worker, media_root)


def test_retry_takes_a_stopped_publication_back_and_queues_it_again(
    client, staff, stopped_worker, media_root
):
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publication_retry", args=[stopped_worker.pk]))
    assert response.url == reverse("reports:decision_publication", args=[stopped_worker.pk])
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHING
    assert stopped_worker.publication_started_at is None
    old, new = DBTaskResult.objects.order_by("enqueued_at")
    assert old.status == TaskResultStatus.FAILED
    assert old.exception_class_path == "reports.services.publication_queue.WorkerStopped"
    assert new.status == TaskResultStatus.READY

    assert publish_decision.call(decision_id=stopped_worker.pk) == str(stopped_worker)
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHED
    assert stopped_worker.rows.count() == 2
    assert len(list(media_root.rglob("*.pdf"))) == 1


def test_retry_of_a_draft_whose_publication_failed_queues_it(client, staff, draft):
    Decision.objects.filter(pk=draft.pk).update(publication_error="Máy chủ đã dừng.")
    client.force_login(staff)
    preview = client.get(reverse("reports:decision_preview", args=[draft.pk])).content.decode()
    assert "Máy chủ đã dừng." in preview
    retry = reverse("reports:decision_publication_retry", args=[draft.pk])
    assert retry in preview
    # The suite's queue runs tasks at once: queued and published in the request.
    assert client.post(retry).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED


def test_a_refused_retry_leaves_the_draft_with_both_reasons(client, staff, stopped_worker, unit_b):
    Assessment.objects.filter(unit=unit_b).update(state=Assessment.State.SUBMITTED)
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publication_retry", args=[stopped_worker.pk]))
    assert response.status_code == 200
    assert any(unit_b.name in error for error in response.context["errors"])
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.DRAFT
    assert "tối đa 32 giây" in stopped_worker.publication_error


def test_a_running_publication_is_neither_retried_nor_cancelled(staff, draft, database_queue):
    decision_publication_request(decision=draft, actor=staff)
    Decision.objects.filter(pk=draft.pk).update(publication_started_at=timezone.now())
    DBTaskResult.objects.get().claim("live-worker")
    for service in (decision_publication_retry, decision_publication_cancel):
        with pytest.raises(PublicationError, match="hãy chờ đến khi hoàn tất"):
            service(decision=draft, actor=staff)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHING
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_queued_publication_is_not_retried(staff, draft, database_queue):
    decision_publication_request(decision=draft, actor=staff)
    with pytest.raises(PublicationError, match="hãy hủy rồi công bố lại"):
        decision_publication_retry(decision=draft, actor=staff)
    assert DBTaskResult.objects.count() == 1


def test_cancelling_a_stopped_publication_fails_its_task(staff, stopped_worker, media_root):
    decision_publication_cancel(decision=stopped_worker, actor=staff)
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.DRAFT
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert nothing_published(stopped_worker, media_root)


def test_others_may_not_retry(client, stopped_worker, editor_a, head_a, appraiser):
    url = reverse("reports:decision_publication_retry", args=[stopped_worker.pk])
    for persona in (editor_a, head_a, appraiser):
        client.force_login(persona)
        assert client.post(url).status_code == 403
        assert client.get(url).status_code in (403, 405)
    client.logout()
    assert client.post(url).status_code == 302
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHING


@contextmanager
def held_by_a_live_worker(decision: Decision) -> Iterator[None]:
    """Another connection holds what a publishing worker holds, while the block runs.

    The decision's row (PostgreSQL) or the database's write lock (SQLite), in a
    transaction of its own: the worker's transaction, stood in for.
    """
    holding, release = threading.Event(), threading.Event()

    def worker() -> None:
        with transaction.atomic():
            Decision.objects.select_for_update().filter(pk=decision.pk).update(publication_error="")
            holding.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    holding.wait(timeout=10)
    try:
        if connection.vendor == "sqlite":
            # The write lock is waited for DJANGO_SQLITE_TIMEOUT (20 s); a test need not.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 200")
        yield
    finally:
        release.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_worker_still_holding_the_decision_keeps_it(staff, stopped_worker):
    """Past its limit but alive: a slow worker in its transaction is never taken back."""
    with held_by_a_live_worker(stopped_worker):
        with pytest.raises(PublicationError, match="hãy chờ đến khi hoàn tất"):
            decision_publication_retry(decision=stopped_worker, actor=staff)
        with pytest.raises(PublicationError, match="hãy chờ đến khi hoàn tất"):
            decision_publication_cancel(decision=stopped_worker, actor=staff)
        # A worker starting meanwhile leaves it to the worker running it.
        assert orphaned_publications_fail() == []
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHING
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


# -- who may take a publication back, and what they are told -------------------------------


def test_only_staff_may_retry_or_cancel_a_stopped_publication(
    stopped_worker, editor_a, head_a, appraiser, english
):
    """The services refuse on their own, before touching the decision or its task."""
    for persona in (editor_a, head_a, appraiser):
        for service in (decision_publication_retry, decision_publication_cancel):
            with pytest.raises(
                PublicationError, match="Only Interior Department staff publish decisions."
            ):
                service(decision=stopped_worker, actor=persona)
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHING
    assert stopped_worker.publication_error == ""
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_cancel_answers_with_the_draft_and_who_cancelled(staff, stopped_worker, english):
    staff.last_name, staff.first_name = "Trần Thị", "Mai"
    staff.save()
    back = decision_publication_cancel(decision=stopped_worker, actor=staff)
    assert back.pk == stopped_worker.pk
    assert back.status == Decision.Status.DRAFT
    assert back.publication_error == "Publication cancelled by Trần Thị Mai."


def test_a_draft_cannot_be_cancelled_and_is_told_why(staff, draft, english):
    with pytest.raises(PublicationError) as refused:
        decision_publication_cancel(decision=draft, actor=staff)
    assert refused.value.message == "Decision 2491/QĐ-UBND is not being published (Draft)."
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and draft.publication_error == ""


# -- the database's answer when a worker holds the decision --------------------------------


class LockNotAvailable(Exception):
    """What psycopg raises when SELECT ... FOR UPDATE NOWAIT finds the row locked."""

    pgcode = "55P03"


class QueryCanceled(Exception):
    """Another PostgreSQL error (a statement timeout): no lock held by anyone."""

    pgcode = "57014"


def database_raising(cause: Exception, text: str):
    def lock(pk):
        raise OperationalError(text) from cause

    return lock


def test_postgresqls_nowait_refusal_means_the_worker_is_still_running(
    monkeypatch, staff, stopped_worker, english
):
    monkeypatch.setattr(
        publication_queue,
        "_lock_decision",
        database_raising(
            LockNotAvailable(), 'could not obtain lock on row in relation "reports_decision"'
        ),
    )
    for service in (decision_publication_retry, decision_publication_cancel):
        with pytest.raises(PublicationError) as refused:
            service(decision=stopped_worker, actor=staff)
        assert refused.value.message == "The publication of 2491/QĐ-UBND is running: let it finish."
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHING


def test_another_database_error_is_not_passed_off_as_a_running_worker(
    monkeypatch, staff, stopped_worker
):
    monkeypatch.setattr(
        publication_queue,
        "_lock_decision",
        database_raising(QueryCanceled(), "canceling statement due to statement timeout"),
    )
    for service in (decision_publication_retry, decision_publication_cancel):
        with pytest.raises(OperationalError, match="statement timeout"):
            service(decision=stopped_worker, actor=staff)


# -- a worker starting takes back what a stopped one left ---------------------------------


def worker_start_reason(before, after) -> list[str]:
    """The reason a worker starting between `before` and `after` writes (minutes only)."""
    return [
        "The background worker stopped during this publication, so nothing was published "
        f"(found when a worker started at {timezone.localtime(moment):%d/%m/%Y %H:%M}). "
        "Publish it again."
        for moment in (before, after)
    ]


def test_a_starting_worker_takes_back_a_stopped_publication_with_the_reason(
    stopped_worker, media_root, english
):
    before = timezone.now()
    taken = orphaned_publications_fail()
    after = timezone.now()
    assert [d.pk for d in taken] == [stopped_worker.pk]
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.DRAFT
    assert stopped_worker.publication_error in worker_start_reason(before, after)
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "reports.services.publication_queue.WorkerStopped"
    assert nothing_published(stopped_worker, media_root)


def test_a_starting_worker_takes_back_a_publication_whose_task_vanished(
    staff, draft, database_queue
):
    decision_publication_request(decision=draft, actor=staff)
    DBTaskResult.objects.all().delete()
    assert [d.pk for d in orphaned_publications_fail()] == [draft.pk]
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    assert "Bộ xử lý nền đã dừng" in draft.publication_error


def test_a_starting_worker_leaves_a_queued_publication_to_the_queue(staff, draft, database_queue):
    decision_publication_request(decision=draft, actor=staff)
    assert orphaned_publications_fail() == []
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHING and draft.publication_error == ""
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
