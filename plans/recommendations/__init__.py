"""The recommendation engine (SPEC §5): from a city's gaps and profile to a costed, phased roadmap.

A functional core like `assessment.scoring`: plain frozen dataclasses in and out, no Django.
Money is in 10,000 CNY (万元).

1. **Select** the catalogue actions that suit the city's profile (specialties, city cluster,
   region, province, administrative level, terrain, functional zone, size) and are *triggered*:
   one of their triggers holds — a question or a dimension is below a level. A *stretch* action
   (stage `advanced`) is offered only where the city is ready for it: its dimension is at least
   at L3, and its build cost is within one year's budget.
2. **Cost** each action for this city: the catalogue's build cost range and yearly running cost
   are for a reference city of 500,000 residents (or 15 townships); an action that scales with
   population (or townships) costs (size ÷ reference) ^ 0.6 times as much — the engineering
   "six-tenths rule" for economies of scale — bounded to 0.5–3 times.
3. **Value** each action: urgency × importance.
   - urgency: the gap between the dimension's level and the action's target level (0–1),
     times the weight of the action's direction relative to the mean direction weight;
   - importance: 1, plus 0.5 when the action serves one of the city's specialty industries,
     0.3 when it is meant for cities in a cluster (and the city is in one), 0.3 when it is meant
     for the city's region, province or functional zone, and 0.2 for each other selected action
     that needs it first (at most three).
4. **Rank**: priority = value × affordability, where affordability = 1 / √(1 + cost ÷ 1,000) —
   value for money weighed in, but cost only a diminishing factor (an action of 1,000 keeps 71 %
   of its value, one of 3,000 half), never a divisor that lets cheap generic items lead. Then:
   - the **entry point** leads: the action for the city's specialty that can start within the
     year (near horizon, at most two prerequisites to do first) — in the specialty it is already
     strongest in, then the most valuable — then the one for its location: its national
     functional zone, else its province (a national hub), region or city cluster, the most
     telling first. "Find the city's own entry point" instead of copying a generic list;
   - **prerequisites before what needs them**: a prerequisite's priority is raised to that of
     the most urgent action that needs it, and the ranked list is a topological order (ties by
     priority, then code). Stretch actions neither raise their prerequisites nor lead, and rank
     no higher than what they wait for.
   Priorities are scaled so the first is 1; they never rise along the list.
5. **Schedule** the ranked list, in order, onto three phases — near (year 0–1), medium (1–3),
   long (3–5). A phase's budget is the annual budget times its years; it pays the build cost of
   its new actions plus the running cost, over its years, of every action built in it or
   before. It holds at most `capacity` new actions — the projects a city's team can run at
   once. Each action goes into the earliest phase allowed by its horizon and its prerequisites
   (for alternatives: the earliest one scheduled) where its build cost, its running cost in this
   and every later phase, and one more project all fit. What fits nowhere is unscheduled with
   its true reason: too expensive for any phase it could go into, a prerequisite whose every
   alternative is unscheduled, phases full of projects, or no money left within five years.

Guarantees (property-tested): no phase exceeds its budget or its capacity; an action is never
before its horizon nor before its prerequisites; the plan is *maximal* (no unscheduled action
could be added as it stands); and **a larger budget never yields a plan of lower value**, value
compared as a consultant reads a plan — most important action first: at the first action of
the ranked list placed differently, the larger budget schedules it, or schedules it sooner.
(Proof: the ranked order does not depend on the budget except for stretch actions, which
nothing else waits for; up to the first difference both runs left the same actions in the same
places, so the larger budget has the same projects and more money in every phase.)

Same input, same plan: ties are broken by action code.
"""

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

