"""Generated reports and the background jobs that make them (bulk reports, and the portfolio's)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from cities.models import City
from common.storage import private_storage


def report_upload_path(report, filename: str) -> str:
    return f"reports/{report.assessment_id}/{filename}"


def report_storage():
    """Generated reports live with the private files (`common.storage`); they are served only
    through a checked view."""
    return private_storage()


class GeneratedReport(models.Model):
    """A rendered report PDF, reused while its fingerprint (everything it shows) stays the same."""

    assessment = models.ForeignKey("assessment.Assessment", on_delete=models.CASCADE, related_name="reports")
    language = models.CharField(_("language"), max_length=10)
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to=report_upload_path, storage=report_storage, max_length=300)
    size = models.PositiveIntegerField(default=0)
    render_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [models.UniqueConstraint(fields=["assessment", "language"], name="one_report_per_language")]

    def __str__(self):
        return f"{self.assessment} · {self.language}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    REPORTS = "reports", _("City reports (ZIP)")
    PORTFOLIO = "portfolio", _("Portfolio report (PDF)")
    WORKBOOK = "workbook", _("Portfolio export (Excel)")


class ReportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs `user` made (an administrator: every job) whose every assessment and city
        `user` may still see: a consultant removed from a city loses the files made before."""
        if user.is_staff:
            return self.all()
        hidden_assessments = Assessment.objects.exclude(pk__in=Assessment.objects.visible_to(user).values("pk"))
        hidden_cities = City.objects.exclude(pk__in=City.objects.visible_to(user).values("pk"))
        return (
            self.filter(created_by=user)
            .exclude(assessments__in=hidden_assessments.values("pk"))
            .exclude(cities__in=hidden_cities.values("pk"))
        )


class ReportJob(models.Model):
    """Work done in the background (Django Tasks): reports for several cities delivered as one ZIP,
    one portfolio report (a PDF about many cities, for the filters in `query`), or the portfolio's
    Excel export when it holds too many cities to build during a request.

    `assessments` and `cities` are what the file shows (a portfolio job records them when it runs);
    only a user who may see all of them sees the job. `retries` counts the times the job was queued
    again after its worker was lost (`reports.job_recovery`), `note` says why."""

    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices, default=JobKind.REPORTS)
    query = models.CharField(_("portfolio filters"), max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)  # a portfolio report: everything it shows
    pdf_file = models.FileField(upload_to="portfolio-reports/", storage=report_storage, max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs")
    assessments = models.ManyToManyField("assessment.Assessment", related_name="+")
    cities = models.ManyToManyField("cities.City", related_name="+")
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    zip_file = models.FileField(upload_to="report-jobs/", storage=report_storage, max_length=300, blank=True)
    workbook_file = models.FileField(upload_to="portfolio-exports/", storage=report_storage, max_length=300, blank=True)
    error = models.TextField(blank=True)
    retries = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def mark_running(self, **fields) -> None:
        """Running, with its progress from nought: a job queued again starts over."""
        ReportJob.objects.filter(pk=self.pk).update(status=JobStatus.RUNNING, done=0, error="", **fields)

    def mark_failed(self, error: Exception) -> None:
        ReportJob.objects.filter(pk=self.pk).update(
            status=JobStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
