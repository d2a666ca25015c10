"""The one place that turns an assessment into recommendation input, and plans into JSON and pages."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from assessment import scoring
from assessment.carry_over import preview_carry
from assessment.models import Assessment, Question, QuestionnaireVersion, QuestionType
from assessment.review import number_with_unit
from assessment.scores import questionnaire_spec, scores_of
from assessment.scoring import maturity_level
from cities.geography import Province, Region
from cities.models import City, CityCluster, FunctionalZone, Specialty
from common.money import money
from plans import recommendations as engine
from plans.delivered import deliver, restored
from plans.models import Action, ActionCatalogue, DeliveredPlan, Horizon, PlanAdjustment


def catalogue_specs(catalogue: ActionCatalogue) -> tuple[tuple[engine.ActionSpec, ...], dict[str, Action]]:
    """The catalogue's actions as engine input, and the actions by code for their texts (1 query)."""
    actions = {action.code: action for action in catalogue.actions.all()}
    specs = tuple(
        engine.ActionSpec(
            code=a.code,
            direction=a.direction,
            dimension=a.dimension,
            triggers=tuple(
                engine.Trigger(below=t["below"], question=t.get("question"), dimension=t.get("dimension"))
                for t in a.triggers
            ),
            target_level=a.target_level,
            cost_range=(a.cost_low, a.cost_high),
            horizon=a.horizon,
            prerequisites=tuple(p if isinstance(p, str) else tuple(p) for p in a.prerequisites),
            specialties=frozenset(a.suits_specialties),
            cluster=a.suits_cluster,
            regions=frozenset(a.suits_regions),
            functional_zones=frozenset(a.suits_functional_zones),
            provinces=frozenset(a.suits_provinces),
            levels=frozenset(a.suits_levels),
            terrains=frozenset(a.suits_terrains),
            min_population=float(a.suits_min_population or 0),
            stage=a.stage,
            running_cost=float(a.running_cost),
            scales_with=a.scales_with,
            outcome=tuple(
                engine.Condition(c["question"], c.get("at_least"), frozenset(c.get("items") or ())) for c in a.outcome
            ),
            compliance=a.is_duty,
            deadline=a.deadline,
        )
        for a in actions.values()
    )
    return specs, actions


def city_profile(city: City, *, budget: float | None = None) -> engine.CityProfile:
    """The engine's view of the city; `budget` (a yearly budget other than the city's own) changes the
    budget, not the running cost of the existing systems."""
    own = float(city.digital_budget or 0)
    return engine.CityProfile(
        region=city.region,
        specialties=frozenset(s.code for s in city.specialties.all()),
        in_cluster=bool(city.cluster),
        functional_zone=city.functional_zone,
        annual_budget=float(budget) if budget is not None else own,
        province=city.province,
        level=city.level,
        terrain=city.terrain,
        population=float(city.population) if city.population is not None else None,
        townships=city.township_count,
        capacity=engine.default_capacity(city.projects_per_year),
        baseline_running_cost=float(getattr(city, "baseline_running_cost", 0) or 0),
        reference_budget=own or None,
    )


def situation_of(assessment: Assessment, bank: str = "") -> engine.Situation:
    """Levels of the answered questions and scored dimensions (stored scores once submitted), and the
    items ticked per checklist. The catalogue's triggers and outcomes name the questions of its
    `bank`: an assessment on another bank is read through that bank's own mapping (its answers
    carried to it, `assessment.carry_over`), as a successor assessment would start from them."""
    scores = scores_of(assessment)
    dimensions = {code: node.level for code, node in scores.dimensions.items() if node.level is not None}
    weights = assessment.version.direction_weights
    target = _bank(bank, assessment)
    if target is not None:
        levels, items = _carried_levels(assessment, target)
        return engine.Situation(levels, dimensions, weights, items)
    items = {
        code: frozenset(ticked)
        for code, ticked in assessment.answers.filter(items__isnull=False, not_applicable=False).values_list(
            "question__code", "items"
        )
    }
    return engine.Situation(
        question_levels={code: maturity_level(s) for code, s in scores.question_scores.items() if s is not None},
        dimension_levels=dimensions,
        direction_weights=weights,
        question_items=items,
    )


def _bank(code: str, assessment: Assessment) -> QuestionnaireVersion | None:
    """The published bank `code` when it is not the assessment's own (None: read the assessment as it is)."""
    if not code or code == assessment.version.code:
        return None
    return QuestionnaireVersion.objects.published().filter(code=code).first()


