"""The maturity report as a page and as a PDF, and bulk reports for consultants."""

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessment.access import get_assessment_for_user
from assessment.answering import progress_counts
from assessment.interim import interim_results
from assessment.models import Assessment
from plans.compute import deliver_plan_once
from plans.models import DeliveredPlan
from reports import exports
from reports.delivery import LANGUAGES, report_filename, report_pdf
from reports.models import JobKind, JobStatus, ReportJob
from reports.report_data import build_report, submitted_assessments
from reports.tasks import build_report_zip


def _submitted_assessment_for_user(user, assessment_id) -> Assessment:
    assessment = get_assessment_for_user(user, assessment_id)
    if assessment.is_draft:
        raise Http404(_("The report is made once the assessment has been submitted."))
    return assessment


@login_required
def report_page(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    if assessment.is_draft:  # no report yet: the provisional results instead of a dead end
        interim = interim_results(assessment, progress_counts(assessment))
        return render(request, "reports/report_not_ready.html", {"assessment": assessment, "interim": interim})
    deliver_plan_once(assessment, reason=DeliveredPlan.Reason.REPORT)  # the plan the city receives stays as it is
    report = build_report(assessment, language=translation.get_language())
    return render(request, "reports/report_page.html", {"report": report, "assessment": assessment})


@login_required
def report_download(request, assessment_id):
    """The stored PDF (rendered first if missing or out of date)."""
    assessment = _submitted_assessment_for_user(request.user, assessment_id)
    language = request.GET.get("lang") or translation.get_language()
    if language not in LANGUAGES:
        raise Http404
    stored = report_pdf(assessment, language)
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=report_filename(assessment, language),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class BulkReportForm(forms.Form):
    assessments = forms.ModelMultipleChoiceField(
        queryset=Assessment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Assessments"),
    )
    language = forms.ChoiceField(choices=[("zh-hans", "简体中文"), ("en", "English")], label=_("Language"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = (
            submitted_assessments()
            .filter(pk__in=Assessment.objects.visible_to(user).values("pk"))
            .select_related("city")
            .order_by("city__name_zh", "-year")
        )
        self.fields["assessments"].label_from_instance = lambda a: f"{a.city.name} {a.year}"


@login_required
def bulk(request):
    form = BulkReportForm(request.POST or None, user=request.user, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        job = ReportJob.objects.create(
            created_by=request.user, language=form.cleaned_data["language"], total=len(form.cleaned_data["assessments"])
        )
        job.assessments.set(form.cleaned_data["assessments"])
        build_report_zip.enqueue(job_id=job.pk)
        return redirect("report_job", job.pk)
    jobs = ReportJob.objects.visible_to(request.user).filter(created_by=request.user)[:10]
    return render(request, "reports/bulk.html", {"form": form, "jobs": jobs})


def _job_for_user(user, job_id) -> ReportJob:
    """The job if `user` made it (or is an administrator) and may still see all it shows; else 404."""
    return get_object_or_404(ReportJob.objects.visible_to(user), pk=job_id)


@login_required
def job(request, job_id):
    job = _job_for_user(request.user, job_id)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "status": job.status,
                "done": job.done,
                "total": job.total,
                "percent": job.percent,
                "error": job.error,
                "note": job.note,
            }
        )
    return render(request, "reports/job.html", {"job": job})


@login_required
def job_download(request, job_id):
    job = _job_for_user(request.user, job_id)
    if job.kind == JobKind.PORTFOLIO:
        if job.status != JobStatus.DONE or not job.pdf_file:
            raise Http404
        name = f"portfolio-report-{job.pk}-{job.language}.pdf"
        return FileResponse(job.pdf_file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    if job.kind == JobKind.WORKBOOK:
        if job.status != JobStatus.DONE or not job.workbook_file:
            raise Http404
        name = f"portfolio-{job.pk}-{job.language}.xlsx"
        return FileResponse(
            job.workbook_file.open("rb"), as_attachment=True, filename=name, content_type=exports.XLSX_TYPE
        )
    if job.status != JobStatus.DONE or not job.zip_file:
        raise Http404
    return FileResponse(job.zip_file.open("rb"), as_attachment=True, filename=f"maturity-reports-{job.pk}.zip")


@login_required
def assessment_export(request, assessment_id):
    """One assessment as XLSX: its answers (an answers file), scores and plan; for whoever may see it."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    response = HttpResponse(exports.assessment_workbook(assessment), content_type=exports.XLSX_TYPE)
    name = f"{assessment.city.name_zh}-{assessment.year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
