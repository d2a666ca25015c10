"""The tasks of lost workers: a task stays "running" only while its worker is alive (SPEC §8).

A worker that sent no heartbeat for `WORKER_STALE_AFTER` seconds is lost (killed, its machine
gone); its running tasks are marked failed with `WorkerLost` and announced with django-tasks'
`task_finished` signal, as the worker would have done, so whoever queued a task can queue it
again or record the failure (`reports.job_recovery` does for report jobs). A worker also takes
back the tasks that its own id left running when it is idle: at its start (the process before it,
with the same `--worker-id`, was killed) and after a database outage (a claim whose answer was lost).
Old heartbeats are pruned.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.signals import task_finished
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import WorkerHeartbeat
from background.outages import DATABASE_ERRORS

logger = logging.getLogger("background")

PRUNE_AFTER = timedelta(days=1)  # a heartbeat older than this is of no use to anyone


class WorkerLost(Exception):
    """The worker running a task stopped responding."""


class WorkerRestarted(WorkerLost):
    """A worker holds a task it is not running: the process before it with its id died, or its
    claim went through as the database went away."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
WORKER_RESTARTED = f"{WorkerRestarted.__module__}.{WorkerRestarted.__qualname__}"


def sweep(*, idle_worker: str = "") -> list[str]:
    """Fail the running tasks whose worker is lost, and those of `idle_worker` (a worker that
    runs nothing right now); prune old heartbeats. Returns the ids of the tasks failed.

    Two queries when nothing is lost: a task that started within the stale time cannot be a
    lost worker's, so only older ones are read."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.WORKER_STALE_AFTER)
    running = DBTaskResult.objects.running()
    if not idle_worker:
        running = running.filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True))
    workers = {task_id: (ids[-1] if ids else "") for task_id, ids in running.values_list("id", "worker_ids")}
    failed = []
    if workers:
        seen = dict(
            WorkerHeartbeat.objects.filter(worker_id__in=set(workers.values())).values_list("worker_id", "seen_at")
        )
        for task_id, worker in workers.items():
            if worker == idle_worker:
                error = WorkerRestarted(f"its worker {worker} restarted without finishing it")
            elif seen.get(worker) is None or seen[worker] < cutoff:
                last = seen.get(worker)
                when = f" at {timezone.localtime(last).isoformat(timespec='seconds')}" if last else ""
                error = WorkerLost(f"its worker {worker} stopped responding{when}")
            else:
                continue
            if fail_task(task_id, error=error, now=now):
                failed.append(str(task_id))
    WorkerHeartbeat.objects.filter(seen_at__lt=now - max(PRUNE_AFTER, 2 * (now - cutoff))).delete()
    return failed


@transaction.atomic
def fail_task(task_id, *, error: WorkerLost, now) -> bool:
    """Mark the task failed with `error` and announce it, unless it finished meanwhile.

    In one transaction: if the database fails a receiver (the job it ran is not yet queued
    again), the task stays running and the next sweep tries again."""
    path = f"{type(error).__module__}.{type(error).__qualname__}"
    marked = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=path,
        traceback=f"{path}: {error}\n",
        return_value=None,
    )
    if not marked:
        return False
    announce_finished(DBTaskResult.objects.get(pk=task_id), error=error)
    logger.warning("Task %s failed: %s.", task_id, error)
    return True


def announce_finished(result: DBTaskResult, *, error: BaseException | None = None) -> None:
    """Send django-tasks' `task_finished` for a recorded result, as the worker does (`error`: why
    it failed).

    A receiver's database error is raised (the caller tries again once the database is back:
    receivers must bear being called twice); any other failure of a receiver is logged."""
    try:
        task = result.task
    except (ImportError, SuspiciousOperation):  # its code is gone: nobody to tell
        logger.warning("Task %s (%s) finished; its task no longer exists.", result.pk, result.task_path)
        return
    if error is None:
        responses = task_finished.send_robust(sender=type(task.get_backend()), task_result=result.task_result)
    else:
        try:
            raise error
        except BaseException:  # django-tasks logs a failure with logger.exception: let it name the error
            responses = task_finished.send_robust(sender=type(task.get_backend()), task_result=result.task_result)
    for receiver, response in responses:
        if isinstance(response, DATABASE_ERRORS):
            raise response
        if isinstance(response, Exception):
            logger.error("Task %s: %s failed on its end: %s", result.pk, receiver, response, exc_info=response)
