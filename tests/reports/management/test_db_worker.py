"""The worker takes back, as it starts, the publications a stopped worker left running."""

from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.models import Decision
from reports.services.publication_queue import decision_publication_request
from scoring.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)


def start_worker() -> str:
    """What `manage.py db_worker` does, once: start, run what is queued, stop."""
    out = StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=out)
    return out.getvalue()


def test_manage_py_db_worker_is_the_portals():
    assert get_commands()["db_worker"] == "reports"


def test_a_starting_worker_takes_back_a_publication_its_predecessor_left(
    client, staff, stopped_worker, media_root
):
    output = start_worker()
    assert stopped_worker.number in output
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "reports.services.publication_queue.WorkerStopped"
    assert task.finished_at is not None
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.DRAFT
    assert "Bộ xử lý nền đã dừng" in stopped_worker.publication_error
    # Nothing of it was published...
    assert not stopped_worker.rows.exists() and not stopped_worker.pdf
    assert not any(media_root.rglob("*.pdf"))
    assert set(Assessment.objects.values_list("state", flat=True)) == {"appraised"}
    # ...and staff see why, with Retry.
    client.force_login(staff)
    preview = client.get(reverse("reports:decision_preview", args=[stopped_worker.pk]))
    page = preview.content.decode()
    assert stopped_worker.publication_error in page
    assert reverse("reports:decision_publication_retry", args=[stopped_worker.pk]) in page

    # Retry, and the next worker publishes it.
    client.post(reverse("reports:decision_publication_retry", args=[stopped_worker.pk]))
    start_worker()
    stopped_worker.refresh_from_db()
    assert stopped_worker.status == Decision.Status.PUBLISHED
    assert stopped_worker.rows.count() == 2


def test_a_starting_worker_leaves_a_queued_publication_to_the_queue(database_queue, staff, draft):
    decision_publication_request(decision=draft, actor=staff)
    output = start_worker()
    assert draft.number not in output
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_starting_worker_reports_nothing_when_nothing_was_left(database_queue, draft):
    assert start_worker() == ""
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and draft.publication_error == ""
