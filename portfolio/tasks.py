"""The portfolio's background tasks: its report (PDF) and its Excel export of many cities, each a job
task (`reports.tasks.job_task`) that runs one ReportJob."""

from portfolio.jobs import run_workbook_job
from portfolio.report import run_portfolio_job
from reports.tasks import job_task


@job_task
def build_portfolio_report(job_id: int) -> None:
    run_portfolio_job(job_id)


@job_task
def build_portfolio_workbook(job_id: int) -> None:
    run_workbook_job(job_id)