ENGINE_VERSION = "2"
PHASES = (("near", (0, 1)), ("medium", (1, 3)), ("long", (3, 5)))
PHASE_INDEX = {name: index for index, (name, _) in enumerate(PHASES)}
SPECIALTY_BONUS, CLUSTER_BONUS, PLACE_BONUS, FOUNDATION_BONUS, FOUNDATION_CAP = 0.5, 0.3, 0.3, 0.2, 3
MIN_DIRECTION_FACTOR = 0.01  # a direction weighted 0 still ranks its actions (last), never at priority 0
AFFORDABILITY_SCALE = 1000.0  # 10,000 CNY: an action of this cost keeps 1/√2 of its value in the ranking
ADVANCED_FROM_LEVEL = 3  # a stretch action needs its dimension at this level at least
ENTRY_MAX_PREREQUISITES = 2  # an entry point starts within the year: at most this many actions first
REFERENCE_POPULATION, REFERENCE_TOWNSHIPS = 50.0, 15.0  # 10,000 residents; township-level divisions
SIZE_EXPONENT, SIZE_FACTOR_BOUNDS = 0.6, (0.5, 3.0)
EPSILON = 1e-9  # money sums compared with a hair of tolerance for float rounding
Prerequisite = str | tuple[str, ...]  # an action code, or alternatives of which any one is enough


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
    cost_range: tuple[float, float]  # build cost for the reference size
    horizon: str = "near"
    prerequisites: tuple[Prerequisite, ...] = ()
    specialties: frozenset[str] = frozenset()  # suits cities with any of these; empty: any city
    cluster: bool | None = None  # True: only cities in a cluster; False: only outside; None: any
    regions: frozenset[str] = frozenset()
    functional_zones: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()  # administrative levels
    terrains: frozenset[str] = frozenset()
    min_population: float = 0.0  # 10,000 residents; 0: any size
    stage: str = "standard"  # foundation | standard | advanced (a stretch action)
    running_cost: float = 0.0  # a year, for the reference size
    scales_with: str = ""  # "" (a fixed cost) | "population" | "townships"

    @property
    def cost(self) -> float:
        """The midpoint of the build cost range, for the reference size."""
        return (self.cost_range[0] + self.cost_range[1]) / 2

    @property
    def requirement_groups(self) -> tuple[tuple[str, ...], ...]:
        """Each prerequisite as a group of alternatives (one code alone is a group of one)."""
        return tuple((p,) if isinstance(p, str) else tuple(p) for p in self.prerequisites)

    @property
    def advanced(self) -> bool:
        return self.stage == "advanced"


@dataclass(frozen=True, slots=True)
class CityProfile:
    region: str
    specialties: frozenset[str]
    in_cluster: bool
    functional_zone: str
    annual_budget: float
    province: str = ""
    level: str = ""  # administrative level
    terrain: str = ""
    population: float | None = None  # 10,000 residents
    townships: float | None = None
    capacity: tuple[int, int, int] | None = None  # new projects per phase; None: no limit


@dataclass(frozen=True, slots=True)
class Situation:
    """The assessment's levels: per answered question (not N/A) and per scored dimension."""

    question_levels: Mapping[str, int]
    dimension_levels: Mapping[str, int]
    direction_weights: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an action was chosen: a trigger that held (`code` at `level` < `below`) or a trait."""

    # "question" | "dimension" | "specialty" | "cluster" | "region" | "province" | "zone" | "stretch" | "foundation"
    kind: str
    code: str = ""
    level: int | None = None
    below: int | None = None


@dataclass(frozen=True, slots=True)
class PlannedAction:
    action: ActionSpec
    priority: float
    reasons: tuple[Reason, ...]
    value: float | None = None  # urgency × importance, before affordability and lifting
    size_factor: float = 1.0  # the city's size against the reference size, for this action's costs
    # The prerequisites still to do, each a group of selected alternatives (None: work them out
    # from the list handed to `roadmap`, for input made by hand).
    requires: tuple[tuple[str, ...], ...] | None = None
    entry: str = ""  # "specialty" or "location" when the action is the city's entry point
    min_budget: float = 0.0  # a stretch action is offered only from this annual budget on (its cost)

    @property
    def worth(self) -> float:
        """What the action adds to a plan's value: its value, or for input made by hand its priority."""
        return self.priority if self.value is None else self.value

    @property
    def cost(self) -> float:
        return self.action.cost * self.size_factor

    @property
    def cost_range(self) -> tuple[float, float]:
        return (self.action.cost_range[0] * self.size_factor, self.action.cost_range[1] * self.size_factor)

    @property
    def running_cost(self) -> float:
        return self.action.running_cost * self.size_factor


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    years: tuple[int, int]
    budget: float
    actions: tuple[PlannedAction, ...]
    running_cost: float = 0.0  # over the phase's years, of everything built in it or before
    capacity: int | None = None

    @property
    def cost(self) -> float:
        """The build cost of the phase's new actions."""
        return sum(planned.cost for planned in self.actions)

    @property
    def spent(self) -> float:
        return self.cost + self.running_cost


