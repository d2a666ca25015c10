"""The engine's plain data: what goes in (the catalogue's actions, the city, its levels) and what
comes out (ranked actions, phases, the plan), and the constants of the method (see `__init__`)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

ENGINE_VERSION = "3"
PHASES = (("near", (0, 1)), ("medium", (1, 3)), ("long", (3, 5)))
PHASE_INDEX = {name: index for index, (name, _) in enumerate(PHASES)}
YEARS = tuple(end - start for _, (start, end) in PHASES)
SPECIALTY_BONUS, CLUSTER_BONUS, PLACE_BONUS, FOUNDATION_BONUS, FOUNDATION_CAP = 0.5, 0.3, 0.3, 0.2, 3
MIN_DIRECTION_FACTOR = 0.01  # a direction weighted 0 still ranks its actions (last), never at priority 0
AFFORDABILITY_SCALE = 1000.0  # 10,000 CNY: an action of this cost keeps 1/√2 of its value in the ranking
ADVANCED_FROM_LEVEL = 3  # a stretch action needs its dimension at this level at least
# A stretch action must fit the city's size and means: it may cost at most this share of the city's
# own yearly budget (not of a larger budget asked for): 650万 for a county spending 1,300万 a year,
# 15,500万 for a city spending 31,000万.
STRETCH_SHARE_OF_OWN_BUDGET = 0.5
ENTRY_MAX_PREREQUISITES = 2  # an entry point starts within the year: at most this many actions first
MAX_CHAIN_IN_PHASE = 2  # step by step: an action and its prerequisite may share a phase, not three in a row
# When capacity binds, a project takes the slot of one it is worth at least this many times: values are
# estimates, and a plan is not reshuffled for a hair's difference.
TRADE_MARGIN = 1.5
REFERENCE_POPULATION, REFERENCE_TOWNSHIPS = 50.0, 15.0  # 10,000 residents; township-level divisions
SIZE_EXPONENT, SIZE_FACTOR_BOUNDS = 0.6, (0.5, 3.0)
EPSILON = 1e-9  # money sums compared with a hair of tolerance for float rounding
Prerequisite = str | tuple[str, ...]  # an action code, or alternatives of which any one is enough

# The tiers of the ranked list, first to last (`PlannedAction.tier`).
DUTY, ENTRY, FOUNDATION, OPTIONAL = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Trigger:
    """Holds when the question's (or the dimension's) maturity level is below `below`."""

    below: int
    question: str | None = None
    dimension: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """One part of an action's outcome: the question's level is at least `at_least` (when given),
    and every checklist item in `items` is ticked."""

    question: str
    at_least: int | None = None
    items: frozenset[str] = frozenset()


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
    # The answers that show the action's result is already there: all must hold (empty: none say so).
    outcome: tuple[Condition, ...] = ()
    compliance: bool = False  # a duty with a legal or binding national basis
    deadline: int | None = None  # the year a binding deadline fell or falls due, for the order of duties

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

    @property
    def foundation(self) -> bool:
        return self.stage == "foundation"


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
    capacity: tuple[int, int, int] | None = None  # new projects per phase at the city's own budget; None: no limit
    baseline_running_cost: float = 0.0  # a year: what the city's existing systems already cost to run
    # The city's own annual budget, from which a larger budget grows the capacity (None: annual_budget).
    reference_budget: float | None = None

    @property
    def headroom(self) -> float:
        """What is left a year for new work once the existing systems are paid."""
        return self.annual_budget - self.baseline_running_cost


@dataclass(frozen=True, slots=True)
class Situation:
    """The assessment's levels: per answered question (not N/A) and per scored dimension; and the
    items ticked per answered checklist question."""

    question_levels: Mapping[str, int]
    dimension_levels: Mapping[str, int]
    direction_weights: Mapping[str, float]
    question_items: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an action was chosen: a trigger that held (`code` at `level` < `below`) or a trait."""

    # "question" | "dimension" | "specialty" | "cluster" | "region" | "province" | "zone" | "stretch"
    # | "foundation" | "compliance"
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
    tier: int = OPTIONAL  # DUTY, ENTRY, FOUNDATION or OPTIONAL: its place in the ranked list

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

    @property
    def compliance(self) -> bool:
        return self.action.compliance


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    years: tuple[int, int]
    budget: float
    actions: tuple[PlannedAction, ...]
    running_cost: float = 0.0  # over the phase's years, of everything built in it or before
    capacity: int | None = None
    headroom: float | None = None  # the budget less the existing systems' running cost (None: the budget)

    @property
    def cost(self) -> float:
        """The build cost of the phase's new actions."""
        return sum(planned.cost for planned in self.actions)

    @property
    def spent(self) -> float:
        return self.cost + self.running_cost

    @property
    def available(self) -> float:
        return self.budget if self.headroom is None else self.headroom

    @property
    def shortfall(self) -> float:
        """What the phase spends beyond its headroom: only the duties, scheduled whatever they cost."""
        return max(self.spent - self.available, 0.0)


@dataclass(frozen=True, slots=True)
class Unscheduled:
    planned: PlannedAction
    # "too_expensive" | "prerequisite_unscheduled" | "capacity" | "beyond_five_years" | "no_room"
    reason: str
    detail: str = ""  # for "prerequisite_unscheduled": the prerequisite's code (alternatives joined by " / ")


@dataclass(frozen=True, slots=True)
class InPlace:
    """An action the city's answers show it already has: never planned."""

    action: ActionSpec
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    annual_budget: float
    phases: tuple[Phase, ...]
    unscheduled: tuple[Unscheduled, ...] = field(default=())
    engine: str = ENGINE_VERSION
    in_place: tuple[InPlace, ...] = ()
    baseline_running_cost: float = 0.0

    @property
    def headroom(self) -> float:
        """A year's budget for new work: the budget less the existing systems' running cost."""
        return self.annual_budget - self.baseline_running_cost

    @property
    def shortfall(self) -> float:
        """What the duties of the first phase cost beyond its headroom (0 when it pays them)."""
        return self.phases[0].shortfall if self.phases else 0.0

    def first(self, count: int = 3) -> tuple[PlannedAction, ...]:
        """The first actions of the roadmap, in order: where the city starts."""
        return tuple(p for phase in self.phases for p in phase.actions)[:count]
