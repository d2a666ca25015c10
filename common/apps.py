from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Pieces every app uses (bilingual fields, amounts, storage, spreadsheets, charts); an app only
    so that its template filters (`display_tags`) can be loaded everywhere."""

    name = "common"
    verbose_name = "Common"
