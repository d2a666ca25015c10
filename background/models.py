"""A worker's heartbeat: the proof, renewed every few seconds, that a worker process is alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeatQuerySet(models.QuerySet):
    def last_seen(self):
        """When any worker was last seen alive, or None if none ever was."""
        return self.aggregate(last=models.Max("seen_at"))["last"]


class WorkerHeartbeat(models.Model):
    """One worker process (`manage.py db_worker`), by the id it claims tasks with."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.host}:{self.pid} ({self.worker_id})"
