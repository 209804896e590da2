"""When was anything last published? The version of every public page, kept briefly per process."""

import threading
from collections.abc import Callable
from datetime import datetime
from time import monotonic

from django.db.models import Max, Subquery

from reports.models import Decision
from scoring.models import ImportedResult

# How long a process keeps the latest publication time it read before reading it again.
# A decision published by another process (another gunicorn worker, the publish_decision
# command) shows on this process's public pages at most this many seconds later; the
# publishing process itself forgets it at once (forget_latest_published_at).
LATEST_PUBLISHED_MEMO_SECONDS = 2.0


class _LatestPublishedMemo:
    """The latest publication time as this process last read it, and until when it holds.

    Public pages ask for it on every request; reading it from the database costs more
    than the rest of a cached page (an ORM aggregate, and a connection health check on
    PostgreSQL). A forget() that races with a read in another thread wins: the read
    does not store the value it fetched before the forget.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[float, datetime | None] | None = None  # (valid until, value)
        self._generation = 0

    def get(self, read: Callable[[], datetime | None]) -> datetime | None:
        held = self._held
        if held is not None and monotonic() < held[0]:
            return held[1]
        generation = self._generation
        value = read()
        with self._lock:
            if generation == self._generation:
                self._held = (monotonic() + LATEST_PUBLISHED_MEMO_SECONDS, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._held = None


_latest_published = _LatestPublishedMemo()


def latest_published_at() -> datetime | None:
    """When the newest decision was published: the version of every public page.

    Published rows never change; only a new publication (possibly superseding an
    older one) changes what a public page shows, or a published table of an earlier
    year imported (unit pages and comparisons show it), so the later of the two
    timestamps serves as ETag and Last-Modified for all of them. One query at most
    every LATEST_PUBLISHED_MEMO_SECONDS per process; none in between.
    """
    return _latest_published.get(_read_latest_published_at)


def forget_latest_published_at() -> None:
    """Read the latest publication from the database on the next request of this process.

    For the publication service, once its transaction has committed
    (transaction.on_commit), and for tests that publish between two page reads.
    """
    _latest_published.forget()


def _read_latest_published_at() -> datetime | None:
    # One query: the latest import rides along as a subquery. Without a published
    # decision nothing is public, and both are None.
    imported = ImportedResult.objects.order_by("-imported_at").values("imported_at")[:1]
    found = Decision.objects.published().aggregate(
        latest=Max("published_at"), imported=Max(Subquery(imported))
    )
    times = [time for time in (found["latest"], found["imported"]) if time is not None]
    return max(times, default=None)
