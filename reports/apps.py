from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django_tasks.signals import task_finished

        from reports import checks  # noqa: F401  (registers the PDF system checks)
        from reports.job_recovery import on_task_finished

        task_finished.connect(on_task_finished, dispatch_uid="reports.job_recovery")
