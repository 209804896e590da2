from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The illustrative demo and its `load_demo` command: the only app that may use all others."""

    name = "demo"
    verbose_name = "Demo"
