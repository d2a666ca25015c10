"""A report job never stays "queued" or "running" after its worker died (SPEC §8): queued again
once, with a note the job page shows, then failed with the reason."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from background.recovery import sweep
from background.worker import ResilientWorker
from reports.models import JobStatus, ReportJob
from reports.tasks import build_report_zip
from tests.background.faults import tables_unavailable
from tests.background.lost_workers import beat, claimed, lost
from tests.portfolio.test_portfolio import world  # noqa: F401 — the fixture


def bulk_job(team, **fields) -> tuple[ReportJob, object]:
    """A bulk job over the consultant's submitted assessments, queued; and its task."""
    job = ReportJob.objects.create(created_by=team.consultant, **{"language": "en", **fields})
    job.assessments.set(team.assessment.city.assessments.filter(status="submitted"))
    return job, build_report_zip.enqueue(job_id=job.pk)


@pytest.mark.django_db
def test_a_job_whose_worker_was_lost_is_queued_again_from_nought_with_a_note(client, world):  # noqa: F811
    job, task = bulk_job(world)
    lost(task)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=1, total=2)
    sweep()
    job.refresh_from_db()
    assert (job.status, job.done, job.retries, job.error) == (JobStatus.QUEUED, 0, 1, "")
    assert job.note.startswith("Started again because its worker stopped responding at ")
    assert DBTaskResult.objects.get(pk=task.id).status == "FAILED"
    again = DBTaskResult.objects.exclude(pk=task.id).get()
    assert again.status == "READY" and again.task_path == "reports.tasks.build_report_zip"
    assert again.args_kwargs["kwargs"] == {"job_id": job.pk}
    client.force_login(world.consultant)
    assert job.note in client.get(reverse("report_job", args=[job.pk])).content.decode()
    status = client.get(reverse("report_job", args=[job.pk]), headers={"Accept": "application/json"}).json()
    assert status["status"] == "queued" and status["note"] == job.note


@pytest.mark.django_db
def test_a_job_lost_a_second_time_fails_with_the_reason(world):  # noqa: F811
    job, task = bulk_job(world, retries=1, status=JobStatus.RUNNING)
    lost(task)
    sweep()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert job.error.startswith("The job stopped because its worker stopped responding at ")
    assert job.error.endswith("it had already been started again once.")
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db
def test_the_reason_is_written_in_the_jobs_language(world):  # noqa: F811
    job, task = bulk_job(world, language="zh-hans")
    lost(task)
    sweep()
    job.refresh_from_db()
    assert "工作进程" in job.note, job.note


@pytest.mark.django_db
def test_a_queued_job_whose_task_was_claimed_by_a_lost_worker_is_queued_again(world):  # noqa: F811
    """Killed between claiming the task and starting the job: the job never said "running"."""
    job, task = bulk_job(world)
    lost(task)
    sweep()
    job.refresh_from_db()
    assert (job.status, job.retries) == (JobStatus.QUEUED, 1)
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.django_db
def test_a_finished_job_is_left_as_it_is(world):  # noqa: F811
    job, task = bulk_job(world, status=JobStatus.DONE, done=2, total=2)
    lost(task)
    sweep()
    job.refresh_from_db()
    assert (job.status, job.retries, job.note) == (JobStatus.DONE, 0, "")


@pytest.mark.django_db
def test_a_job_of_a_worker_that_still_beats_is_left_running(world):  # noqa: F811
    job, task = bulk_job(world, status=JobStatus.RUNNING)
    claimed(task, "busy", ago=timedelta(hours=1))
    beat("busy")
    sweep()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.retries == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_the_database_failed_under_is_queued_again_not_failed(world, settings, tmp_path):  # noqa: F811
    """The runner leaves a database error to the recovery: the worker records the task's end and
    the job is queued again (here the table of stored reports cannot be read)."""
    settings.MEDIA_ROOT = tmp_path
    job, task = bulk_job(world)
    row = claimed(task, "this-worker")
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="this-worker",
        excluded_queue_names=[],
    )
    with tables_unavailable("reports_generatedreport"):
        worker.run_task(row)
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path == "django.db.utils.OperationalError"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.retries == 1
    assert job.note.startswith("Started again because the database connection was lost ("), job.note


@pytest.mark.django_db(transaction=True)
def test_a_sweep_the_database_fails_leaves_the_task_running_for_the_next_one(world):  # noqa: F811
    job, task = bulk_job(world, status=JobStatus.RUNNING)
    lost(task)
    with tables_unavailable("reports_reportjob"), pytest.raises(OperationalError):
        sweep()
    assert DBTaskResult.objects.get(pk=task.id).status == "RUNNING"  # not failed with its job left open
    sweep()
    job.refresh_from_db()
    assert (job.status, job.retries) == (JobStatus.QUEUED, 1)
    assert DBTaskResult.objects.get(pk=task.id).status == "FAILED"
