"""Installed packages named in the interface's languages.

django-tasks-db and django-axes name their apps in plain English and ship no Chinese catalogue. The
configs below give the two apps translated names (INSTALLED_APPS lists them instead of the packages'
own). The packages' model, field and status names are translated lazily where they are shown, so our
catalogue (locale/) translates them too: they are repeated at the end, for makemessages to collect.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Tasks Database Backend")


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("Login protection")


PACKAGE_STRINGS = [
    # django_tasks_db: the task results (the bulk report jobs) and their fields.
    _("Task Result"),
    _("Task Results"),
    _("enqueued at"),
    _("started at"),
    _("args kwargs"),
    _("task path"),
    _("worker id"),
    _("queue name"),
    _("backend name"),
    _("return value"),
    _("exception class path"),
    # django_tasks: the status of a task.
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
    # axes: logins, failed and refused.
    _("access attempt"),
    _("access attempts"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("Access Attempt"),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Access lock out"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("Locked Out"),
    _("Form Data"),
    _("Meta Data"),
    _("Clean up expired attempts"),
    _("Not set"),
    _("Attempt Remaining"),
]