def _carried_levels(assessment: Assessment, bank: QuestionnaireVersion) -> tuple[dict, dict]:
    """The levels and ticked items the assessment's answers carry to `bank` (scored on its questions)."""
    spec = {q.code: q for d in questionnaire_spec(bank).dimensions for q in d.questions}
    levels, items = {}, {}
    for row in preview_carry(assessment, bank).rows:
        value = row.outcome.value
        if value is None or value.not_applicable or row.question.code not in spec:
            continue
        answer = scoring.Answer(
            level=value.level,
            yes=value.yes,
            items=None if value.items is None else frozenset(value.items),
            number=value.number,
        )
        try:
            score = scoring.answer_score(spec[row.question.code], answer)
        except ValueError:  # a carried value that does not fit the question: read as unanswered
            continue
        if score is not None:
            levels[row.question.code] = maturity_level(score)
        if value.items is not None:
            items[row.question.code] = frozenset(value.items)
    return levels, items


@dataclass
class Evidence:
    """What the reasons quote: the questions and dimensions of the assessment's version, its numbers."""

    questions: dict[str, Question] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)  # code → title in the active language
    numbers: dict[str, float] = field(default_factory=dict)


def evidence_of(assessment: Assessment) -> Evidence:
    """The questions (with their dimensions) and the number answers of an assessment (2 queries)."""
    questions = {
        q.code: q
        for q in Question.objects.filter(dimension__version_id=assessment.version_id).select_related("dimension")
    }
    numbers = dict(
        assessment.answers.filter(number__isnull=False, not_applicable=False).values_list("question__code", "number")
    )
    return Evidence(
        questions=questions,
        dimensions={q.dimension.code: q.dimension.title for q in questions.values()},
        numbers={code: float(value) for code, value in numbers.items()},
    )


@dataclass(frozen=True)
class BudgetFacts:
    """The money a plan works with, and which of its figures are assumptions, as pages and reports
    print them: a year's budget, what the existing systems cost to run, the headroom left for new
    work, and what the first year's duties need beyond it."""

    budget: float
    baseline: float
    headroom: float
    shortfall: float
    budget_is_assumption: bool
    baseline_is_assumption: bool
    baseline_share: float | None  # the default share of the budget, when no running cost is recorded


def budget_facts(city: City, plan: engine.Plan) -> BudgetFacts:
    return BudgetFacts(
        plan.annual_budget,
        plan.baseline_running_cost,
        plan.headroom,
        plan.shortfall,
        city.budget_is_assumption,
        city.baseline_is_assumption,
        city.baseline_share if city.baseline_is_default else None,
    )


@dataclass
class ComputedPlan:
    plan: engine.Plan
    catalogue: ActionCatalogue | None
    actions: dict[str, Action]
    evidence: Evidence = field(default_factory=Evidence)
    capacity_year_one: int = 0
    situation: engine.Situation | None = None
    delivered: DeliveredPlan | None = None  # the plan as the city received it, when it is one

    def why(self, planned: engine.PlannedAction) -> str:
        return describe_why(planned, self.evidence)


def compute_plan(assessment: Assessment, *, budget: float | None = None, fresh: bool = False) -> ComputedPlan:
    """The assessment's plan: as delivered to the city once its report was made or a consultant
    adjusted it (`plans.delivered`); else (a draft, another `budget`, or `fresh`) the engine's plan
    from the current catalogue and the city's budget."""
    if not fresh and budget is None and not assessment.is_draft:
        in_force = DeliveredPlan.objects.in_force(assessment)
        if in_force is not None:
            return _delivered(assessment, in_force)
    catalogue = ActionCatalogue.objects.current()
    specs, actions = catalogue_specs(catalogue) if catalogue else ((), {})
    city = City.objects.prefetch_related("specialties").get(pk=assessment.city_id)
    situation = situation_of(assessment, catalogue.bank if catalogue else "")
    levels = tuple(tuple(sorted(m.items())) for m in (situation.question_levels, situation.dimension_levels))
    items = tuple(sorted((code, tuple(sorted(ticked))) for code, ticked in situation.question_items.items()))
    weights = tuple(sorted(situation.direction_weights.items()))
    plan = _engine_plan(specs, city_profile(city, budget=budget), levels, weights, items)
    return ComputedPlan(plan, catalogue, actions, evidence_of(assessment), city.projects_per_year, situation)


def _delivered(assessment: Assessment, delivered: DeliveredPlan) -> ComputedPlan:
    """The plan the city received, read back with the catalogue it was made with."""
    specs, actions = catalogue_specs(delivered.catalogue)
    plan = restored(delivered.plan, {spec.code: spec for spec in specs})
    situation = situation_of(assessment, delivered.catalogue.bank)
    projects = assessment.city.projects_per_year
    return ComputedPlan(plan, delivered.catalogue, actions, evidence_of(assessment), projects, situation, delivered)