@dataclass(frozen=True, slots=True)
class Unscheduled:
    planned: PlannedAction
    # "too_expensive" | "prerequisite_unscheduled" | "capacity" | "beyond_five_years" | "no_room"
    reason: str
    detail: str = ""  # for "prerequisite_unscheduled": the prerequisite's code (alternatives joined by " / ")


@dataclass(frozen=True, slots=True)
class Plan:
    annual_budget: float
    phases: tuple[Phase, ...]
    unscheduled: tuple[Unscheduled, ...] = field(default=())
    engine: str = ENGINE_VERSION

    def first(self, count: int = 3) -> tuple[PlannedAction, ...]:
        """The first actions of the roadmap, in order: where the city starts."""
        return tuple(p for phase in self.phases for p in phase.actions)[:count]


# --- selection ------------------------------------------------------------------------------------------------------


def suits(action: ActionSpec, city: CityProfile) -> bool:
    """Whether the action is meant for a city with this profile."""
    return (
        (not action.specialties or bool(action.specialties & city.specialties))
        and (action.cluster is None or action.cluster == city.in_cluster)
        and (not action.regions or city.region in action.regions)
        and (not action.functional_zones or city.functional_zone in action.functional_zones)
        and (not action.provinces or city.province in action.provinces)
        and (not action.levels or city.level in action.levels)
        and (not action.terrains or city.terrain in action.terrains)
        and (not action.min_population or (city.population or 0) >= action.min_population)
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


def size_factor(action: ActionSpec, city: CityProfile) -> float:
    """How much more (or less) the action costs in this city than in the reference city."""
    size, reference = {
        "population": (city.population, REFERENCE_POPULATION),
        "townships": (city.townships, REFERENCE_TOWNSHIPS),
    }.get(action.scales_with, (None, 1.0))
    if not size:
        return 1.0
    low, high = SIZE_FACTOR_BOUNDS
    return min(max((size / reference) ** SIZE_EXPONENT, low), high)


def affordability(cost: float) -> float:
    """The diminishing factor cost puts on an action's rank (1 for a free action, ½ at 3,000)."""
    return 1 / math.sqrt(1 + max(cost, 0.0) / AFFORDABILITY_SCALE)


def _ready_for_stretch(action: ActionSpec, city: CityProfile, situation: Situation, factor: float) -> bool:
    level = situation.dimension_levels.get(action.dimension)
    return level is not None and level >= ADVANCED_FROM_LEVEL and action.cost * factor <= city.annual_budget + EPSILON


def select_actions(
    catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation
) -> tuple[PlannedAction, ...]:
    """The suitable, triggered actions with their priority (first = 1.0) and reasons, in ranked order."""
    chosen: dict[str, tuple[ActionSpec, tuple[Reason, ...], float]] = {}
    met = set()  # suits the city, but nothing triggers it: the city already has it
    for action in sorted(catalogue, key=lambda a: a.code):
        if not suits(action, city):
            continue
        triggers = triggered_by(action, situation)
        factor = size_factor(action, city)
        if not triggers:
            met.add(action.code)
        elif not action.advanced or _ready_for_stretch(action, city, situation, factor):
            chosen[action.code] = (action, triggers, factor)
    specs = {code: action for code, (action, _, _) in chosen.items()}
    groups = {code: requirement_groups(action, specs, met) for code, action in specs.items()}
    needed_by = dict.fromkeys(chosen, 0)
    for code, action in specs.items():
        if not action.advanced:
            for alternative in {a for group in groups[code] for a in group}:
                needed_by[alternative] += 1
    weights = situation.direction_weights
    mean_weight = (sum(weights.values()) / len(weights)) if weights and sum(weights.values()) > 0 else 1.0
    values, own_priority, reasons_of = {}, {}, {}
    for code, (action, triggers, factor) in chosen.items():
        traits = _traits(action, city, needed_by[code])
        current = situation.dimension_levels.get(action.dimension, min(r.level for r in triggers))
        gap = max(action.target_level - current, 1) / 4
        urgency = gap * max(weights.get(action.direction, 1.0) / mean_weight, MIN_DIRECTION_FACTOR)
        importance = (
            1
            + sum(_BONUS.get(reason.kind, 0.0) for reason in traits)
            + FOUNDATION_BONUS * min(needed_by[code], FOUNDATION_CAP)
        )
        values[code] = urgency * importance
        own_priority[code] = values[code] * affordability(action.cost * factor)
        reasons_of[code] = triggers + traits
    entries = _entry_points(specs, groups, own_priority, reasons_of, situation.dimension_levels)
    lifted = _lifted_priorities(specs, groups, own_priority, entries)
    top = max(lifted.values(), default=0) or 1.0
    ranked = []
    for code in _topological_order(groups, lifted, entries):
        action, _, factor = chosen[code]
        ranked.append(
            PlannedAction(
                action,
                lifted[code] / top,
                reasons_of[code],
                values[code],
                factor,
                groups[code],
                entries.get(code, ""),
                action.cost * factor if action.advanced else 0.0,
            )
        )
    return tuple(ranked)


_BONUS = {
    "specialty": SPECIALTY_BONUS,
    "cluster": CLUSTER_BONUS,
    "region": PLACE_BONUS,
    "province": PLACE_BONUS,
    "zone": PLACE_BONUS,
}
_LOCATION_TRAITS = {"zone": 0, "province": 1, "region": 2, "cluster": 3}  # the most telling first


def _traits(action: ActionSpec, city: CityProfile, needed_by: int) -> tuple[Reason, ...]:
    traits = [Reason("specialty", code) for code in sorted(action.specialties & city.specialties)]
    if action.cluster and city.in_cluster:
        traits.append(Reason("cluster"))
    if action.regions and city.region in action.regions:
        traits.append(Reason("region", city.region))
    if action.provinces and city.province in action.provinces:
        traits.append(Reason("province", city.province))
    if action.functional_zones and city.functional_zone in action.functional_zones:
        traits.append(Reason("zone", city.functional_zone))
    if action.advanced:
        traits.append(Reason("stretch"))
    if needed_by:
        traits.append(Reason("foundation", level=needed_by))
    return tuple(traits)


def requirement_groups(
    action: ActionSpec, selected: Mapping[str, ActionSpec], met: set[str] | frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], ...]:
    """The action's prerequisites still to do, each reduced to its selected alternatives.

    A group is dropped when one of its alternatives is one the city already has (`met`), or when
    none of them is selected (the city meets them, or none suits it). A foundation or standard
    action never waits for a stretch action.
    """
    groups = []
    for group in action.requirement_groups:
        if any(a in met for a in group):
            continue
        alternatives = tuple(
            a for a in group if a in selected and a != action.code and (action.advanced or not selected[a].advanced)
        )
        if alternatives:
            groups.append(alternatives)
    return tuple(groups)


