"""Task queue states a dead worker leaves behind, built with the real queue: a task claimed by a
worker that beat for the last time `silent_for` ago."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.models import WorkerHeartbeat


def beat(worker_id: str, *, ago: timedelta = timedelta(0)) -> WorkerHeartbeat:
    """A heartbeat of `worker_id` last seen `ago`."""
    seen = timezone.now() - ago
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": "test-host", "pid": 4242, "started_at": seen, "seen_at": seen}
    )
    return heartbeat


def claimed(task_result, worker_id: str, *, ago: timedelta = timedelta(0)) -> DBTaskResult:
    """Claim the enqueued task as `worker_id` did, `ago`: it is running."""
    row = DBTaskResult.objects.get(pk=task_result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - ago)
    row.refresh_from_db()
    return row


def lost(task_result, worker_id: str = "gone-worker", *, silent_for=timedelta(minutes=11)) -> DBTaskResult:
    """The task running on a worker that has sent no heartbeat for `silent_for`."""
    beat(worker_id, ago=silent_for)
    return claimed(task_result, worker_id, ago=silent_for + timedelta(seconds=5))
