from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