@transaction.atomic
def deliver_plan_once(assessment: Assessment, *, reason: str, user=None) -> DeliveredPlan | None:
    """Deliver the submitted assessment's plan unless it already was (when its report is made, or a
    consultant adjusts it); None for a draft, or without a catalogue."""
    if assessment.is_draft:
        return None
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    in_force = DeliveredPlan.objects.in_force(locked)
    if in_force is not None:
        return in_force
    computed = compute_plan(locked, fresh=True)
    if computed.catalogue is None:
        return None
    return deliver(locked, computed.plan, computed.catalogue, reason=reason, user=user)


def recompute_plan(assessment: Assessment, *, user) -> DeliveredPlan | None:
    """A consultant's explicit act: the plan made again with the current catalogue and engine, and
    delivered beside the earlier ones, which stay as the record."""
    computed = compute_plan(assessment, fresh=True)
    if computed.catalogue is None:
        return None
    return deliver(assessment, computed.plan, computed.catalogue, reason=DeliveredPlan.Reason.RECOMPUTED, user=user)


@lru_cache(maxsize=256)
def _engine_plan(specs, profile: engine.CityProfile, levels, weights, items=()) -> engine.Plan:
    """The engine's plan, remembered: the same catalogue, city and answers give the same plan."""
    questions, dimensions = levels
    ticked = {code: frozenset(codes) for code, codes in items}
    return engine.recommend(specs, profile, engine.Situation(dict(questions), dict(dimensions), dict(weights), ticked))


# Reasons in words ---------------------------------------------------------------------


def describe_reason(reason: engine.Reason, evidence: Evidence | None = None) -> str:
    """One reason in the active language, phrased by the kind of question or trait behind it."""
    evidence = evidence or Evidence()
    if reason.kind == "question":
        return _describe_answer(reason, evidence)
    if reason.kind == "dimension":
        title = evidence.dimensions.get(reason.code)
        if title:
            return _("dimension %(code)s (%(title)s) is at L%(level)s, below L%(below)s") % {
                "code": reason.code,
                "title": title,
                "level": reason.level,
                "below": reason.below,
            }
        return _("dimension %(code)s is at L%(level)s, below L%(below)s") % {
            "code": reason.code,
            "level": reason.level,
            "below": reason.below,
        }
    if reason.kind == "specialty":
        return _("builds on the city's specialty: %(name)s") % {"name": Specialty(reason.code).label}
    if reason.kind == "cluster":
        return _("the city is part of a city cluster")
    if reason.kind == "region":
        return _("meant for cities of the %(region)s region") % {"region": Region(reason.code).label}
    if reason.kind == "province":
        return _("meant for cities of %(province)s") % {"province": Province(reason.code).label}
    if reason.kind == "zone":
        return _("meant for a %(zone)s") % {"zone": FunctionalZone(reason.code).label}
    if reason.kind == "stretch":
        return _("a stretch goal: the city's answers and budget are ready for it")
    if reason.kind == "compliance":
        return _("a duty with a legal or binding basis: scheduled in the first year")
    return ngettext(
        "%(count)s other recommended action builds on it",
        "%(count)s other recommended actions build on it",
        reason.level,
    ) % {"count": reason.level}


def _describe_answer(reason: engine.Reason, evidence: Evidence) -> str:
    question = evidence.questions.get(reason.code)
    values = {"code": reason.code, "level": reason.level, "below": reason.below}
    if question is None or question.type == QuestionType.LEVEL:
        return _("answer to %(code)s is at L%(level)s, below L%(below)s") % values
    if question.type == QuestionType.YES_NO:
        negated = _not_yet_zh(question.text_zh) if get_language() == "zh-hans" else ""
        return f"{reason.code} {negated}" if negated else _("%(code)s is not yet in place (answered “no”)") % values
    if question.type == QuestionType.CHECKLIST:
        return _("few of the measures listed in %(code)s are in place (L%(level)s, below L%(below)s)") % values
    value, thresholds = evidence.numbers.get(reason.code), list(question.thresholds or ())
    if value is None or not 2 <= (reason.below or 0) <= len(thresholds) + 1:
        return _("answer to %(code)s is at L%(level)s, below L%(below)s") % values
    return _("%(code)s is %(value)s, short of %(threshold)s for L%(below)s") % {
        **values,
        "value": number_with_unit(value, question),
        "threshold": number_with_unit(thresholds[reason.below - 2], question),
    }