def _first_steps(code: str, groups: Mapping, priority: Mapping) -> tuple[str, ...]:
    """What must be done before `code`, in an order that can be followed: for each group the
    alternative with the fewest steps of its own (then the higher priority, then the code)."""
    memo: dict[str, tuple[str, ...]] = {}

    def steps(current: str, path: frozenset[str]) -> tuple[str, ...]:
        if current in memo:
            return memo[current]
        done: list[str] = []
        for group in groups[current]:
            if any(a in done for a in group):
                continue
            options = [(steps(a, path | {a}), a) for a in group if a not in path]
            if options:
                before, best = min(options, key=lambda o: (len(o[0]), -priority[o[1]], o[1]))
                done += [c for c in (*before, best) if c not in done]
        memo[current] = tuple(done)
        return memo[current]

    return steps(code, frozenset({code}))


def _entry_points(
    specs: Mapping, groups: Mapping, priority: Mapping, reasons_of: Mapping, strength: Mapping[str, int]
) -> dict[str, str]:
    """The city's entry points: its specialty action and its location action that can start
    within the year (near horizon, at most two near-horizon prerequisites first). For the
    specialty, the one the city is already strongest in (its dimension's level) wins, so the
    plan builds on what the city does best; for the location, the most telling trait: a national
    functional zone, then a province (a national hub), the region, membership of a city cluster.
    Then priority."""
    entries: dict[str, str] = {}
    taken: set[str] = set()
    for kind, traits in (("specialty", {"specialty": 0}), ("location", _LOCATION_TRAITS)):
        candidates = []
        for code, action in specs.items():
            if action.advanced or action.horizon != "near" or code in taken:
                continue
            ranks = [traits[r.kind] for r in reasons_of[code] if r.kind in traits]
            if not ranks:
                continue
            first = _first_steps(code, groups, priority)
            if len(first) <= ENTRY_MAX_PREREQUISITES and all(specs[c].horizon == "near" for c in first):
                rank = -strength.get(action.dimension, 0) if kind == "specialty" else min(ranks)
                candidates.append((rank, -priority[code], code, first))
        if candidates:
            _, _, code, first = min(candidates)
            entries[code] = kind
            taken |= {code, *first}
    return entries


