from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logging in: lockouts after repeated failures, idle sessions, passwords."""

    name = "cchc_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cchc_portal.accounts.middleware import activity_at_login

        user_logged_in.connect(activity_at_login, dispatch_uid="cchc_activity_at_login")
