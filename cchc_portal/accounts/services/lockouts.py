"""Clearing a login lockout before it runs out."""

import logging

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from cchc_portal.accounts.models import LockoutRelease
from units.access import is_staff_member

logger = logging.getLogger(__name__)


class LockoutReleaseRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def lockout_release(*, actor, username: str, ip_address: str | None) -> LockoutRelease:
    """Forget the failed logins of one username from one address, and record who did it."""
    if not is_staff_member(actor):
        raise PermissionDenied
    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        failures = attempts.aggregate(total=Sum("failures_since_start"))["total"]
        if not failures:
            raise LockoutReleaseRefused(
                _("%(username)s has no failed logins to clear from that address any more.")
                % {"username": username}
            )
        attempts.delete()
        release = LockoutRelease.objects.create(
            username=username, ip_address=ip_address, failures=failures, released_by=actor
        )
    logger.info(
        "Login lockout of %r from %s released by %s after %d failures.",
        username,
        ip_address,
        actor.get_username(),
        failures,
    )
    return release
