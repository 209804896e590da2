"""How far a queued publication has got, for the progress page.

The worker's transaction is all-or-nothing, so nothing inside it is visible until it
ends: the page knows only when the publication was requested and when the worker
started it. Its progress bar is an estimate from the number of rows, as measured by
bench/publish.py (rendering the appendix costs most: about 7 ms a row), and never
reaches 100 % before the decision is published.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from reports.models import Decision
from scoring.models import Assessment, CampaignBlock

# The estimate: a fixed part (recompute, summary, the first render in the worker)
# and a part per appendix row.
FIXED_SECONDS = 3.0
SECONDS_PER_ROW = 0.01
# How often the progress page reloads itself.
REFRESH_SECONDS = 3
# A request still queued after this long most likely has no worker to run it.
QUEUE_PATIENCE_SECONDS = 60
# The bar stops short of the end: only the published decision completes it.
MAX_ESTIMATED_PERCENT = 95


@dataclass(frozen=True)
class PublicationProgress:
    started: bool
    rows: int
    elapsed_seconds: int
    expected_seconds: int
    percent: int
    # Queued for longer than QUEUE_PATIENCE_SECONDS, or running for much longer than
    # expected: the page suggests checking the worker.
    stalled: bool


def _seconds_since(moment: datetime | None, now: datetime) -> float:
    return max(0.0, (now - moment).total_seconds()) if moment else 0.0


def publication_progress(decision: Decision, *, now: datetime | None = None) -> PublicationProgress:
    """Where a "publishing" decision stands (one query: its number of rows)."""
    now = now or timezone.now()
    blocks = CampaignBlock.objects.filter(campaign_id=decision.campaign_id).values("block_id")
    rows = Assessment.objects.filter(
        campaign_id=decision.campaign_id, unit__block_id__in=blocks
    ).count()
    expected = FIXED_SECONDS + SECONDS_PER_ROW * rows
    started = decision.publication_started_at is not None
    if started:
        elapsed = _seconds_since(decision.publication_started_at, now)
        percent = min(MAX_ESTIMATED_PERCENT, int(100 * elapsed / expected))
        stalled = elapsed > 3 * expected + QUEUE_PATIENCE_SECONDS
    else:
        elapsed = _seconds_since(decision.publication_requested_at, now)
        percent = 0
        stalled = elapsed > QUEUE_PATIENCE_SECONDS
    return PublicationProgress(
        started=started,
        rows=rows,
        elapsed_seconds=round(elapsed),
        expected_seconds=max(1, round(expected)),
        percent=percent,
        stalled=stalled,
    )
