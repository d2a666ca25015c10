"""The portfolio report: a short PDF about many cities (a province's, or a consultant's), built in
the background like the bulk city reports, stored with its job and reused while nothing it
shows has changed.

Content: the group overview (cities, average, distribution of levels), the most common gaps and
first steps across the cities, and the cities furthest behind in each direction. The rules are
in `portfolio.rules`.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models.fields.json import KeyTransform
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessment.bank_cache import version_questions
from assessment.models import Assessment
from plans.compute import adjusted_plan, compute_plan, first_steps
from plans.models import PlanAdjustment
from portfolio import rules
from portfolio.jobs import run_job
from portfolio.rows import group_summary
from reports.fonts import report_font_stack
from reports.models import JobKind, JobStatus, ReportJob
from reports.pdf import render_pdf
from reports.report_data import REPORT_LAYOUT_VERSION

GAP_LEVEL = 2  # a dimension at this level or below is a gap


@dataclass
class Named:
    code: str
    title: str
    cities: int


def fingerprint(rows: list[rules.CityRow], query: str, language: str) -> str:
    """Everything the report shows: the cities and assessments, the filters, the language, the
    layout version and the consultants' changes to the plans."""
    assessments = sorted(row.assessment_id for row in rows if row.assessed)
    adjustments = list(
        PlanAdjustment.objects.filter(assessment_id__in=assessments)
        .order_by("pk")
        .values_list("assessment_id", "action_code", "hidden", "phase", "order")
    )
    cities = [(row.city_id, row.assessment_id) for row in rows]
    data = [REPORT_LAYOUT_VERSION, query, language, cities, adjustments]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def _gaps_of(dimensions: dict) -> list[str]:
    return [code for code, node in dimensions.items() if node.get("level") and node["level"] <= GAP_LEVEL]


def report_content(rows: list[rules.CityRow]) -> dict:
    """The sections of the report, in the active language."""
    summary = group_summary(rows)
    assessed = summary["assessed_rows"]
    chosen = Assessment.objects.filter(pk__in=[row.assessment_id for row in assessed]).select_related("city", "version")
    chosen = list(chosen.annotate(dimension_scores=KeyTransform("dimensions", "stored_scores")))
    titles = {}
    for assessment in chosen:
        for question in version_questions(assessment.version).values():
            titles.setdefault(question.dimension.code, str(question.dimension.title))
    gaps = rules.most_common([_gaps_of(a.dimension_scores or {}) for a in chosen])
    steps_of_cities = []
    for assessment in chosen:
        phases, _hidden = adjusted_plan(assessment, compute_plan(assessment))
        steps_of_cities.append(first_steps(phases))
    action_titles = {
        item.planned.action.code: (item.action.title if item.action else item.planned.action.code)
        for items in steps_of_cities
        for item in items
    }
    steps = rules.most_common([[item.planned.action.code for item in items] for items in steps_of_cities])
    distribution, average = summary["distribution"], summary["average"]
    return {
        **summary,
        "rows": rows,
        "overview": [
            (label, average[key], [distribution[key][level] for level in rules.LEVELS])
            for key, label in summary["parts"]
        ],
        "gaps": [Named(code, titles.get(code, code), n) for code, n in gaps],
        "steps": [Named(code, action_titles[code], n) for code, n in steps],
        "behind": [
            (label, [(row.name, row.cell(key)) for row in rules.furthest_behind(assessed, key)])
            for key, label in summary["columns"]
        ],
        "national": [item for item in summary["national"] if item.mean is not None],
        "report": {"font_stack": report_font_stack(translation.get_language())},
    }


def run_portfolio_job(job_id: int) -> None:
    """Build the job's PDF, or reuse the PDF of an earlier job of the same user that shows the same."""
    run_job(job_id, _build_report)


def _build_report(job: ReportJob, rows: list[rules.CityRow]) -> list[str]:
    job.total = len([row for row in rows if row.assessed])
    job.fingerprint = fingerprint(rows, job.query, job.language)
    earlier = (
        ReportJob.objects.filter(
            created_by=job.created_by, kind=JobKind.PORTFOLIO, status=JobStatus.DONE, fingerprint=job.fingerprint
        )
        .exclude(pdf_file="")
        .first()
    )
    if earlier is not None and earlier.pdf_file.storage.exists(earlier.pdf_file.name):
        job.pdf_file.name = earlier.pdf_file.name  # the same PDF, kept once
    else:
        content = report_content(rows)
        html = render_to_string("portfolio/portfolio_pdf.html", {**content, "job": job, "today": timezone.localdate()})
        job.pdf_file.save(f"portfolio-{job.pk}.pdf", ContentFile(render_pdf(html)), save=False)
    return ["pdf_file", "fingerprint"]
