"""Background tasks (Django's Tasks API through the django-tasks backport; database queue).

Each runs one `ReportJob`, named by the `job_id` argument; `TASK_OF_KIND` is the task of each kind
of job (`reports.job_recovery` queues a job again with it)."""

from django_tasks import task

from reports.bulk import run_report_job
from reports.models import JobKind
from reports.portfolio_jobs import run_workbook_job
from reports.portfolio_report import run_portfolio_job


@task()
def build_report_zip(job_id: int) -> None:
    run_report_job(job_id)


@task()
def build_portfolio_report(job_id: int) -> None:
    run_portfolio_job(job_id)


@task()
def build_portfolio_workbook(job_id: int) -> None:
    run_workbook_job(job_id)


TASK_OF_KIND = {
    JobKind.REPORTS: build_report_zip,
    JobKind.PORTFOLIO: build_portfolio_report,
    JobKind.WORKBOOK: build_portfolio_workbook,
}
