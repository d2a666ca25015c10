from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    """The background worker: its command (`db_worker`), its heartbeat, and the recovery of the
    tasks of a worker that died. Below the apps whose tasks it runs: it knows only the task queue."""

    name = "background"
    verbose_name = _("Background worker")
