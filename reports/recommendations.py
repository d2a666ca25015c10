"""The recommendation engine (SPEC §5): from a city's gaps and profile to a costed, phased roadmap.

A functional core like `assessment.scoring`: plain frozen dataclasses in and out, no Django.

1. **Select** the catalogue actions that suit the city's profile (specialties, city cluster,
   region, functional zone) and are *triggered*: one of their triggers holds — a question or a
   dimension is below a level.
2. **Rank** them: priority = urgency × importance ÷ cost, scaled so the first is 1.
   - urgency: the gap between the dimension's level and the action's target level (0–1),
     times the weight of the action's direction relative to the mean direction weight;
   - importance: 1, plus 0.5 when the action serves one of the city's specialty industries,
     0.3 when it is meant for cities in a cluster (and the city is in one), 0.3 when it is meant
     for the city's region or functional zone, and 0.2 for each other selected action that
     needs it first (at most three);
   - cost: the midpoint of the action's cost range (10,000 CNY).
3. **Schedule** in order of priority, an action only after its selected prerequisites, onto
   three phases — near (year 0–1), medium (1–3), long (3–5) — whose budgets are the annual
   budget times their years. Each action goes into the earliest phase allowed by its horizon
   and its prerequisites that still has the money. When an action does not fit a phase, that
   phase closes to every less urgent action (a more urgent one that waited for its
   prerequisites may still use it), so money is always spent first where it is most urgent.
   Actions costing more than every phase they could go into, those that no longer fit within
   five years, and those whose prerequisite could not be scheduled are listed as unscheduled,
   with the reason.

Same input, same plan: ties are broken by action code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

ENGINE_VERSION = "1"
PHASES = (("near", (0, 1)), ("medium", (1, 3)), ("long", (3, 5)))
PHASE_INDEX = {name: index for index, (name, _) in enumerate(PHASES)}
SPECIALTY_BONUS, CLUSTER_BONUS, PLACE_BONUS, FOUNDATION_BONUS, FOUNDATION_CAP = 0.5, 0.3, 0.3, 0.2, 3
MIN_DIRECTION_FACTOR = 0.01  # a direction weighted 0 still ranks its actions (last), never at priority 0
EPSILON = 1e-9  # money sums compared with a hair of tolerance for float rounding


@dataclass(frozen=True, slots=True)
class Trigger:
    """Holds when the question's (or the dimension's) maturity level is below `below`."""

    below: int
    question: str | None = None
    dimension: str | None = None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    code: str
    direction: str
    dimension: str
    triggers: tuple[Trigger, ...]
    target_level: int
    cost_range: tuple[float, float]
    horizon: str = "near"
    prerequisites: tuple[str, ...] = ()
    specialties: frozenset[str] = frozenset()  # suits cities with any of these; empty: any city
    cluster: bool | None = None  # True: only cities in a cluster; False: only outside; None: any
    regions: frozenset[str] = frozenset()
    functional_zones: frozenset[str] = frozenset()

    @property
    def cost(self) -> float:
        return (self.cost_range[0] + self.cost_range[1]) / 2


@dataclass(frozen=True, slots=True)
class CityProfile:
    region: str
    specialties: frozenset[str]
    in_cluster: bool
    functional_zone: str
    annual_budget: float


@dataclass(frozen=True, slots=True)
class Situation:
    """The assessment's levels: per answered question (not N/A) and per scored dimension."""

    question_levels: Mapping[str, int]
    dimension_levels: Mapping[str, int]
    direction_weights: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an action was chosen: a trigger that held (`code` at `level` < `below`) or a trait."""

    kind: str  # "question" | "dimension" | "specialty" | "cluster" | "region" | "zone" | "foundation"
    code: str = ""
    level: int | None = None
    below: int | None = None


@dataclass(frozen=True, slots=True)
class PlannedAction:
    action: ActionSpec
    priority: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    years: tuple[int, int]
    budget: float
    actions: tuple[PlannedAction, ...]

    @property
    def cost(self) -> float:
        return sum(planned.action.cost for planned in self.actions)


@dataclass(frozen=True, slots=True)
class Unscheduled:
    planned: PlannedAction
    reason: str  # "too_expensive" | "beyond_five_years" | "prerequisite_unscheduled"
    detail: str = ""  # the prerequisite's code, for "prerequisite_unscheduled"


@dataclass(frozen=True, slots=True)
class Plan:
    annual_budget: float
    phases: tuple[Phase, ...]
    unscheduled: tuple[Unscheduled, ...] = field(default=())
    engine: str = ENGINE_VERSION


def suits(action: ActionSpec, city: CityProfile) -> bool:
    """Whether the action is meant for a city with this profile."""
    return (
        (not action.specialties or bool(action.specialties & city.specialties))
        and (action.cluster is None or action.cluster == city.in_cluster)
        and (not action.regions or city.region in action.regions)
        and (not action.functional_zones or city.functional_zone in action.functional_zones)
    )


def triggered_by(action: ActionSpec, situation: Situation) -> tuple[Reason, ...]:
    """The triggers of the action that hold; an unanswered or N/A question triggers nothing."""
    reasons = []
    for trigger in action.triggers:
        kind, code = ("question", trigger.question) if trigger.question else ("dimension", trigger.dimension)
        levels = situation.question_levels if kind == "question" else situation.dimension_levels
        level = levels.get(code)
        if level is not None and level < trigger.below:
            reasons.append(Reason(kind, code, level, trigger.below))
    return tuple(reasons)


def select_actions(
    catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation
) -> tuple[PlannedAction, ...]:
    """The suitable, triggered actions with their priority (first = 1.0) and reasons, best first."""
    chosen = {}
    for action in catalogue:
        if suits(action, city):
            triggers = triggered_by(action, situation)
            if triggers:
                chosen[action.code] = (action, triggers)
    needed_by = dict.fromkeys(chosen, 0)
    for action, _ in chosen.values():
        for prerequisite in action.prerequisites:
            if prerequisite in needed_by and prerequisite != action.code:
                needed_by[prerequisite] += 1
    weights = situation.direction_weights
    mean_weight = (sum(weights.values()) / len(weights)) if weights and sum(weights.values()) > 0 else 1.0
    raw = {}
    reasons_of = {}
    for code, (action, triggers) in chosen.items():
        traits = _traits(action, city, needed_by[code])
        current = situation.dimension_levels.get(action.dimension, min(r.level for r in triggers))
        gap = max(action.target_level - current, 1) / 4
        urgency = gap * max(weights.get(action.direction, 1.0) / mean_weight, MIN_DIRECTION_FACTOR)
        importance = (
            1 + sum(_BONUS[reason.kind] for reason in traits) + FOUNDATION_BONUS * min(needed_by[code], FOUNDATION_CAP)
        )
        raw[code] = urgency * importance / max(action.cost, 1.0)
        reasons_of[code] = triggers + traits
    top = max(raw.values(), default=0) or 1.0
    planned = [PlannedAction(chosen[code][0], raw[code] / top, reasons_of[code]) for code in chosen]
    return tuple(sorted(planned, key=lambda p: (-p.priority, p.action.code)))


_BONUS = {
    "specialty": SPECIALTY_BONUS,
    "cluster": CLUSTER_BONUS,
    "region": PLACE_BONUS,
    "zone": PLACE_BONUS,
    "foundation": 0.0,
}


def _traits(action: ActionSpec, city: CityProfile, needed_by: int) -> tuple[Reason, ...]:
    traits = [Reason("specialty", code) for code in sorted(action.specialties & city.specialties)]
    if action.cluster and city.in_cluster:
        traits.append(Reason("cluster"))
    if action.regions and city.region in action.regions:
        traits.append(Reason("region", city.region))
    if action.functional_zones and city.functional_zone in action.functional_zones:
        traits.append(Reason("zone", city.functional_zone))
    if needed_by:
        traits.append(Reason("foundation", level=needed_by))
    return tuple(traits)


def roadmap(planned: tuple[PlannedAction, ...], *, annual_budget: float) -> Plan:
    """Lay ranked actions on the near / medium / long phases (see the module docstring)."""
    budgets = [annual_budget * (end - start) for _, (start, end) in PHASES]
    remaining = list(budgets)
    rank = {p.action.code: position for position, p in enumerate(planned)}  # 0 = most urgent
    closed_by: list[int | None] = [None] * len(PHASES)  # rank of the most urgent action that did not fit
    placed: dict[str, int] = {}
    phase_actions: list[list[PlannedAction]] = [[] for _ in PHASES]
    unscheduled: list[Unscheduled] = []
    failed: set[str] = set()
    selected = set(rank)
    pending = list(planned)
    while pending:
        ready = next(
            (p for p in pending if all(q in placed or q in failed for q in _selected_prerequisites(p, selected))),
            pending[0],  # only a circle of prerequisites leaves nothing ready: break it at the most urgent
        )
        pending.remove(ready)
        prerequisites = _selected_prerequisites(ready, selected)
        blocked = next((q for q in prerequisites if q in failed or q not in placed), None)
        if blocked is not None:
            unscheduled.append(Unscheduled(ready, "prerequisite_unscheduled", blocked))
            failed.add(ready.action.code)
            continue
        earliest = max([PHASE_INDEX.get(ready.action.horizon, 0), *(placed[q] for q in prerequisites)])
        cost, own_rank = ready.action.cost, rank[ready.action.code]
        phase = None
        for index in range(earliest, len(PHASES)):
            if (closed_by[index] is not None and own_rank > closed_by[index]) or cost > budgets[index] + EPSILON:
                continue
            if cost <= remaining[index] + EPSILON:
                phase = index
                break
            closed_by[index] = own_rank if closed_by[index] is None else min(closed_by[index], own_rank)
        if phase is None:
            too_expensive = all(cost > budgets[i] + EPSILON for i in range(earliest, len(PHASES)))
            unscheduled.append(Unscheduled(ready, "too_expensive" if too_expensive else "beyond_five_years"))
            failed.add(ready.action.code)
            continue
        remaining[phase] -= cost
        placed[ready.action.code] = phase
        phase_actions[phase].append(ready)
    phases = tuple(Phase(name, years, budgets[i], tuple(phase_actions[i])) for i, (name, years) in enumerate(PHASES))
    return Plan(annual_budget, phases, tuple(unscheduled))


def _selected_prerequisites(planned: PlannedAction, selected: set[str]) -> list[str]:
    """Prerequisites that are part of this plan; others the city already has, or do not suit it."""
    return [q for q in planned.action.prerequisites if q in selected and q != planned.action.code]


def recommend(catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation) -> Plan:
    """Select, rank and schedule: the whole engine in one call."""
    return roadmap(select_actions(catalogue, city, situation), annual_budget=city.annual_budget)