def _lifted_priorities(specs: Mapping, groups: Mapping, priority: Mapping, entries: Mapping) -> dict[str, float]:
    """Priorities with the entry points on top and every prerequisite raised to its most urgent
    dependent (stretch actions raise nothing)."""
    top = max(priority.values(), default=1.0)
    lifted = {code: (top if code in entries else value) for code, value in priority.items()}
    changed = True
    while changed:  # a fixed point: at most as many rounds as the longest chain of prerequisites
        changed = False
        for code, action in specs.items():
            if action.advanced:
                continue
            for alternative in {a for group in groups[code] for a in group}:
                if lifted[alternative] < lifted[code] - EPSILON:
                    lifted[alternative] = lifted[code]
                    changed = True
    changed = True
    while changed:  # and a stretch action is never more urgent than what it waits for
        changed = False
        for code, action in specs.items():
            if action.advanced and groups[code]:
                cap = min(max(lifted[a] for a in group) for group in groups[code])
                if lifted[code] > cap + EPSILON:
                    lifted[code] = cap
                    changed = True
    return lifted


def _topological_order(groups: Mapping, lifted: Mapping, entries: Mapping) -> list[str]:
    """Kahn's algorithm: next comes the free action with the highest lifted priority (the entry
    points and their first steps before all others, specialty before location); an action is
    free once one alternative of each of its groups is out."""
    entry_rank = {}
    for code, kind in sorted(entries.items(), key=lambda e: e[1] != "specialty"):
        for step in (*_first_steps(code, groups, lifted), code):
            entry_rank.setdefault(step, 0 if kind == "specialty" else 1)

    def key(code):
        return (entry_rank.get(code, 2), -lifted[code], code)

    waiting = {code: [set(group) for group in code_groups] for code, code_groups in groups.items()}
    dependents: dict[str, list[str]] = {code: [] for code in groups}
    for code, code_groups in groups.items():
        for alternative in sorted({a for group in code_groups for a in group}):
            dependents[alternative].append(code)
    free = [key(code) for code, pending in waiting.items() if not pending]
    heapq.heapify(free)
    order: list[str] = []
    out: set[str] = set()
    while len(order) < len(groups):
        # Only a circle of prerequisites leaves nothing free: it is broken at the best action.
        code = heapq.heappop(free)[2] if free else min((c for c in groups if c not in out), key=key)
        if code in out:
            continue
        order.append(code)
        out.add(code)
        for dependent in dependents[code]:
            if dependent not in out and waiting[dependent]:
                waiting[dependent] = [group for group in waiting[dependent] if code not in group]
                if not waiting[dependent]:
                    heapq.heappush(free, key(dependent))
    return order


# --- the roadmap ----------------------------------------------------------------------------------------------------

YEARS = tuple(end - start for _, (start, end) in PHASES)
PHASE_WEIGHTS = (1.0, 0.9, 0.8)  # a plan's value counts an action done sooner for more
MAX_BUDGET_STEPS = 20_000  # a guard only: real plans take a few hundred steps


