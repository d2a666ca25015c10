from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The start page, above the apps it reads."""

    name = "home"
    verbose_name = "Home"
