from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The first run: a demo organisation to look at, and the periodic tasks run in-process (`make run`)."""

    name = "demo"
    verbose_name = "Demo and local run"