class _Layouts:
    """The roadmap's working state for one ranked list: the actions by position, and how to lay
    them out at a budget. A layout is a list `where`: for each action its phase (0, 1, 2), -1 when
    it was tried and fits nowhere, or None while it has not been tried yet."""

    UNSCHEDULED = -1

    def __init__(self, planned: tuple[PlannedAction, ...], capacity: tuple[int, ...] | None):
        self.planned = list(planned)
        position = {p.action.code: i for i, p in enumerate(self.planned)}
        specs = {p.action.code: p.action for p in self.planned}
        # Alternatives not in the list are ones the city meets, or that do not suit it: left out.
        self.groups = [
            tuple(
                positions
                for group in _groups_of(p, specs)
                if (positions := tuple(position[a] for a in group if a in position))
            )
            for p in self.planned
        ]
        self.horizon = [PHASE_INDEX.get(p.action.horizon, 0) for p in self.planned]
        # For each action and each phase it could be built in: (phase, charge) for every phase it costs money in.
        self.charges = [
            [
                tuple(
                    (i, (p.cost if i == phase else 0.0) + p.running_cost * YEARS[i])
                    for i in range(phase, len(PHASES))
                    if (p.cost if i == phase else 0.0) + p.running_cost * YEARS[i] > 0
                )
                for phase in range(len(PHASES))
            ]
            for p in self.planned
        ]
        self.capacity = list(capacity) if capacity else [None] * len(PHASES)
        self.worth = [p.worth for p in self.planned]
        self.entry = [bool(p.entry) for p in self.planned]
        self.min_budget = [p.min_budget for p in self.planned]
        self._last_fresh: dict | None = None

    def value(self, where: list) -> tuple[int, float]:
        """`plan_value` of a layout."""
        entries, worth = 0, 0.0
        for phase, entry, action_worth in zip(where, self.entry, self.worth, strict=True):
            if phase is not None and phase >= 0:
                worth += PHASE_WEIGHTS[phase] * action_worth
                entries += entry and phase == 0
        return entries, round(worth, 9)

    def earliest(self, index: int, where: list) -> int | None:
        """The earliest phase the action may go into, or None when a prerequisite is unscheduled."""
        earliest = self.horizon[index]
        for group in self.groups[index]:
            placed = [where[a] for a in group if where[a] is not None and where[a] >= 0]
            if not placed:
                return None
            earliest = max(earliest, min(placed))
        return earliest

    def settled(self, index: int, where: list) -> bool:
        """Every prerequisite group has an alternative placed, or has had every one tried."""
        for group in self.groups[index]:  # most actions have no group left: the loop is skipped
            if not any(where[a] is not None and where[a] >= 0 for a in group) and any(where[a] is None for a in group):
                return False
        return True

    def fresh(self, budget: float) -> tuple[list, float]:
        """The layout made afresh at this budget (as `lay_out` without `kept`), reusing the last
        one up to the first action whose placement the higher budget changes."""
        last = self._last_fresh
        if last is None or last["waited"] or budget < last["budget"]:
            return self._fresh_from(budget, 0, None)
        first = next((i for i, need in enumerate(last["failed_at"]) if need <= budget), len(self.planned))
        return self._fresh_from(budget, first, last)

    def _fresh_from(self, budget: float, first: int, last: dict | None) -> tuple[list, float]:
        ledger = _Ledger(budget, self)
        if last is None:
            where: list = [None] * len(self.planned)
            failed_at, snapshots = [math.inf] * len(self.planned), [None] * len(self.planned)
        else:
            where = last["where"][:first] + [None] * (len(self.planned) - first)
            failed_at = last["failed_at"][:first] + [math.inf] * (len(self.planned) - first)
            snapshots = last["snapshots"]
            if first < len(self.planned):
                ledger.committed, ledger.projects = list(snapshots[first][0]), list(snapshots[first][1])
            ledger.high = min(failed_at[:first], default=math.inf)
        waited = False
        for index in range(first, len(self.planned)):
            snapshots[index] = (tuple(ledger.committed), tuple(ledger.projects))
            if not self.settled(index, where):
                waited = True  # an alternative comes later in the list: lay the rest out the long way
                break
            ledger.failed_at = math.inf
            phase = self._place(index, where, ledger)
            where[index] = self.UNSCHEDULED if phase is None else phase
            failed_at[index] = ledger.failed_at
        if waited:
            self._last_fresh = {"waited": True}
            return self.lay_out(budget)
        if last is not None and first >= len(self.planned):
            ledger.committed = list(last["committed"])
        self._last_fresh = {
            "budget": budget,
            "where": where,
            "failed_at": failed_at,
            "snapshots": snapshots,
            "waited": False,
            "committed": tuple(ledger.committed),
        }
        return where, min(failed_at, default=math.inf)

    def _place(self, index: int, where: list, ledger: "_Ledger") -> int | None:
        """Book the action into the earliest phase it may go into that has room and money."""
        if ledger.budget < self.min_budget[index]:  # a stretch action not yet on offer at this budget
            ledger.high = min(ledger.high, self.min_budget[index])
            ledger.failed_at = min(ledger.failed_at, self.min_budget[index])
            return None
        earliest = self.earliest(index, where)
        return None if earliest is None else ledger.place(index, earliest)

    def lay_out(self, budget: float, kept: list | None = None) -> tuple[list, float]:
        """The actions `kept`, each moved to the earliest phase where it now fits, then every other
        action in turn into the earliest phase with room and money at this budget; an action whose
        prerequisite has an alternative still to come waits for it. Also returns the smallest
        budget at which one more action would move or fit (the next change)."""
        ledger = _Ledger(budget, self)
        where: list = [None] * len(self.planned)
        if kept:
            for i, phase in enumerate(kept):
                if phase is not None and phase >= 0:
                    ledger.book(i, phase)
                    where[i] = phase
            moved = True
            while moved:  # moves to earlier phases, in ranked order, until none is left
                moved = False
                for i, now in enumerate(where):
                    if now is None or now < 0:
                        continue
                    earliest = self.earliest(i, where)
                    if earliest is not None and earliest < now:
                        ledger.book(i, now, sign=-1)
                        phase = ledger.place(i, earliest, before=now)
                        where[i] = now if phase is None else phase
                        if phase is None:
                            ledger.book(i, now)
                        moved = moved or phase is not None
        waiting: list[int] = []
        for index in range(len(self.planned)):
            if where[index] is not None:
                continue
            waiting.append(index)
            while waiting:  # place whatever is ready, in ranked order; the rest waits for an alternative
                ready = next((i for i in waiting if self.settled(i, where)), None)
                if ready is None:
                    break
                waiting.remove(ready)
                phase = self._place(ready, where, ledger)
                where[ready] = self.UNSCHEDULED if phase is None else phase
        for i in waiting:  # only a circle of prerequisites is left: none of it can be done
            where[i] = self.UNSCHEDULED
        return where, ledger.high


