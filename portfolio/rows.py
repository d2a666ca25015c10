"""The portfolio of a consultant, a provincial analyst or an administrator: every city they may
see, with its latest submitted scores, in a constant number of queries (`portfolio_rows`).

The rules (filters, sorting, distribution, averages) are in `portfolio.rules`.
"""

from dataclasses import dataclass
from statistics import fmean

from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from assessment.models import Answer, Assessment, AssessmentStatus, Direction
from cities.models import City
from common.bilingual import pick
from portfolio import rules
from portfolio.rules import Cell, CityRow
from reports.national import NationalIndicator, national_indicators


def portfolio_rows(user, *, year: int | None = None) -> list[CityRow]:
    """One row per city `user` may see (3 queries, however many cities): the submitted assessment
    of `year`, or the latest one, with the previous one's overall score for the trend."""
    visible = City.objects.visible_to(user)
    cities = list(visible.prefetch_related("specialties").order_by("name_zh"))
    submitted = (
        Assessment.objects.filter(city__in=visible.values("pk"), status=AssessmentStatus.SUBMITTED)
        .annotate(
            overall=KeyTransform("overall", "stored_scores"),
            directions=KeyTransform("directions", "stored_scores"),
            completeness=KeyTransform("completeness", "stored_scores"),
        )
        .values("id", "city_id", "year", "version_id", "overall", "directions", "completeness")
        .order_by("city_id", "-year")
    )
    by_city: dict[int, list[dict]] = {}
    for assessment in submitted:
        by_city.setdefault(assessment["city_id"], []).append(assessment)
    return [_row(city, by_city.get(city.pk, []), year) for city in cities]


def _row(city: City, assessments: list[dict], year: int | None) -> CityRow:
    """The city's row from its submitted assessments, newest first."""
    profile = {
        "city_id": city.pk,
        "name": city.name,
        "province": city.province,
        "region": city.region,
        "tier": city.level,
        "cluster": city.cluster,
        "specialties": tuple(s.code for s in city.specialties.all()),
        "demo": city.is_demo,
    }
    chosen = next((a for a in assessments if year is None or a["year"] == year), None)
    if chosen is None:
        return CityRow(**profile)
    earlier = next((a for a in assessments if a["year"] < chosen["year"]), None)
    overall = chosen["overall"] or {}
    counts = chosen["completeness"] or {}
    questions = counts.get("questions") or 0
    return CityRow(
        **profile,
        assessment_id=chosen["id"],
        year=chosen["year"],
        overall=Cell(overall.get("score"), overall.get("level")),
        weakest_level=overall.get("weakest_level"),
        directions={
            name: Cell(node.get("score"), node.get("level")) for name, node in (chosen["directions"] or {}).items()
        },
        completeness=(counts.get("answered", 0) + counts.get("not_applicable", 0)) / questions if questions else None,
        previous_overall=((earlier or {}).get("overall") or {}).get("score"),
        across_versions=earlier is not None and earlier["version_id"] != chosen["version_id"],
    )


@dataclass(frozen=True)
class GroupNational:
    """The group's mean answer to a number question beside the national value for it."""

    indicator: NationalIndicator
    mean: float | None  # over the cities that answered it with a number
    cities: int
    unit: str  # in the active language


def national_comparison(rows: list[CityRow]) -> list[GroupNational]:
    """For each national indicator (fixtures/national-indicators.yaml), the mean answer of the rows'
    assessments (1 query), so a group can be set beside the national values."""
    indicators = {}
    for group in national_indicators().values():
        for indicator in group:
            indicators.setdefault(indicator.question, indicator)
    assessment_ids = [row.assessment_id for row in rows if row.assessed]
    answers = Answer.objects.filter(
        assessment_id__in=assessment_ids,
        question__code__in=indicators,
        number__isnull=False,
        not_applicable=False,
    ).values_list("question__code", "question__unit", "question__unit_en", "number")
    numbers, units = {}, {}
    for code, unit, unit_en, number in answers:
        numbers.setdefault(code, []).append(number)
        units[code] = pick({"zh-hans": unit, "en": unit_en})
    return [
        GroupNational(
            indicator,
            fmean(numbers[code]) if code in numbers else None,
            len(numbers.get(code, [])),
            units.get(code, ""),
        )
        for code, indicator in indicators.items()
    ]


def group_summary(rows: list[CityRow]) -> dict:
    """What the portfolio page and the portfolio report both show of a group of rows: the table
    (each row with its direction cells), the direction columns, the level distribution and the
    average of the assessed rows, and their answers beside the national values (1 query)."""
    assessed = [row for row in rows if row.assessed]
    columns = [(d, Direction(d).label) for d in rules.DIRECTIONS]
    return {
        "table": [(row, [row.cell(d) for d in rules.DIRECTIONS]) for row in rows],
        "assessed_rows": assessed,
        "assessed": len(assessed),
        "columns": columns,
        "parts": [*columns, ("overall", _("Overall"))],
        "distribution": rules.distribution(assessed),
        "average": rules.group_average(assessed),
        "national": national_comparison(assessed),
        "levels": rules.LEVELS,
    }
