"""When a queued publication counts as stuck or failed (reports/publication_progress.py)."""

import datetime as dt

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.publication_progress import (
    PUBLISH_TASK_PATH,
    expected_seconds,
    limit_seconds,
    publication_progress,
)
from reports.services.publication_queue import decision_publication_request, publish_decision

pytestmark = pytest.mark.django_db


def test_the_task_path_is_the_publication_task():
    assert publish_decision.module_path == PUBLISH_TASK_PATH


@pytest.mark.parametrize(
    ("rows", "expected", "limit"),
    [
        # Written out from the rule: 3 s + 13 ms a row; failed past 4 times that + 20 s.
        (2, 3.026, 32.104),
        (33, 3.429, 33.716),  # the demo's 2015 decision
        (2000, 29.0, 136.0),
    ],
)
def test_the_time_limit_follows_the_estimate(rows, expected, limit):
    assert expected_seconds(rows) == pytest.approx(expected)
    assert limit_seconds(rows) == pytest.approx(limit)


@pytest.fixture
def queued(database_queue, staff, draft):
    decision_publication_request(decision=draft, actor=staff)
    draft.refresh_from_db()
    return draft


def seconds_after(moment, seconds: float):
    return moment + dt.timedelta(seconds=seconds)


def test_a_queue_nobody_takes_is_stalled_after_fifteen_seconds(queued):
    requested = queued.publication_requested_at
    assert not publication_progress(queued, now=seconds_after(requested, 15)).stalled
    waiting = publication_progress(queued, now=seconds_after(requested, 16))
    assert waiting.stalled and not waiting.failed and not waiting.started


def test_a_running_publication_fails_once_past_its_limit(queued):
    queued.publication_started_at = queued.publication_requested_at
    limit = publication_progress(queued).limit_seconds
    assert limit == 32
    running = publication_progress(queued, now=seconds_after(queued.publication_started_at, 31))
    assert running.started and not running.failed and running.failure == ""
    stopped = publication_progress(queued, now=seconds_after(queued.publication_started_at, 33))
    assert stopped.failed and not stopped.stalled
    assert "sau 33 giây" in stopped.failure and "tối đa 32 giây" in stopped.failure


def test_a_publication_whose_task_ended_has_failed(queued):
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)
    progress = publication_progress(queued, now=queued.publication_requested_at)
    assert progress.failed and not progress.started


def test_a_publication_whose_task_vanished_has_failed(queued):
    DBTaskResult.objects.all().delete()
    assert publication_progress(queued, now=queued.publication_requested_at).failed


def test_only_the_latest_request_counts(queued, staff):
    """An older request's task, finished long ago, says nothing of the current one."""
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"decision_id": queued.pk}},
        task_path=PUBLISH_TASK_PATH,
        backend_name="default",
        status=TaskResultStatus.FAILED,
    )
    DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).update(
        enqueued_at=queued.publication_requested_at - dt.timedelta(days=1)
    )
    assert not publication_progress(queued, now=queued.publication_requested_at).failed