class _Ledger:
    """Money and projects committed in each phase at one budget, and `high`: the smallest budget
    at which a placement that failed here would have fitted."""

    def __init__(self, budget: float, layouts: _Layouts):
        self.budget = budget
        self.layouts = layouts
        self.committed = [0.0] * len(PHASES)
        self.projects = [0] * len(PHASES)
        self.high = math.inf
        self.failed_at = math.inf  # the same, for the action being placed (reset by the caller)

    def money_fits(self, index: int, phase: int, *, alone: bool = False, record: bool = True) -> bool:
        need = 0.0  # the budget from which every phase can pay
        for i, charge in self.layouts.charges[index][phase]:
            need = max(need, (charge + (0.0 if alone else self.committed[i]) - EPSILON) / YEARS[i])
        fits = self.budget >= need
        if record and not fits:
            self.high = min(self.high, need)
            self.failed_at = min(self.failed_at, need)
        return fits

    def room(self, phase: int) -> bool:
        limit = self.layouts.capacity[phase]
        return limit is None or self.projects[phase] < limit

    def book(self, index: int, phase: int, sign: int = 1) -> None:
        for i, charge in self.layouts.charges[index][phase]:
            self.committed[i] += sign * charge
        self.projects[phase] += sign

    def place(self, index: int, earliest: int, *, before: int = len(PHASES)) -> int | None:
        """The earliest phase from `earliest` on (and before `before`) with room and money for the
        action, booked; None when there is none."""
        capacity = self.layouts.capacity
        for phase in range(earliest, before):
            if (capacity[phase] is None or self.projects[phase] < capacity[phase]) and self.money_fits(index, phase):
                self.book(index, phase)
                return phase
        return None


