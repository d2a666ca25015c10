"""Steps 1–3 of the method: which actions suit the city and are triggered by its gaps, what each
costs in this city, what it is worth; and the ranked list (step 4, with `ordering`)."""

import math

from plans.recommendations.model import (
    ADVANCED_FROM_LEVEL,
    AFFORDABILITY_SCALE,
    CLUSTER_BONUS,
    EPSILON,
    FOUNDATION_BONUS,
    FOUNDATION_CAP,
    MIN_DIRECTION_FACTOR,
    PLACE_BONUS,
    REFERENCE_POPULATION,
    REFERENCE_TOWNSHIPS,
    SIZE_EXPONENT,
    SIZE_FACTOR_BOUNDS,
    SPECIALTY_BONUS,
    STRETCH_SHARE_OF_OWN_BUDGET,
    ActionSpec,
    CityProfile,
    InPlace,
    PlannedAction,
    Reason,
    Situation,
)
from plans.recommendations.ordering import (
    entry_points,
    first_steps,
    lifted_priorities,
    requirement_groups,
    tiers_of,
    topological_order,
)


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


def outcome_met(action: ActionSpec, situation: Situation) -> bool:
    """Whether the answers show the action's result is already there: every condition of its
    outcome holds (an action without an outcome is never shown done this way)."""
    if not action.outcome:
        return False
    for condition in action.outcome:
        level = situation.question_levels.get(condition.question)
        if condition.at_least is not None and (level is None or level < condition.at_least):
            return False
        if condition.items and not condition.items <= situation.question_items.get(condition.question, frozenset()):
            return False
    return True


def in_place(catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation) -> tuple[InPlace, ...]:
    """The suitable actions whose outcome the answers show met, by code: never planned."""
    return tuple(
        InPlace(action, action.outcome)
        for action in sorted(catalogue, key=lambda a: a.code)
        if suits(action, city) and outcome_met(action, situation)
    )


def _fits_the_city(action: ActionSpec, city: CityProfile, factor: float) -> bool:
    """A stretch action has a value-for-money case only within the city's own means: at most
    STRETCH_SHARE_OF_OWN_BUDGET of its own yearly budget, whatever larger budget is asked for."""
    own = city.reference_budget if city.reference_budget is not None else city.annual_budget
    return action.cost * factor <= STRETCH_SHARE_OF_OWN_BUDGET * own + EPSILON


def _ready_for_stretch(action: ActionSpec, city: CityProfile, situation: Situation, factor: float) -> bool:
    level = situation.dimension_levels.get(action.dimension)
    return level is not None and level >= ADVANCED_FROM_LEVEL and _fits_the_city(action, city, factor)


def select_actions(
    catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation
) -> tuple[PlannedAction, ...]:
    """The suitable, triggered actions with their priority (first = 1.0) and reasons, in ranked
    order: the duties, the entry points with their first steps, the foundations, then the rest.
    An action whose outcome the answers show met is left out, whatever triggers it."""
    chosen: dict[str, tuple[ActionSpec, tuple[Reason, ...], float]] = {}
    met = set()  # suits the city, but nothing triggers it, or its outcome is met: the city already has it
    for action in sorted(catalogue, key=lambda a: a.code):
        if not suits(action, city):
            continue
        triggers = triggered_by(action, situation)
        factor = size_factor(action, city)
        if not triggers or outcome_met(action, situation):
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
    year_one = {code: (action.cost + action.running_cost) * factor for code, (action, _, factor) in chosen.items()}
    entries = entry_points(
        specs,
        groups,
        own_priority,
        reasons_of,
        situation.dimension_levels,
        year_one,
        _entry_means(city, specs, groups, year_one),
    )
    tiers = tiers_of(specs, groups, entries)
    lifted = lifted_priorities(specs, groups, own_priority, entries)
    top = max(lifted.values(), default=0) or 1.0
    ranked = []
    deadlines = {code: action.deadline for code, action in specs.items() if action.deadline is not None}
    for code in topological_order(groups, lifted, entries, tiers, deadlines):
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
                tiers[code],
            )
        )
    return tuple(ranked)


def _entry_means(city: CityProfile, specs: dict, groups: dict, year_one: dict) -> float | None:
    """What the first year leaves for the entry points at the city's own budget, once the existing
    systems and the duties (with what they need first) are paid: the same whatever budget is asked
    for, so a larger budget never changes where the city starts. None (no limit) for a profile
    without a budget of its own."""
    own = city.reference_budget
    if own is None:
        return None
    duties: set[str] = set()
    for code, action in specs.items():
        if action.compliance:
            duties |= {code, *first_steps(code, groups)}
    return own - city.baseline_running_cost - sum(year_one[code] for code in duties)


_BONUS = {
    "specialty": SPECIALTY_BONUS,
    "cluster": CLUSTER_BONUS,
    "region": PLACE_BONUS,
    "province": PLACE_BONUS,
    "zone": PLACE_BONUS,
}


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
    if action.compliance:
        traits.append(Reason("compliance"))
    if action.advanced:
        traits.append(Reason("stretch"))
    if needed_by:
        traits.append(Reason("foundation", level=needed_by))
    return tuple(traits)
