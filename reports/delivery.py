"""Stored reports: generated once, served from storage until something they show changes."""

import hashlib
import json
import time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessment.findings import rule_set_id_of
from assessment.models import Assessment
from plans.compute import deliver_plan_once
from plans.models import DeliveredPlan
from reports.models import GeneratedReport
from reports.pdf import render_pdf
from reports.report_data import REPORT_LAYOUT_VERSION, Report, build_report, submitted_assessments

LANGUAGES = ("zh-hans", "en")


def report_filename(assessment: Assessment, language: str) -> str:
    """E.g. 昆山市-2026-数字化转型成熟度报告.pdf / Kunshan-2026-digital-maturity-report.pdf."""
    if language == "en":
        name = (assessment.city.name_en or assessment.city.name_zh).replace(" ", "-")
        return f"{name}-{assessment.year}-digital-maturity-report.pdf"
    return f"{assessment.city.name_zh}-{assessment.year}-数字化转型成熟度报告.pdf"


def report_fingerprint(assessment: Assessment, language: str) -> str:
    """A digest of what the report shows, from a few cheap queries: its stored scores, the
    consultant's plan changes and remarks, the peer and previous assessments it compares with,
    the city's names and profile, the rules its answers are checked with (a new revision changes the
    data-quality note), and the language. (Catalogue edits do not change a delivered report.)"""
    city = assessment.city
    peers = list(
        submitted_assessments()
        .filter(city__region=city.region, city__level=city.level)
        .exclude(city=city)
        .order_by("city_id", "-year")
        .values_list("city_id", "year", "submitted_at")
    )
    previous = list(
        submitted_assessments()
        .filter(city=city, year__lt=assessment.year)
        .order_by("-year")
        .values_list("pk", "submitted_at")[:1]
    )
    adjustments = list(
        assessment.plan_adjustments.order_by("action_code").values_list(
            "action_code", "hidden", "phase", "order", "remark"
        )
    )
    content = [
        REPORT_LAYOUT_VERSION,
        language,
        assessment.pk,
        assessment.status,
        assessment.submitted_at,
        assessment.stored_scores,
        adjustments,
        peers,
        previous,
        city.name_zh,
        city.name_en,
        # The city's profile shapes its plan: budget, capacity, size, location, specialties.
        [
            str(getattr(city, field))
            for field in ("digital_budget", "project_capacity", "population", "townships", "level", "province")
        ],
        [city.cluster, city.functional_zone, city.terrain, sorted(s.code for s in city.specialties.all())],
        rule_set_id_of(assessment),
        # The plan the city received (a consultant's recomputing delivers a new one).
        getattr(DeliveredPlan.objects.in_force(assessment), "pk", None),
    ]
    return hashlib.sha256(json.dumps(content, default=str, sort_keys=True).encode()).hexdigest()


def render_report_html(report: Report, *, for_pdf: bool) -> str:
    template = "reports/report_pdf.html" if for_pdf else "reports/report_page.html"
    return render_to_string(template, {"report": report, "assessment": report.assessment, "for_pdf": for_pdf})


def report_pdf(assessment: Assessment, language: str) -> GeneratedReport:
    """The stored PDF of the report in `language`, rendered now only if it is missing or out of date.

    Two requests may render the same report at once (two consultants, two servers); rendering
    holds no lock, so neither waits, and the first to store its PDF wins: the other keeps the
    stored one and deletes its own file (the content is the same).
    """
    deliver_plan_once(assessment, reason=DeliveredPlan.Reason.REPORT)  # the plan the city receives stays as it is
    fingerprint = report_fingerprint(assessment, language)
    stored = GeneratedReport.objects.filter(assessment=assessment, language=language).first()
    if stored and stored.fingerprint == fingerprint and stored.file and stored.file.storage.exists(stored.file.name):
        return stored
    start = time.perf_counter()
    with translation.override(language):
        html = render_report_html(build_report(assessment, language=language), for_pdf=True)
    pdf = render_pdf(html)
    rendered = GeneratedReport(
        assessment=assessment,
        language=language,
        fingerprint=fingerprint,
        size=len(pdf),
        render_seconds=time.perf_counter() - start,
    )
    rendered.file.save(f"report-{language}.pdf", ContentFile(pdf), save=False)
    return _store(rendered, replacing=stored)


def _store(rendered: GeneratedReport, *, replacing: GeneratedReport | None) -> GeneratedReport:
    """Record the rendered PDF unless another request recorded one since `replacing` was read."""
    if replacing is None:
        try:
            with transaction.atomic():
                rendered.save()
            return rendered
        except IntegrityError:  # the first stored this report meanwhile: keep theirs
            rendered.file.delete(save=False)
            return GeneratedReport.objects.get(assessment=rendered.assessment, language=rendered.language)
    won = GeneratedReport.objects.filter(pk=replacing.pk, file=replacing.file.name).update(
        file=rendered.file.name,
        fingerprint=rendered.fingerprint,
        size=rendered.size,
        render_seconds=rendered.render_seconds,
        created_at=timezone.now(),
    )
    if won:
        if replacing.file:
            replacing.file.delete(save=False)  # the out-of-date PDF
    else:
        rendered.file.delete(save=False)
    return GeneratedReport.objects.get(pk=replacing.pk)
