from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo people, groups, meetings and conversations for `make run`. It sits
    above every other app, as it fills them all; never loaded in production."""

    name = "demo"
    verbose_name = "Demo"
