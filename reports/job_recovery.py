"""A report job whose task ended without finishing it is queued again once, then failed with the
reason: a job never stays "queued" or "running" after its worker died (SPEC §8).

A task ends so when its worker was lost (killed, its machine gone: `background.recovery` fails
its tasks with `WorkerLost` after `WORKER_STALE_AFTER` seconds without a heartbeat) or when the
database went away under the job (the runners leave such a job open). Both announce the end with
django-tasks' `task_finished` signal, which `on_task_finished` hears (connected in `ReportsConfig`).
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from background.models import WorkerHeartbeat
from background.outages import DATABASE_ERRORS
from background.recovery import WORKER_LOST, WORKER_RESTARTED
from reports.models import JobStatus, ReportJob

RETRIES = 1  # a job is queued again once; a second loss fails it
DATABASE_ERROR_PATHS = {f"{error.__module__}.{error.__qualname__}" for error in DATABASE_ERRORS}


def on_task_finished(sender, task_result, **kwargs) -> None:
    """`task_finished` receiver: recover the job of a job task (`reports.tasks.job_task`), if the
    task left it open. Reading `task_result.task` imports the task's module, which registers it."""
    from reports.tasks import JOB_TASKS  # WeasyPrint and openpyxl come with the tasks: not at start

    if task_result.task.module_path in JOB_TASKS and "job_id" in task_result.kwargs:
        recover_job(task_result.kwargs["job_id"], task_result=task_result)


def recover_job(job_id: int, *, task_result) -> None:
    """Queue the job again (progress from nought, a note saying why) or, if it was already queued
    again, fail it with the reason; nothing if it is finished (the usual case, one query)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        job = job.first()
        if job is None:
            return
        with translation.override(job.language):
            reason = reason_of(task_result)
            if job.retries < RETRIES:
                job.status, job.done, job.error, job.retries = JobStatus.QUEUED, 0, "", job.retries + 1
                job.note = _("Started again because %(reason)s.") % {"reason": reason}
                job.save(update_fields=["status", "done", "error", "retries", "note"])
                # In the same transaction: the job is never queued without a task that runs it.
                task_result.task.enqueue(job_id=job.pk)
            else:
                job.status, job.finished_at = JobStatus.FAILED, timezone.now()
                job.error = _("The job stopped because %(reason)s; it had already been started again once.") % {
                    "reason": reason
                }
                job.save(update_fields=["status", "finished_at", "error"])


def reason_of(task_result) -> str:
    """Why the task ended without finishing its job, in the active language."""
    error = task_result.errors[-1] if task_result.errors else None
    if error is None:
        return _("its task ended without finishing it")
    if error.exception_class_path == WORKER_RESTARTED:
        return _("its worker restarted without finishing it")
    if error.exception_class_path == WORKER_LOST:
        worker = task_result.worker_ids[-1] if task_result.worker_ids else ""
        seen = WorkerHeartbeat.objects.filter(worker_id=worker).values_list("seen_at", flat=True).first()
        seen = seen or task_result.started_at
        if seen is None:
            return _("its worker stopped responding")
        when = date_format(timezone.localtime(seen), "DATETIME_FORMAT")
        return _("its worker stopped responding at %(time)s") % {"time": when}
    if error.exception_class_path in DATABASE_ERROR_PATHS:
        return _("the database connection was lost (%(error)s)") % {"error": last_line(error.traceback)}
    return _("it met an error (%(error)s)") % {"error": last_line(error.traceback)}


def last_line(traceback: str) -> str:
    """The exception's own line of a traceback, without the module path of its class."""
    line = (traceback.strip().splitlines() or [""])[-1]
    name, _colon, message = line.partition(": ")
    return (message or name)[:300]
