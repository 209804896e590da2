"""Reads for the lockout page."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from cchc_portal.accounts.models import LockoutRelease


@dataclass(frozen=True)
class LockedLogin:
    username: str
    ip_address: str | None
    failures: int
    last_failure: datetime
    locked_until: datetime


def locked_logins(*, now: datetime | None = None) -> list[LockedLogin]:
    """The username and address pairs django-axes refuses now, latest first.

    The same count as axes' own check: failures of the pair (one row per browser) whose
    latest attempt falls within the cool-off time, at or above the failure limit.
    """
    now = now or timezone.now()
    cool_off = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username")
    )
    return [
        LockedLogin(
            username=row["username"],
            ip_address=row["ip_address"],
            failures=row["failures"],
            last_failure=row["last_failure"],
            locked_until=row["last_failure"] + cool_off,
        )
        for row in rows
    ]


def recent_releases(*, limit: int = 20) -> list[LockoutRelease]:
    return list(LockoutRelease.objects.select_related("released_by")[:limit])
