"""Background tasks (Django's Tasks API through the django-tasks backport; database queue).

A *job task* runs one `ReportJob`, named by its `job_id` argument; `job_task` makes one and
registers it, so that `reports.job_recovery` can queue its job again (with the same task) when the
worker running it was lost. The portfolio's job tasks are in `portfolio.tasks`."""

from django_tasks import task

from reports.bulk import run_report_job

JOB_TASKS: set[str] = set()  # the module paths of the job tasks, registered as their modules load


def job_task(function):
    """A task that runs one ReportJob (`job_id`), recovered like every job if its worker dies."""
    made = task()(function)
    JOB_TASKS.add(made.module_path)
    return made


@job_task
def build_report_zip(job_id: int) -> None:
    run_report_job(job_id)
