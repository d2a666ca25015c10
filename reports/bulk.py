"""Many reports at once: in the background (ReportJob + Django Tasks) or on the command line."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from background.outages import DATABASE_ERRORS
from reports.delivery import report_filename, report_pdf
from reports.models import JobStatus, ReportJob


def write_zip(items) -> bytes:
    """A ZIP of (file name, PDF bytes) pairs; PDFs are already compressed, so they are stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return buffer.getvalue()


def run_report_job(job_id: int) -> None:
    """Render every report of the job (reusing stored ones), counting progress, then zip them."""
    job = ReportJob.objects.get(pk=job_id)
    assessments = list(job.assessments.select_related("city", "version").order_by("city__name_zh", "year"))
    job.mark_running(total=len(assessments))
    try:
        files = []
        for assessment in assessments:
            stored = report_pdf(assessment, job.language)
            with stored.file.open("rb") as handle:
                files.append((report_filename(assessment, job.language), handle.read()))
            ReportJob.objects.filter(pk=job.pk).update(done=F("done") + 1)
        job.refresh_from_db()
        job.zip_file.save(f"reports-{job.pk}.zip", ContentFile(write_zip(files)), save=False)
        job.status, job.finished_at = JobStatus.DONE, timezone.now()
        job.save(update_fields=["zip_file", "status", "finished_at"])
    except DATABASE_ERRORS:
        raise  # not the job's fault: `reports.job_recovery` queues it again once the database is back
    except Exception as error:  # the job page must say what went wrong, not spin forever
        job.mark_failed(error)
        raise
