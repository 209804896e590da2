from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units")

    def ready(self) -> None:
        from units.permissions import grant_group_permissions

        # Permissions are created after migrations run, so the grant follows every migrate.
        post_migrate.connect(grant_group_permissions, dispatch_uid="units.grant_group_permissions")
