"""How far a queued publication has got, for the progress page, and when it has failed.

The worker's transaction is all-or-nothing, so nothing inside it is visible until it
ends: the page knows when the publication was requested, when the worker started it,
and what became of its task row. Its progress bar is an estimate from the number of
rows, as measured by bench/publication.py, and never reaches 100 % before the decision
is published.

No heartbeat tells that the worker is alive: its publication holds SQLite's one write
lock (and the decision's row lock on PostgreSQL) from start to end, so nothing could
write one meanwhile. A time limit derived from the estimate tells instead: a
publication still running well past it had its worker stopped (killed, out of memory,
the machine restarted). What the page then offers is safe even if the worker is only
slow: taking the decision back needs the lock that a live worker holds
(reports.services.publication_queue).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.models import Decision
from scoring.models import Assessment, CampaignBlock

# The task the publication is queued as (reports.services.publication_queue.publish_decision,
# named here because that module imports this one).
PUBLISH_TASK_PATH = "reports.services.publication_queue.publish_decision"

# The estimate: a fixed part (recompute, summary, signing, the first render in the
# worker) and a part per appendix row: bench/publication.py measured 12.8-13 ms of CPU a
# row (PDF/A, signed; 2026-12-04, bench/README.md).
FIXED_SECONDS = 3.0
SECONDS_PER_ROW = 0.013
# How often the progress page reloads itself.
REFRESH_SECONDS = 3
# A free worker takes a queued task within a second (it polls every second): one still
# queued after this long has no worker to run it, or one busy with another publication.
QUEUE_PATIENCE_SECONDS = 15
# A running publication has failed once it runs longer than LIMIT_FACTOR times the
# estimate plus LIMIT_MARGIN_SECONDS. bench/publication.py's worker took up to 3.7 times
# the estimate (106 s for 2,000 rows, median of 3) when the machine's 2 CPUs ran at a
# load average of 7-10, i.e. about 4 times what they can: four times is more than any
# machine we measured, and the margin covers the worker's wait for SQLite's write lock
# before it starts (DJANGO_SQLITE_TIMEOUT, 20 s by default).
LIMIT_FACTOR = 4
LIMIT_MARGIN_SECONDS = 20
# The bar stops short of the end: only the published decision completes it.
MAX_ESTIMATED_PERCENT = 95


@dataclass(frozen=True)
class PublicationProgress:
    started: bool
    rows: int
    elapsed_seconds: int
    expected_seconds: int
    # How long it may run before it counts as failed.
    limit_seconds: int
    percent: int
    # Queued for longer than QUEUE_PATIENCE_SECONDS: the page suggests checking the worker.
    stalled: bool
    # Its worker has stopped: past the limit, or its task ended (or vanished) while the
    # decision still says "publishing". `failure` says which, in words.
    failed: bool
    failure: str = ""


def _seconds_since(moment: datetime | None, now: datetime) -> float:
    return max(0.0, (now - moment).total_seconds()) if moment else 0.0


def expected_seconds(rows: int) -> float:
    return FIXED_SECONDS + SECONDS_PER_ROW * rows


def limit_seconds(rows: int) -> float:
    return LIMIT_FACTOR * expected_seconds(rows) + LIMIT_MARGIN_SECONDS


def latest_publication_task(decision_id: int) -> DBTaskResult | None:
    """The task row of the decision's latest publication request (None with no queue)."""
    return (
        DBTaskResult.objects.filter(
            task_path=PUBLISH_TASK_PATH, args_kwargs__kwargs__decision_id=decision_id
        )
        .order_by("-enqueued_at")
        .first()
    )


def _failure(decision: Decision, task: DBTaskResult | None, elapsed: float, limit: float) -> str:
    """Why a "publishing" decision will never be published by its worker; "" if it may be."""
    if task is None:
        return _("Its queued task is gone (removed from the queue), so no worker will run it.")
    if task.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        return _("Its task has ended without publishing it.")
    if decision.publication_started_at is not None and elapsed > limit:
        return _(
            "The background worker started it at %(started)s and has not finished after "
            "%(elapsed)s, when it should take %(limit)s at most: the worker has most "
            "likely stopped (a restart, a crash, lack of memory). Nothing was published."
        ) % {
            "started": timezone.localtime(decision.publication_started_at).strftime(
                "%H:%M:%S %d/%m/%Y"
            ),
            "elapsed": _duration(elapsed),
            "limit": _duration(limit),
        }
    return ""


def _duration(seconds: float) -> str:
    if seconds < 120:
        return _("%(seconds)s s") % {"seconds": round(seconds)}
    return _("%(minutes)s min") % {"minutes": round(seconds / 60)}


def publication_progress(decision: Decision, *, now: datetime | None = None) -> PublicationProgress:
    """Where a "publishing" decision stands (two queries: its rows, its task row)."""
    now = now or timezone.now()
    blocks = CampaignBlock.objects.filter(campaign_id=decision.campaign_id).values("block_id")
    rows = Assessment.objects.filter(
        campaign_id=decision.campaign_id, unit__block_id__in=blocks
    ).count()
    expected = expected_seconds(rows)
    limit = limit_seconds(rows)
    started = decision.publication_started_at is not None
    if started:
        elapsed = _seconds_since(decision.publication_started_at, now)
        percent = min(MAX_ESTIMATED_PERCENT, int(100 * elapsed / expected))
        stalled = False
    else:
        elapsed = _seconds_since(decision.publication_requested_at, now)
        percent = 0
        stalled = elapsed > QUEUE_PATIENCE_SECONDS
    failure = _failure(decision, latest_publication_task(decision.pk), elapsed, limit)
    return PublicationProgress(
        started=started,
        rows=rows,
        elapsed_seconds=round(elapsed),
        expected_seconds=max(1, round(expected)),
        limit_seconds=round(limit),
        percent=percent,
        stalled=stalled and not failure,
        failed=bool(failure),
        failure=failure,
    )
