"""Everything a maturity report shows (SPEC §6), assembled once for the page and the PDF."""

import statistics
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.consistency import CheckedFinding
from assessment.findings import assessment_findings, rule_set_in_force
from assessment.framework import FrameworkView
from assessment.models import Assessment, AssessmentStatus, CheckRuleSet, Dimension, Direction
from assessment.review import AnswerRow, answer_rows
from assessment.scores import national_view, restore, scores_of
from assessment.scoring import NodeScore, Scores
from common import charts
from common.bilingual import pick
from plans.compute import (
    AdjustedPhase,
    BudgetFacts,
    PlanItem,
    adjusted_plan,
    budget_facts,
    compute_plan,
    describe_unscheduled,
    first_steps,
    in_place_rows,
)
from plans.models import DeliveredPlan
from reports.fonts import report_font_stack
from reports.national import NationalIndicator, indicators_for
from reports.summary import executive_summary, listing

REPORT_LAYOUT_VERSION = "11"  # bump when the report's content or layout changes: stored reports are remade
MIN_PEERS = 5
STRENGTH_SCORE, GAP_SCORE, LIST_LENGTH = 75, 25, 3


def level_name(level: int | None) -> str:
    names = {1: _("Initial"), 2: _("Developing"), 3: _("Integrated"), 4: _("Optimising"), 5: _("Leading")}
    return names.get(level, "—") if level else "—"


@dataclass
class DirectionSection:
    direction: str
    label: str
    node: NodeScore
    dimensions: list[tuple[Dimension, NodeScore]]
    strengths: list[AnswerRow]
    gaps: list[AnswerRow]
    bars: str


@dataclass
class PeerComparison:
    count: int
    medians: dict[str, float | None]  # per direction; empty when fewer than MIN_PEERS

    @property
    def shown(self) -> bool:
        return self.count >= MIN_PEERS


@dataclass
class NationalRow:
    indicator: NationalIndicator
    value: float | None  # the city's answer; None when not answered or not applicable
    unit: str  # in the active language
    more_is_better: bool

    @property
    def ahead(self) -> bool | None:
        """Whether the city is at or beyond the national value (None without an answer)."""
        if self.value is None:
            return None
        return self.value >= self.indicator.value if self.more_is_better else self.value <= self.indicator.value


@dataclass
class Trend:
    year: int
    overall: float | None
    directions: dict[str, float | None]
    questionnaire: str = ""  # the version the earlier assessment was answered on


@dataclass
class DataQuality:
    """The data-quality note: what the answer checks found, and how the city explained its warnings."""

    rule_set: CheckRuleSet | None  # the rules the answers were checked with (those in force)
    explained: list[CheckedFinding] = field(default_factory=list)  # warnings with the comment that explains them
    unexplained: list[CheckedFinding] = field(default_factory=list)
    notices: list[CheckedFinding] = field(default_factory=list)
    revised_after_submission: bool = False  # the rules in force were imported after the assessment was submitted

    @property
    def clean(self) -> bool:
        return not (self.explained or self.unexplained or self.notices)


def data_quality(assessment: Assessment) -> DataQuality:
    """What the rules in force find in the assessment's answers (computed, never stored)."""
    rule_set = rule_set_in_force(assessment)
    if rule_set is None:
        return DataQuality(None)
    found = assessment_findings(assessment)
    warnings = [f for f in found if f.finding.severity == "warning"]
    return DataQuality(
        rule_set,
        explained=[f for f in warnings if f.explanation is not None],
        unexplained=[f for f in warnings if f.explanation is None],
        notices=[f for f in found if f.finding.severity == "notice"],
        revised_after_submission=bool(assessment.submitted_at and rule_set.imported_at > assessment.submitted_at),
    )


@dataclass
class Report:
    assessment: Assessment
    language: str
    scores: Scores
    sections: list[DirectionSection]
    radar: str
    peers: PeerComparison
    trend: Trend | None
    phases: list[AdjustedPhase]
    unscheduled: list[tuple[str, str, str]]
    rows: list[AnswerRow]
    plan_catalogue: str
    font_stack: str
    annual_budget: float = 0.0
    national: list[NationalRow] = field(default_factory=list)
    framework: FrameworkView | None = None  # the results by GB/T 33356-2022 indicators, if the bank maps them
    quality: DataQuality | None = None  # the data-quality note
    budget: BudgetFacts | None = None  # the money the plan works with, assumptions marked
    in_place: list[tuple[str, str, str]] = field(default_factory=list)  # what the answers say the city has
    delivered: DeliveredPlan | None = None  # the plan as the city received it
    generated_at: object = field(default_factory=timezone.now)

    @property
    def direction_weights(self) -> list[tuple[str, float]]:
        """The version's direction weights by the directions' names, for the method appendix."""
        weights = self.assessment.version.direction_weights or {}
        return [(Direction(name).label, weight) for name, weight in weights.items() if name in Direction.values]

    @property
    def strongest(self) -> DirectionSection | None:
        scored = [s for s in self.sections if s.node.score is not None]
        return max(scored, key=lambda s: s.node.score, default=None)

    @property
    def weakest(self) -> DirectionSection | None:
        scored = [s for s in self.sections if s.node.score is not None]
        return min(scored, key=lambda s: s.node.score, default=None)

    @property
    def first_priorities(self) -> list[PlanItem]:
        """The first three steps of the plan as the consultant left it: phase by phase, in order."""
        return first_steps(self.phases)

    @property
    def entry_item(self) -> PlanItem | None:
        """The city's entry point in year one or among the first steps of the plan, if it has one."""
        year_one = self.phases[0].items if self.phases else []
        return next((item for item in [*year_one, *self.first_priorities] if item.planned.entry), None)

    @property
    def duties(self) -> list[PlanItem]:
        """The plan's compliance gaps: legal or binding duties the answers leave undone."""
        return [item for phase in self.phases for item in phase.duties]

    @property
    def summary(self) -> list[str]:
        return executive_summary(self)

    @property
    def framework_gaps(self) -> str:
        """The sentence naming the standard's indicators that no question of the bank measures."""
        if self.framework is None or not self.framework.not_covered:
            return ""
        names = [pick(indicator.title) for indicator in self.framework.not_covered]
        return _("Covered by the standard but not by this questionnaire: %(indicators)s.") % {
            "indicators": listing(names)
        }

    @property
    def level_label(self) -> str:
        return level_name(self.scores.overall.level)


