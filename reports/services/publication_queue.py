"""Publishing in the background: queueing a draft's publication, cancelling it, trying
again after its worker stopped, and finding the publications a stopped worker left.

Rendering takes seconds to minutes for a large province, so the web page does not
publish: decision_publication_request checks the draft, marks it "publishing" and
queues publish_decision (a django-tasks task, below) in the same transaction; the
worker (manage.py db_worker) then runs it."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from reports.models import Decision
from reports.publication_progress import (
    PUBLISH_TASK_PATH,
    latest_publication_task,
    publication_progress,
)
from reports.services.publication import (
    PublicationError,
    decision_publish_requested,
    lock_for_publication,
    require_publisher,
)
from units.people import person_name

# PostgreSQL's lock_not_available: SELECT ... FOR UPDATE NOWAIT found the row locked.
LOCK_NOT_AVAILABLE = "55P03"


@transaction.atomic
def decision_publication_request(*, decision: Decision, actor) -> Decision:
    """Queue a draft's publication for the background worker, or raise PublicationError.

    The checks that need no rendering run here, so the drafter hears at once what
    blocks publication; the worker checks again (the scores may change meanwhile).
    The task row is written in this transaction: a request is never queued without
    its "publishing" status, nor marked without its task.
    """
    require_publisher(actor)
    current = lock_for_publication(
        decision.pk, decision.campaign_id, expected=Decision.Status.DRAFT
    )
    current.status = Decision.Status.PUBLISHING
    current.publication_requested_at = timezone.now()
    current.publication_started_at = None
    current.publication_error = ""
    current.published_by = actor if getattr(actor, "pk", None) else None
    current.save()
    publish_decision.enqueue(decision_id=current.pk)
    current.refresh_from_db()
    return current


def decision_publication_cancel(*, decision: Decision, actor) -> Decision:
    """Take a publication back to draft: one no worker has started, or one whose worker stopped.

    A publication its worker is running holds the decision's lock and is let finish
    (PublicationError); one past its time limit (publication_progress) whose lock is
    free had its worker stopped, and its transaction rolled back: nothing to undo.
    """
    require_publisher(actor)
    with _unless_a_worker_holds(decision):
        current = _lock_decision(decision.pk)
        if current.status != Decision.Status.PUBLISHING:
            raise PublicationError(
                _("Decision %(number)s is not being published (%(status)s).")
                % {"number": current.number, "status": current.get_status_display()}
            )
        progress = publication_progress(current)
        if progress.started and not progress.failed:
            raise _still_running(current)
        _take_back(
            current,
            reason=_("Publication cancelled by %(name)s.") % {"name": person_name(actor)},
        )
    return current


def decision_publication_retry(*, decision: Decision, actor) -> Decision:
    """Queue a failed publication again: back to draft first if its worker stopped.

    A draft whose last publication failed is simply queued again. The reason of the
    failure stays on the draft if the new request is refused (PublicationError then).
    """
    require_publisher(actor)
    with _unless_a_worker_holds(decision):
        current = _lock_decision(decision.pk)
        if current.status == Decision.Status.PUBLISHING:
            progress = publication_progress(current)
            if not progress.started and not progress.failed:
                raise PublicationError(
                    _(
                        "The publication of %(number)s is waiting for the background worker: "
                        "cancel it to start again."
                    )
                    % {"number": current.number}
                )
            if not progress.failed:
                raise _still_running(current)
            _take_back(current, reason=progress.failure)
    return decision_publication_request(decision=current, actor=actor)


def orphaned_publications_fail() -> list[Decision]:
    """Run by every worker as it starts (reports/management/commands/db_worker.py).

    A worker that stopped mid-publication (killed, restarted, out of memory) leaves its
    task row RUNNING, which no worker ever takes again, and its decision "publishing";
    its transaction rolled back, so nothing was published. Such task rows are marked
    failed and their decisions go back to draft with the reason, for staff to publish
    again. What another live worker is publishing holds the decision's lock (the row
    on PostgreSQL, the database's write lock on SQLite) and is left alone. A decision
    whose task is still queued is left for the queue. Returns the decisions taken back.
    """
    reason = _(
        "The background worker stopped during this publication, so nothing was published "
        "(found when a worker started at %(at)s). Publish it again."
    ) % {"at": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    try:
        with transaction.atomic():
            return _orphans_take_back(reason)
    except OperationalError as error:
        # SQLite: a transaction held the database's write lock past its timeout. What it
        # publishes is alive; the progress page's time limit catches the rest.
        if not _held_elsewhere(error):
            raise
        return []


def _orphans_take_back(reason: str) -> list[Decision]:
    running = list(
        DBTaskResult.objects.filter(task_path=PUBLISH_TASK_PATH, status=TaskResultStatus.RUNNING)
    )
    idle = set(
        Decision.objects.select_for_update(skip_locked=True)
        .filter(
            Q(pk__in=[_decision_id(row) for row in running]) | Q(status=Decision.Status.PUBLISHING)
        )
        .values_list("pk", flat=True)
    )
    for row in running:
        if _decision_id(row) in idle:
            row.set_failed(WorkerStopped(reason))
    orphaned = [
        decision
        for decision in Decision.objects.filter(pk__in=idle, status=Decision.Status.PUBLISHING)
        if not _queued(decision)
    ]
    Decision.objects.filter(pk__in=[d.pk for d in orphaned]).update(
        status=Decision.Status.DRAFT, publication_error=reason
    )
    return orphaned


class WorkerStopped(Exception):
    """Recorded on a task row whose worker stopped before finishing it (no traceback)."""


def _decision_id(row: DBTaskResult) -> int | None:
    return row.args_kwargs.get("kwargs", {}).get("decision_id")


def _queued(decision: Decision) -> bool:
    row = latest_publication_task(decision.pk)
    return row is not None and row.status == TaskResultStatus.READY


def _lock_decision(pk: int) -> Decision:
    # NOWAIT: a worker publishing this decision holds its row lock (PostgreSQL) and the
    # answer is then at once "still running", not a request waiting for it to end.
    return (
        Decision.objects.select_for_update(nowait=True, of=("self",))
        .select_related("campaign", "published_by")
        .get(pk=pk)
    )


def _take_back(decision: Decision, *, reason: str) -> None:
    """Back to draft with the reason; its task left RUNNING by a stopped worker, failed.

    `decision` is read again, so the caller holds the draft as it now stands."""
    Decision.objects.filter(pk=decision.pk).update(
        status=Decision.Status.DRAFT, publication_error=reason
    )
    running = DBTaskResult.objects.filter(
        task_path=PUBLISH_TASK_PATH,
        args_kwargs__kwargs__decision_id=decision.pk,
        status=TaskResultStatus.RUNNING,
    )
    for row in running:
        row.set_failed(WorkerStopped(reason))
    decision.refresh_from_db()


def _still_running(decision: Decision) -> PublicationError:
    return PublicationError(
        _("The publication of %(number)s is running: let it finish.") % {"number": decision.number}
    )


@contextmanager
def _unless_a_worker_holds(decision: Decision) -> Iterator[None]:
    """One transaction, refused at once with "still running" when a worker holds the lock.

    A live worker publishing the decision holds its row (PostgreSQL: NOWAIT fails) or
    the database's write lock (SQLite: BEGIN IMMEDIATE fails after its timeout).
    """
    try:
        with transaction.atomic():
            yield
    except OperationalError as error:
        if not _held_elsewhere(error):
            raise
        raise _still_running(decision) from error


def _held_elsewhere(error: OperationalError) -> bool:
    """A lock another transaction holds: NOWAIT refused (PostgreSQL), or SQLite's timeout."""
    cause = error.__cause__
    return getattr(cause, "pgcode", None) == LOCK_NOT_AVAILABLE or "locked" in str(error)


@task()
def publish_decision(decision_id: int) -> str | None:
    """The worker's job: publish a decision marked "publishing"; its number once published."""
    decision = decision_publish_requested(decision_id=decision_id)
    return str(decision) if decision is not None else None
