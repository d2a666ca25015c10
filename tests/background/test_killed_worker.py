"""kill -9 of a worker in the middle of a bulk job: another worker finds it lost once its heartbeat
is older than WORKER_STALE_AFTER (or the worker restarted with the same id takes it back at once),
queues the job again, and the job finishes with a correct file (a job lost a second time fails
with its reason: tests/reports/test_job_recovery.py)."""

import io
import zipfile

import pytest
from django_tasks_db.models import DBTaskResult

from assessment.lifecycle import start_assessment, submit_assessment
from background.recovery import WORKER_LOST, WORKER_RESTARTED
from plans.catalogue_file import import_catalogue
from reports.models import JobStatus, ReportJob
from reports.tasks import build_report_zip
from tests.background.processes import log_of, wait_for
from tests.factories import assign_consultant, make_city, make_user, make_version
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = pytest.mark.django_db(transaction=True)

CITIES = 5


@pytest.fixture
def bulk_job() -> ReportJob:
    """A consultant's bulk job over five cities' submitted assessments, queued."""
    make_version(publish=True)
    import_catalogue(SMALL)
    consultant = make_user(consultant=True)
    job = ReportJob.objects.create(created_by=consultant, language="en", total=CITIES)
    for number in range(CITIES):
        city = make_city(name=f"测试{number}市", name_en=f"Testcity{number}")
        assign_consultant(consultant, city)
        job.assessments.add(submit_assessment(start_assessment(city=city, year=2026, user=consultant)))
    build_report_zip.enqueue(job_id=job.pk)
    return job


def progress(job: ReportJob) -> ReportJob:
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("worker_ids", "stale_after", "lost", "reason"),
    [
        # another worker, once the first is silent for 3 s
        ([None, None], "3", WORKER_LOST, "its worker stopped responding at "),
        # the first restarted with its id: at once, not after 10 minutes
        (["cdm-1", "cdm-1"], "600", WORKER_RESTARTED, "its worker restarted without finishing it"),
    ],
    ids=["another-worker", "restarted-with-its-id"],
)
def test_a_job_whose_worker_was_killed_is_run_again_and_finishes(
    processes, bulk_job, tmp_path, worker_ids, stale_after, lost, reason
):
    env = {"WORKER_STALE_AFTER": stale_after, "MEDIA_ROOT": str(tmp_path / "media")}
    first_id, second_id = ([] if worker_id is None else ["--worker-id", worker_id] for worker_id in worker_ids)
    first = processes.worker(*first_id, name="first", env=env)
    wait_for(lambda: progress(bulk_job).done >= 1, timeout=30, what="the first report of the job", every=0.02)
    first.kill()  # SIGKILL: no goodbye, no cleanup
    first.wait()
    job = progress(bulk_job)
    assert job.status == JobStatus.RUNNING and 1 <= job.done < CITIES, "the job ended before the kill"

    second = processes.worker(*second_id, name="second", env=env)
    wait_for(lambda: progress(bulk_job).status in ("done", "failed"), timeout=30, what="the job to end")
    job = progress(bulk_job)
    assert job.status == JobStatus.DONE, (job.error, log_of(second))
    assert (job.done, job.total, job.retries) == (CITIES, CITIES, 1)
    assert job.note.startswith(f"Started again because {reason}"), job.note
    # (read where the worker wrote it: the model's storage was made with this process's settings)
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "media" / job.zip_file.name).read_bytes()))
    assert sorted(archive.namelist()) == [f"Testcity{n}-2026-digital-maturity-report.pdf" for n in range(CITIES)]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    killed, rerun = DBTaskResult.objects.order_by("enqueued_at")
    assert (killed.status, killed.exception_class_path) == ("FAILED", lost)
    assert rerun.status == "SUCCESSFUL"
    assert second.poll() is None