def build_report(assessment: Assessment, *, language: str) -> Report:
    """Assemble the report of a submitted assessment in the active language (call under translation.override)."""
    scores = scores_of(assessment)
    rows = answer_rows(assessment)
    dimensions = {d.code: d for d in Dimension.objects.filter(version_id=assessment.version_id)}
    sections = []
    for direction, label in Direction.choices:
        dims = [
            (dimensions[code], node)
            for code, node in scores.dimensions.items()
            if code in dimensions and dimensions[code].direction == direction
        ]
        if not dims:
            continue
        in_direction = [r for r in rows if r.question.dimension.direction == direction]
        scored = [(scores.question_scores.get(r.question.code), r) for r in in_direction]
        strengths = [r for s, r in sorted(scored, key=lambda x: -(x[0] or 0)) if s is not None and s >= STRENGTH_SCORE]
        gaps = [
            r
            for s, r in sorted(scored, key=lambda x: x[0] if x[0] is not None else 101)
            if s is not None and s <= GAP_SCORE
        ]
        bars = charts.bar_chart([(f"{d.code} {d.title}", node.score, node.level) for d, node in dims])
        sections.append(
            DirectionSection(
                direction,
                str(label),
                scores.directions[direction],
                dims,
                strengths[:LIST_LENGTH],
                gaps[:LIST_LENGTH],
                bars,
            )
        )
    peers = peer_comparison(assessment)
    labels = [s.label for s in sections]
    font_stack = report_font_stack(language)
    radar = charts.radar_chart(
        labels,
        [s.node.score for s in sections],
        [peers.medians.get(s.direction) for s in sections] if peers.shown else None,
        city_label=f"{assessment.city.name} {assessment.year}",
        peer_label=_("Peer median (%(count)s cities)") % {"count": peers.count},
        font_family=font_stack,
    )
    computed = compute_plan(assessment)
    phases, _hidden = adjusted_plan(assessment, computed)
    unscheduled = [
        (
            u.planned.action.code,
            computed.actions[u.planned.action.code].title
            if u.planned.action.code in computed.actions
            else u.planned.action.code,
            describe_unscheduled(u),
        )
        for u in computed.plan.unscheduled
    ]
    return Report(
        assessment=assessment,
        language=language,
        scores=scores,
        sections=sections,
        radar=radar,
        peers=peers,
        trend=previous_trend(assessment),
        phases=phases,
        unscheduled=unscheduled,
        rows=rows,
        plan_catalogue=computed.catalogue.code if computed.catalogue else "",
        font_stack=font_stack,
        annual_budget=computed.plan.annual_budget,
        national=national_comparison(assessment, rows) if not peers.shown else [],
        framework=national_view(assessment.version, scores),
        quality=data_quality(assessment),
        budget=budget_facts(assessment.city, computed.plan),
        in_place=in_place_rows(computed),
        delivered=computed.delivered,
    )


def submitted_assessments():
    return Assessment.objects.exclude(status=AssessmentStatus.DRAFT)


def peer_comparison(assessment: Assessment) -> PeerComparison:
    """Median direction scores of the peer cities (same region and level, latest submitted
    assessment each); shown only from MIN_PEERS cities on, so no single city can be identified."""
    city = assessment.city
    latest = {}
    for other in (
        submitted_assessments()
        .filter(city__region=city.region, city__level=city.level)
        .exclude(city=city)
        .order_by("city_id", "-year")
        .only("city_id", "year", "stored_scores")
    ):
        latest.setdefault(other.city_id, other)
    if len(latest) < MIN_PEERS:
        return PeerComparison(len(latest), {})
    medians = {}
    for direction in Direction.values:
        values = [restore(a.stored_scores).directions[direction].score for a in latest.values() if a.stored_scores]
        values = [v for v in values if v is not None]
        medians[direction] = statistics.median(values) if values else None
    return PeerComparison(len(latest), medians)


def national_comparison(assessment: Assessment, rows: list[AnswerRow]) -> list[NationalRow]:
    """The city's number answers beside the national reference values (fixtures/national-indicators.yaml)."""
    by_code = {row.question.code: row for row in rows}
    comparison = []
    for indicator in indicators_for(assessment.version.code):
        row = by_code.get(indicator.question)
        if row is None:
            continue
        answer = row.answer
        value = None if answer is None or answer.not_applicable or answer.number is None else float(answer.number)
        thresholds = list(row.question.thresholds or [0, 1])
        comparison.append(NationalRow(indicator, value, row.question.unit_label, thresholds[0] <= thresholds[-1]))
    return comparison


def previous_trend(assessment: Assessment) -> Trend | None:
    previous = (
        submitted_assessments()
        .filter(city_id=assessment.city_id, year__lt=assessment.year)
        .select_related("version")
        .order_by("-year")
        .first()
    )
    if previous is None or not previous.stored_scores:
        return None
    scores = restore(previous.stored_scores)
    return Trend(
        previous.year,
        scores.overall.score,
        {d: n.score for d, n in scores.directions.items()},
        questionnaire=previous.version.code,
    )
