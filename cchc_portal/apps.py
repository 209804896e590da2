from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The portal itself: registers its system checks (cchc_portal.checks)."""

    name = "cchc_portal"
    verbose_name = "CCHC Index Portal"

    def ready(self) -> None:
        from cchc_portal import checks  # noqa: F401 - registers the checks
