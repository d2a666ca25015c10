"""The worker's heartbeat: a thread that records every few seconds that its worker is alive.

It runs beside the worker's loop, with its own database connection, so a worker busy with a long
job still beats, and it keeps trying through a database outage. It also runs the sweep for the
tasks of lost workers (`background.recovery`) when the worker starts and about every minute.
`worker_status()` is what the health checks read.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from background.models import WorkerHeartbeat
from background.outages import DATABASE_ERRORS, close_connections, describe

logger = logging.getLogger("background")

OUTAGE_RETRY = 1.0  # seconds between tries while the database is away: back within a second


def beat_every() -> float:
    """Seconds between beats: 30, or less when a worker is declared lost or unhealthy sooner."""
    return min(30.0, settings.WORKER_STALE_AFTER / 5, settings.WORKER_HEALTH_AFTER / 4)


def sweep_every() -> float:
    """Seconds between sweeps for lost workers' tasks: about a minute, less when they go stale sooner."""
    return max(beat_every(), min(60.0, settings.WORKER_STALE_AFTER / 2))


def worker_status(now=None) -> dict:
    """{"status": "ok" | "stale" | "none", "last_heartbeat": ISO time with its offset, or None}:
    "ok" when a worker was seen within `WORKER_HEALTH_AFTER` seconds."""
    seen = WorkerHeartbeat.objects.last_seen()
    if seen is None:
        return {"status": "none", "last_heartbeat": None}
    fresh = seen >= (now or timezone.now()) - timedelta(seconds=settings.WORKER_HEALTH_AFTER)
    return {
        "status": "ok" if fresh else "stale",
        "last_heartbeat": timezone.localtime(seen).isoformat(timespec="seconds"),
    }


class Heartbeat(threading.Thread):
    """Beats for `worker_id` until `stop()`; calls `sweep` (the recovery of lost workers' tasks)
    at the first beat and then every `sweep_every()` seconds."""

    def __init__(self, worker_id: str, *, sweep):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.sweep = sweep
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.next_sweep = 0.0
        self.outage = False

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(OUTAGE_RETRY if self.outage else beat_every())

    def tick(self) -> None:
        try:
            self.beat()
            if time.monotonic() >= self.next_sweep:
                self.sweep()
                self.next_sweep = time.monotonic() + sweep_every()
            if self.outage:
                logger.warning("Worker %s: heartbeat recorded again.", self.worker_id)
                self.outage = False
        except DATABASE_ERRORS as error:
            if not self.outage:
                logger.warning("Worker %s: could not record its heartbeat: %s", self.worker_id, describe(error))
            self.outage = True
        except Exception:  # the heartbeat must outlive any surprise; the log keeps the details
            logger.exception("Worker %s: heartbeat failed", self.worker_id)
        finally:
            close_connections()  # a new connection each beat: none goes stale across a restart

    def beat(self) -> None:
        now = timezone.now()
        if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id, pid=os.getpid()).update(seen_at=now):
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "host": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "started_at": self.started_at,
                    "seen_at": now,
                },
            )
