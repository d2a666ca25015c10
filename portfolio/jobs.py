"""Portfolio work for the report worker: the portfolio report (PDF, `portfolio.report`) and
the portfolio's Excel export when it holds more cities than a request should build.

A job keeps the filters it was asked for and selects its cities when it runs, as its creator may
see them then, and records them: the job is shown only to a user who may still see all of them.
A failure is recorded with its reason, so the job page never waits forever.
"""

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone, translation

from background.outages import DATABASE_ERRORS
from portfolio import exports, rules
from portfolio.filters import selection
from reports.models import JobStatus, ReportJob

# A portfolio of up to this many assessed cities is exported during the request (about 1 s);
# a larger one by the worker, with a progress bar (each city's plan takes about 25 ms).
DIRECT_WORKBOOK_CITIES = 50


def run_job(job_id: int, build: Callable[[ReportJob, list[rules.CityRow]], list[str]]) -> None:
    """Run `build(job, rows)` in the job's language over the cities its filters select; `build`
    fills in the job and returns the fields it set, which are saved with the finished status."""
    job = ReportJob.objects.select_related("created_by").get(pk=job_id)
    job.mark_running()
    try:
        with translation.override(job.language):
            _form, rows, _sort, _descending = selection(job.created_by, QueryDict(job.query))
            # What the file shows: whoever opens the job must still see all of it.
            job.cities.set([row.city_id for row in rows])
            job.assessments.set([row.assessment_id for row in rows if row.assessed])
            fields = build(job, rows)
        job.status, job.finished_at, job.done = JobStatus.DONE, timezone.now(), job.total
        job.save(update_fields=[*fields, "status", "finished_at", "done", "total"])
    except DATABASE_ERRORS:
        raise  # not the job's fault: `reports.job_recovery` queues it again once the database is back
    except Exception as error:  # the job page must say what went wrong, not spin forever
        job.mark_failed(error)
        raise


def run_workbook_job(job_id: int) -> None:
    """Build the portfolio's Excel file, counting the cities whose plans are done."""
    run_job(job_id, _build_workbook)


def _build_workbook(job: ReportJob, rows: list[rules.CityRow]) -> list[str]:
    job.total = sum(row.assessed for row in rows)
    ReportJob.objects.filter(pk=job.pk).update(total=job.total)

    def progress(done: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(done=done)

    content = exports.portfolio_workbook(rows, progress=progress)
    job.workbook_file.save(f"portfolio-{job.pk}.xlsx", ContentFile(content), save=False)
    return ["workbook_file"]
