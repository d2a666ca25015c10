"""The one place that turns an assessment into recommendation input, and plans into JSON and pages."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment.models import Assessment
from assessment.scores import scores_of
from assessment.scoring import maturity_level
from cities.geography import Region
from cities.models import City, CityCluster, FunctionalZone, Specialty
from reports import recommendations as engine
from reports.models import Action, ActionCatalogue, Horizon, PlanAdjustment


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
            prerequisites=tuple(a.prerequisites),
            specialties=frozenset(a.suits_specialties),
            cluster=a.suits_cluster,
            regions=frozenset(a.suits_regions),
            functional_zones=frozenset(a.suits_functional_zones),
        )
        for a in actions.values()
    )
    return specs, actions


def city_profile(city: City, *, budget: float | None = None) -> engine.CityProfile:
    return engine.CityProfile(
        region=city.region,
        specialties=frozenset(s.code for s in city.specialties.all()),
        in_cluster=bool(city.cluster),
        functional_zone=city.functional_zone,
        annual_budget=float(budget if budget is not None else city.digital_budget or 0),
    )


def situation_of(assessment: Assessment) -> engine.Situation:
    """Levels of the answered questions and scored dimensions (stored scores once submitted)."""
    scores = scores_of(assessment)
    return engine.Situation(
        question_levels={code: maturity_level(s) for code, s in scores.question_scores.items() if s is not None},
        dimension_levels={code: node.level for code, node in scores.dimensions.items() if node.level is not None},
        direction_weights=assessment.version.direction_weights,
    )


@dataclass
class ComputedPlan:
    plan: engine.Plan
    catalogue: ActionCatalogue | None
    actions: dict[str, Action]


def compute_plan(assessment: Assessment, *, budget: float | None = None) -> ComputedPlan:
    """The engine's plan for the assessment from the current catalogue and the city's budget."""
    catalogue = ActionCatalogue.objects.current()
    specs, actions = catalogue_specs(catalogue) if catalogue else ((), {})
    city = City.objects.prefetch_related("specialties").get(pk=assessment.city_id)
    plan = engine.recommend(specs, city_profile(city, budget=budget), situation_of(assessment))
    return ComputedPlan(plan, catalogue, actions)


# Reasons in words ---------------------------------------------------------------------


def describe_reason(reason: engine.Reason) -> str:
    """One reason in the active language."""
    if reason.kind == "question":
        return _("answer to %(code)s is at L%(level)s, below L%(below)s") % {
            "code": reason.code,
            "level": reason.level,
            "below": reason.below,
        }
    if reason.kind == "dimension":
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
    if reason.kind == "zone":
        return _("meant for a %(zone)s") % {"zone": FunctionalZone(reason.code).label}
    return ngettext(
        "%(count)s other recommended action builds on it",
        "%(count)s other recommended actions build on it",
        reason.level,
    ) % {"count": reason.level}


def describe_why(planned: engine.PlannedAction) -> str:
    return "; ".join(describe_reason(reason) for reason in planned.reasons)


def describe_unscheduled(item: engine.Unscheduled) -> str:
    cost = f"{item.planned.action.cost:g}"
    if item.reason == "too_expensive":
        return _("costs about %(cost)s (10,000 CNY), more than the budget of any phase it could go into") % {
            "cost": cost
        }
    if item.reason == "prerequisite_unscheduled":
        return _("needs %(code)s first, which does not fit in the budget") % {"code": item.detail}
    return _("does not fit in the budget of the next five years (about %(cost)s, 10,000 CNY)") % {"cost": cost}


def cluster_name(city: City) -> str:
    return CityCluster(city.cluster).label if city.cluster else ""


# The plan JSON of FORMATS.md ------------------------------------------------------------


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


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
            "cost": _number(action.cost),
            "cost_range": [_number(v) for v in action.cost_range],
            "prerequisites": list(action.prerequisites),
            "why": describe_why(planned),
        }

    return {
        "assessment": assessment.pk,
        "annual_budget": _number(plan.annual_budget),
        "catalogue": computed.catalogue.code if computed.catalogue else None,
        "phases": [
            {
                "phase": phase.name,
                "years": list(phase.years),
                "budget": _number(phase.budget),
                "cost": _number(phase.cost),
                "actions": [entry(p) for p in phase.actions],
            }
            for phase in plan.phases
        ],
        "unscheduled": [{"code": u.planned.action.code, "why": describe_unscheduled(u)} for u in plan.unscheduled],
    }


# The consultant's adjustments ---------------------------------------------------------


@dataclass
class PlanItem:
    planned: engine.PlannedAction
    action: Action | None
    phase: str
    computed_phase: str
    adjustment: PlanAdjustment | None

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
    def why(self) -> str:
        return describe_why(self.planned)


@dataclass
class AdjustedPhase:
    name: str
    label: str
    years: tuple[int, int]
    budget: float
    items: list[PlanItem]

    @property
    def cost(self) -> float:
        return sum(item.planned.action.cost for item in self.items)

    @property
    def over_budget(self) -> bool:
        return self.cost > self.budget


def adjusted_plan(assessment: Assessment, computed: ComputedPlan) -> tuple[list[AdjustedPhase], list[PlanItem]]:
    """The computed plan with the consultant's changes: phases (visible items) and the hidden items.

    A moved action keeps its reasons; within a phase, items with an `order` come first, by that
    order, then the rest by priority.
    """
    adjustments = {a.action_code: a for a in assessment.plan_adjustments.all()}
    phases = [AdjustedPhase(p.name, Horizon(p.name).label, p.years, p.budget, []) for p in computed.plan.phases]
    by_name = {p.name: p for p in phases}
    hidden = []
    for phase in computed.plan.phases:
        for planned in phase.actions:
            adjustment = adjustments.get(planned.action.code)
            target = adjustment.phase if adjustment and adjustment.phase else phase.name
            item = PlanItem(planned, computed.actions.get(planned.action.code), target, phase.name, adjustment)
            (hidden if item.hidden else by_name[target].items).append(item)
    for phase in phases:
        phase.items.sort(
            key=lambda i: (
                i.adjustment is None or i.adjustment.order is None,
                i.adjustment.order if i.adjustment and i.adjustment.order is not None else 0,
                -i.planned.priority,
                i.planned.action.code,
            )
        )
    return phases, hidden