def _not_yet_zh(text: str) -> str:
    """A yes/no question turned into what is missing: "本市是否设立了统筹机构？" → "尚未设立统筹机构"."""
    if "是否" not in text:
        return ""
    phrase = re.sub(r"（[^）]*）", "", text).strip().rstrip("？?")
    phrase = phrase.removeprefix("本市")
    phrase = re.sub(r"是否已?", "尚未", phrase, count=1)
    return re.sub(r"尚未(\w{1,2}?)了", r"尚未\1", phrase, count=1)


def describe_why(planned: engine.PlannedAction, evidence: Evidence | None = None) -> str:
    parts = [describe_reason(reason, evidence) for reason in planned.reasons]
    if planned.entry == "specialty":
        parts.insert(0, _("the city's entry point: its own specialty"))
    elif planned.entry == "location":
        parts.insert(0, _("the city's entry point: its location"))
    return _("; ").join(parts)


def describe_unscheduled(item: engine.Unscheduled) -> str:
    cost = money(item.planned.cost)
    if item.reason == "too_expensive":
        return _(
            "costs about %(cost)s, which with its running cost is more than the budget of any phase it could go into"
        ) % {"cost": cost}
    if item.reason == "prerequisite_unscheduled":
        return _("needs %(code)s first, which does not fit in the plan") % {"code": item.detail}
    if item.reason == "capacity":
        return _("every phase it could go into already holds as many new projects as the city can run")
    if item.reason == "no_room":
        return _("the phases with money left are full of projects, and those with room lack the money")
    if item.reason == "step_by_step":
        return _("it would be the third step of a chain of prerequisites within one phase: step by step")
    return _("does not fit in the budget of the next five years (about %(cost)s)") % {"cost": cost}


def describe_in_place(item: engine.InPlace, computed: "ComputedPlan") -> str:
    """Which answers show the action's result is already there, in the active language."""
    situation = computed.situation or engine.Situation({}, {}, {})
    parts = []
    for condition in item.conditions:
        values = {"code": condition.question, "level": situation.question_levels.get(condition.question)}
        if condition.at_least is not None:
            parts.append(_("%(code)s is at L%(level)s") % values)
        if condition.items:
            parts.append(
                _("%(code)s ticks %(items)s")
                % {"code": condition.question, "items": ", ".join(sorted(condition.items))}
            )
    return _("; ").join(parts)


def in_place_rows(computed: "ComputedPlan") -> list[tuple[str, str, str]]:
    """The actions the city already has, as (code, title, the answers that say so)."""
    return [
        (
            item.action.code,
            computed.actions[item.action.code].title if item.action.code in computed.actions else "",
            describe_in_place(item, computed),
        )
        for item in computed.plan.in_place
    ]


def cluster_name(city: City) -> str:
    return CityCluster(city.cluster).label if city.cluster else ""


# The plan JSON of FORMATS.md ------------------------------------------------------------


def _number(value: float) -> int | float:
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def plan_document(assessment: Assessment, computed: ComputedPlan) -> dict:
    """The plan JSON of FORMATS.md, titles and reasons in the active language."""
    plan = computed.plan

    def entry(planned: engine.PlannedAction) -> dict:
        action = planned.action
        stored = computed.actions.get(action.code)
        return {
            "code": action.code,
            "title": stored.title if stored else action.code,
            "direction": action.direction,
            "dimension": action.dimension,
            "priority": round(planned.priority, 2),
            "cost": _number(planned.cost),
            "cost_range": [_number(v) for v in planned.cost_range],
            "running_cost": _number(planned.running_cost),
            "prerequisites": [p if isinstance(p, str) else list(p) for p in action.prerequisites],
            "why": computed.why(planned),
            "lead": stored.lead if stored else "",
            "kpi": stored.kpi if stored else "",
            "funding": stored.funding_labels if stored else [],
            "stage": action.stage,
            "entry_point": planned.entry or None,
            "compliance": action.compliance,
            "basis": stored.compliance_basis if stored and action.compliance else "",
        }

    return {
        "assessment": assessment.pk,
        "annual_budget": _number(plan.annual_budget),
        "baseline_running_cost": _number(plan.baseline_running_cost),
        "headroom": _number(plan.headroom),
        "shortfall": _number(plan.shortfall),
        "catalogue": computed.catalogue.code if computed.catalogue else None,
        "engine": plan.engine,
        "phases": [
            {
                "phase": phase.name,
                "years": list(phase.years),
                "budget": _number(phase.budget),
                "headroom": _number(phase.available),
                "cost": _number(phase.cost),
                "running_cost": _number(phase.running_cost),
                "shortfall": _number(phase.shortfall),
                "capacity": phase.capacity,
                "actions": [entry(p) for p in phase.actions],
            }
            for phase in plan.phases
        ],
        "in_place": [
            {
                "code": code,
                "title": title,
                "answer": ", ".join(dict.fromkeys(c.question for c in item.conditions)),
                "why": why,
            }
            for item, (code, title, why) in zip(plan.in_place, in_place_rows(computed), strict=True)
        ],
        "unscheduled": [
            {"code": u.planned.action.code, "why": describe_unscheduled(u), "reason": u.reason}
            for u in plan.unscheduled
        ],
    }


