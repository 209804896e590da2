from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership


class LockoutRelease(models.Model):
    """A login lockout cleared before it ran out: whose, from where, by whom, when.

    django-axes forgets the failed attempts it deletes, so the portal keeps its own
    record of every early unlock for the day someone asks who let an attacker go on.
    """

    username = models.CharField(_("username"), max_length=255)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failed attempts"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released at"), auto_now_add=True)

    class Meta:
        ordering = ["-released_at", "-pk"]
        verbose_name = _("lockout release")
        verbose_name_plural = _("lockout releases")

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address or '?'}"


class RoleChange(models.Model):
    """One change of someone's roles or of their access, by whom and when.

    Shown on the account's page. Roles change only on the portal's accounts pages (and
    its account import), which record each change here in the same transaction.
    """

    class Kind(models.TextChoices):
        GRANTED = "granted", _("granted")
        REVOKED = "revoked", _("withdrawn")
        CHANGED = "changed", _("changed")  # a unit role turned into the unit's other role
        DEACTIVATED = "deactivated", _("account deactivated")
        REACTIVATED = "reactivated", _("account reactivated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_changes",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    # A unit role (Membership.Role) or a province-wide group (staff, appraiser); empty
    # for a deactivation or reactivation.
    role = models.CharField(_("role"), max_length=20, blank=True)
    previous_role = models.CharField(_("previous role"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.role} {self.unit or ''}".strip()

    @staticmethod
    def role_label(role: str) -> str:
        labels = {
            **dict(Membership.Role.choices),
            STAFF_GROUP: _("Interior Department staff"),
            APPRAISER_GROUP: _("Member of the appraisal council"),
        }
        return str(labels.get(role, role))

    @property
    def role_display(self) -> str:
        return self.role_label(self.role)

    @property
    def previous_role_display(self) -> str:
        return self.role_label(self.previous_role)


class Invitation(models.Model):
    """The invitation of an account made on the portal: who made it, and how sending went.

    A failed sending is kept with its reason and shown to staff, who send it again; the
    account itself never depends on the mail.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitation",
        verbose_name=_("account"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    # The latest time a sending was asked for (at creation, or "send again").
    queued_at = models.DateTimeField(_("queued at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure = models.CharField(_("reason of the failure"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent")
        ACCEPTED = "accepted", _("accepted")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.status})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        # Only the latest attempt counts, and only once asked for: a sending asked for
        # again is waiting, whatever became of the one before.
        if self.failed_at and self.failed_at >= self.queued_at:
            if self.sent_at is None or self.failed_at > self.sent_at:
                return self.Status.FAILED
        if self.sent_at and self.sent_at >= self.queued_at:
            return self.Status.SENT
        return self.Status.WAITING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def expires_at(self):
        """When the link of the latest mail sent stops working (INVITATION_TIMEOUT)."""
        if self.sent_at is None:
            return None
        return self.sent_at + timedelta(seconds=settings.INVITATION_TIMEOUT)
