from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logging in: lockouts after repeated failures, idle sessions, passwords."""

    name = "cchc_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
