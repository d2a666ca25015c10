from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data that spans the apps (cities, question bank, catalogue, assessments): above them all."""

    name = "demo"
    verbose_name = "Demo data"