# The consultant's adjustments ---------------------------------------------------------

FIRST_STEPS = 3  # the plan's first steps: the report's first priorities


@dataclass
class PlanItem:
    planned: engine.PlannedAction
    action: Action | None
    phase: str
    computed_phase: str
    adjustment: PlanAdjustment | None
    why: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.adjustment and self.adjustment.hidden)

    @property
    def remark(self) -> str:
        return self.adjustment.remark if self.adjustment else ""

    @property
    def moved(self) -> bool:
        return self.phase != self.computed_phase

    @property
    def placed(self) -> bool:
        """Whether the consultant put the action where it stands: moved it or set its order in the phase."""
        return self.moved or bool(self.adjustment and self.adjustment.order is not None)


@dataclass
class AdjustedPhase:
    name: str
    label: str
    years: tuple[int, int]
    budget: float
    items: list[PlanItem]
    capacity: int | None = None
    running_cost: float = 0.0  # over the phase's years, of every visible action built in it or before
    headroom: float | None = None  # the budget less the existing systems' running cost
    shortfall: float = 0.0  # what the computed plan's duties and foundations need beyond the headroom

    @property
    def cost(self) -> float:
        return sum(item.planned.cost for item in self.items)

    @property
    def spent(self) -> float:
        return self.cost + self.running_cost

    @property
    def available(self) -> float:
        return self.budget if self.headroom is None else self.headroom

    @property
    def over_budget(self) -> bool:
        """Beyond the headroom and whatever shortfall the computed plan already stated."""
        return self.spent > self.available + self.shortfall + engine.EPSILON

    @property
    def duties(self) -> list[PlanItem]:
        return [item for item in self.items if item.planned.compliance]

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and len(self.items) > self.capacity


def adjusted_plan(assessment: Assessment, computed: ComputedPlan) -> tuple[list[AdjustedPhase], list[PlanItem]]:
    """The computed plan with the consultant's changes: phases (visible items) and the hidden items.

    A moved action keeps its reasons; within a phase, items with an `order` come first, by that
    order, then the rest in the computed order. Running costs follow the actions where they
    were moved; a hidden action costs nothing.
    """
    adjustments = {a.action_code: a for a in assessment.plan_adjustments.all()}
    phases = [
        AdjustedPhase(p.name, Horizon(p.name).label, p.years, p.budget, [], p.capacity, 0.0, p.available, p.shortfall)
        for p in computed.plan.phases
    ]
    by_name = {p.name: p for p in phases}
    hidden = []
    rank = {}
    for phase in computed.plan.phases:
        for planned in phase.actions:
            rank[planned.action.code] = len(rank)
            adjustment = adjustments.get(planned.action.code)
            target = adjustment.phase if adjustment and adjustment.phase else phase.name
            item = PlanItem(
                planned,
                computed.actions.get(planned.action.code),
                target,
                phase.name,
                adjustment,
                computed.why(planned),
            )
            (hidden if item.hidden else by_name[target].items).append(item)
    yearly = 0.0
    for phase in phases:
        phase.items.sort(
            key=lambda i: (
                i.adjustment is None or i.adjustment.order is None,
                i.adjustment.order if i.adjustment and i.adjustment.order is not None else 0,
                rank[i.planned.action.code],
            )
        )
        yearly += sum(item.planned.running_cost for item in phase.items)
        phase.running_cost = yearly * (phase.years[1] - phase.years[0])
    return phases, hidden


def first_steps(phases: list[AdjustedPhase], count: int = FIRST_STEPS) -> list[PlanItem]:
    """The plan's first steps as the consultant left it: phase by phase in the adjusted order, moved
    actions where they were put, hidden ones left out (the report's first priorities, the portfolio's)."""
    return [item for phase in phases for item in phase.items][:count]