def roadmap(
    planned: tuple[PlannedAction, ...],
    *,
    annual_budget: float,
    capacity: tuple[int, int, int] | None = None,
) -> Plan:
    """Lay ranked actions on the near / medium / long phases (see the module docstring).

    Actions are taken in the order given; one whose selected prerequisites come later in the
    list waits for them. A prerequisite that is not in the list is one the city already meets
    (or one that does not suit it): it does not hold anything back.

    So that a larger budget never yields a plan of lower value, the plan grows with the budget,
    from 0 up to `annual_budget`, through every budget at which something could change: where
    the layout made afresh would differ, or where one more action would fit or move earlier.
    There the plan is topped up (actions move to earlier phases, and unscheduled ones are added,
    in ranked order, wherever they fit), and the fresh layout replaces it only if it is worth
    more (`plan_value`). Those budgets do not depend on the budget asked for, so the plan for a
    larger budget is the plan for a smaller one grown further; it is never worth less than the
    fresh layout at its own budget; and it ends topped up, so nothing left out would fit.
    """
    layouts = _Layouts(planned, capacity)
    fresh, fresh_change = current, current_change = layouts.fresh(0.0)
    for _ in range(MAX_BUDGET_STEPS):
        budget = min(fresh_change, current_change)
        if budget > annual_budget:
            break
        fresh, fresh_change = layouts.fresh(budget)
        if budget >= current_change:  # before its next change a plan cannot be topped up
            topped, topped_change = layouts.lay_out(budget, kept=current)
        else:
            topped, topped_change = current, current_change
        if layouts.value(fresh) > layouts.value(topped):
            current, current_change = fresh, fresh_change
        else:
            current, current_change = topped, topped_change
    return _plan(layouts, current, annual_budget)


def plan_value(plan: Plan) -> tuple[int, float]:
    """What a plan is worth: first the entry points it starts within the year, then the value of
    its actions, an action counting 1, 0.9 or 0.8 times its value in the near, medium or long term."""
    entries = sum(1 for p in plan.phases[0].actions if p.entry)
    worth = sum(PHASE_WEIGHTS[i] * p.worth for i, phase in enumerate(plan.phases) for p in phase.actions)
    return entries, round(worth, 9)


def _groups_of(planned: PlannedAction, specs: Mapping[str, ActionSpec]) -> tuple[tuple[str, ...], ...]:
    """The selected prerequisite groups: as `select_actions` worked them out, else from the list."""
    return planned.requires if planned.requires is not None else requirement_groups(planned.action, specs)


def _plan(layouts: _Layouts, where: list, annual_budget: float) -> Plan:
    """The plan of a layout at the full budget, with the true reason for each unscheduled action."""
    ledger = _Ledger(annual_budget, layouts)
    phase_actions: list[list[PlannedAction]] = [[] for _ in PHASES]
    for index, phase in enumerate(where):
        if phase >= 0:
            ledger.book(index, phase)
            phase_actions[phase].append(layouts.planned[index])
    unscheduled = []
    for index, phase in enumerate(where):
        if phase >= 0:
            continue
        planned = layouts.planned[index]
        blocked = next((g for g in layouts.groups[index] if all(where[a] < 0 for a in g)), None)
        if blocked is not None:
            detail = " / ".join(layouts.planned[a].action.code for a in blocked)
            unscheduled.append(Unscheduled(planned, "prerequisite_unscheduled", detail))
        else:
            unscheduled.append(Unscheduled(planned, _why_not(index, ledger, layouts.earliest(index, where))))
    phases = tuple(
        Phase(
            name,
            span,
            annual_budget * YEARS[i],
            tuple(phase_actions[i]),
            running_cost=sum(p.running_cost * YEARS[i] for j in range(i + 1) for p in phase_actions[j]),
            capacity=layouts.capacity[i],
        )
        for i, (name, span) in enumerate(PHASES)
    )
    return Plan(annual_budget, phases, tuple(unscheduled))


def _why_not(index: int, ledger: _Ledger, earliest: int) -> str:
    """The true reason an action fits no phase from `earliest` on (checked as the plan stands)."""
    horizon = ledger.layouts.horizon[index]
    if not any(ledger.money_fits(index, i, alone=True, record=False) for i in range(horizon, len(PHASES))):
        return "too_expensive"
    candidates = range(earliest, len(PHASES))
    if not any(ledger.room(i) for i in candidates):
        return "capacity"
    if not any(ledger.money_fits(index, i, record=False) for i in candidates):
        return "beyond_five_years"
    return "no_room"  # the phases with money left are full, those with room lack the money


def default_capacity(year_one: int) -> tuple[int, int, int]:
    """New projects per phase from those a city can start in a year: the two-year phases hold half
    as many again, not twice as many, since the team also runs what it has built."""
    later = math.floor(year_one * 1.5)
    return (year_one, later, later)


def recommend(catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation) -> Plan:
    """Select, rank and schedule: the whole engine in one call."""
    return roadmap(select_actions(catalogue, city, situation), annual_budget=city.annual_budget, capacity=city.capacity)
