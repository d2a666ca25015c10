"""Invariants of the engine (v2, and the rules engine 3 changed) over generated catalogues, cities and
budgets: prerequisite alternatives,
running costs, capacity, city size, stretch actions and entry points (SPEC.md §5). No database."""

import itertools
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring import DIRECTIONS
from plans.recommendations import (
    ADVANCED_FROM_LEVEL,
    DUTY,
    FOUNDATION,
    MAX_CHAIN_IN_PHASE,
    PHASE_INDEX,
    PHASES,
    STRETCH_SHARE_OF_OWN_BUDGET,
    CityProfile,
    Situation,
    plan_value,
    recommend,
    roadmap,
    select_actions,
)
from tests.plans.test_recommendations_properties import (
    DIMENSIONS,
    HORIZONS,
    PROPERTY,
    QUESTIONS,
    SPECIALTIES,
    SUITS,
    TRIGGER_SETS,
    UNSCHEDULED,
    WEIGHTS,
    generated_action,
    levels,
)

MAX_ACTIONS = 14
YEARS = [end - start for _, (start, end) in PHASES]
STAGES = ("standard", "foundation", "advanced")
KINDS = list(itertools.product(DIRECTIONS, DIMENSIONS, range(2, 6), ("near", "near", *HORIZONS), STAGES))
COSTS = st.tuples(st.integers(0, 60), st.integers(0, 30), st.sampled_from([0, 0, 1, 3, 8]))  # low, width, running


def prerequisites(number):
    """None half the time, else one or two groups of lower-numbered actions, a group of one or two alternatives."""
    earlier = [f"A{k:02d}" for k in range(number)]
    groups = [*earlier, *itertools.combinations(earlier, 2)]
    picks = [()] * max(len(groups), 1) + [(g,) for g in groups] + list(itertools.combinations(groups, 2))[:40]
    return st.sampled_from(picks)


PREREQUISITES = [prerequisites(number) for number in range(MAX_ACTIONS)]
# Mostly actions for any city, so that plans are long enough for budgets and capacity to bite.
OPEN_SUITS = (
    [(frozenset(), None, frozenset(), frozenset())] * len(SUITS)
    + [(frozenset({s}), None, frozenset(), frozenset()) for s in SPECIALTIES] * (len(SUITS) // 6)
    + SUITS
)
PARTS = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(TRIGGER_SETS),
    st.sampled_from(OPEN_SUITS),
    COSTS,
    st.sampled_from(["", "", "population"]),
)


@st.composite
def catalogues(draw):
    actions = []
    for number in range(draw(st.integers(4, MAX_ACTIONS))):
        (*kind, stage), triggers, suits, (low, width, run), scales = draw(PARTS)
        prerequisites = draw(PREREQUISITES[number])
        actions.append(
            generated_action(
                number,
                tuple(kind),
                triggers,
                suits,
                (low, low + width),
                prerequisites,
                stage=stage,
                running_cost=run,
                scales_with=scales,
            )
        )
    return tuple(actions)


CAPACITIES = st.one_of(st.none(), st.integers(1, 4).map(lambda n: (n, n + n // 2, n + n // 2)))
CITIES = st.builds(
    CityProfile,
    region=st.sampled_from(("east", "central", "west")),
    specialties=st.frozensets(st.sampled_from(SPECIALTIES), min_size=1, max_size=2),
    in_cluster=st.booleans(),
    functional_zone=st.sampled_from(("urbanised", "agricultural", "ecological")),
    annual_budget=st.integers(0, 120),
    population=st.sampled_from([None, 20.0, 50.0, 150.0]),
    capacity=CAPACITIES,
)
SITUATIONS = st.builds(
    Situation,
    question_levels=levels(QUESTIONS, st.sampled_from([1, 2, 3])),
    dimension_levels=levels(DIMENSIONS, st.sampled_from([1, 2, 3, 4])),
    direction_weights=st.dictionaries(st.sampled_from(DIRECTIONS), WEIGHTS),
)


def placement(plan):
    where = {p.action.code: i for i, phase in enumerate(plan.phases) for p in phase.actions}
    where.update({u.planned.action.code: UNSCHEDULED for u in plan.unscheduled})
    return where


def charges(planned, phase):
    return [
        (planned.cost if i == phase else 0) + (planned.running_cost * YEARS[i] if i >= phase else 0)
        for i in range(len(PHASES))
    ]


def money_left(plan):
    return [phase.budget - phase.spent for phase in plan.phases]


def earliest_allowed(planned, where):
    after = [min(where[a] for a in group) for group in planned.requires or ()]
    return max([PHASE_INDEX[planned.action.horizon], *after])


def forced(planned) -> bool:
    """A duty or a foundation: placed whatever the budget (engine 3)."""
    return planned.tier in (DUTY, FOUNDATION)


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_no_phase_exceeds_its_budget_build_and_running_nor_its_capacity(catalogue, city, situation):
    """Only the duties and foundations, placed whatever the budget, may take a phase beyond its money
    (the plan states the shortfall) or its capacity; what else a phase holds fits in what they leave."""
    plan = recommend(catalogue, city, situation)
    for i, phase in enumerate(plan.phases):
        built = [p for earlier in plan.phases[: i + 1] for p in earlier.actions]
        assert phase.running_cost == sum(p.running_cost * YEARS[i] for p in built)
        first_claims = sum(
            charges(p, j)[i] for j, earlier in enumerate(plan.phases[: i + 1]) for p in earlier.actions if forced(p)
        )
        assert phase.cost + phase.running_cost <= max(phase.budget, first_claims) + 1e-6
        assert phase.shortfall == max(phase.spent - phase.available, 0.0)
        forced_count = sum(1 for p in phase.actions if forced(p))
        assert city.capacity is None or len(phase.actions) <= max(city.capacity[i], forced_count)


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_an_action_never_comes_before_any_alternative_of_its_prerequisites(catalogue, city, situation):
    plan = recommend(catalogue, city, situation)
    where = placement(plan)
    for phase_index, phase in enumerate(plan.phases):
        for planned in phase.actions:
            assert phase_index >= PHASE_INDEX[planned.action.horizon]
            for group in planned.requires:
                assert min(where[a] for a in group) <= phase_index


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_prerequisites_rank_before_what_needs_them_and_priorities_never_rise_within_a_tier(catalogue, city, situation):
    """Duties, entry points, foundations, then the rest (engine 3): priorities fall within each tier."""
    ranked = select_actions(catalogue, city, situation)
    position = {p.action.code: i for i, p in enumerate(ranked)}
    for i, planned in enumerate(ranked):
        for group in planned.requires:
            assert min(position[a] for a in group) < i
    assert all(0 < p.priority <= 1 for p in ranked)
    assert all(a.tier <= b.tier for a, b in itertools.pairwise(ranked))
    for a, b in itertools.pairwise(ranked):
        if a.tier == b.tier and not any(a.action.code in group for group in b.requires):
            assert a.priority >= b.priority - 1e-12 or b.entry or a.entry or b.tier == DUTY
    assert not ranked or max(p.priority for p in ranked) == 1.0


def chain_in(plan, phase_index, planned, where, depth) -> int:
    """How long the chain of prerequisites within the phase would be with `planned` placed there."""
    longest = 0
    for group in planned.requires or ():
        placed = [a for a in group if where[a] != UNSCHEDULED]
        if placed and min(where[a] for a in placed) == phase_index:
            longest = max(longest, min(depth[a] for a in placed if where[a] == phase_index))
    return longest + 1


def depths(plan, where) -> dict:
    """The chain each placed action ends within its phase (a prerequisite group counts through its
    shortest alternative in the phase)."""
    depth = {p.action.code: 1 for phase in plan.phases for p in phase.actions}
    changed = True
    while changed:
        changed = False
        for index, phase in enumerate(plan.phases):
            for planned in phase.actions:
                length = chain_in(plan, index, planned, where, depth)
                if length != depth[planned.action.code]:
                    depth[planned.action.code], changed = length, True
    return depth


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_the_plan_is_maximal_and_every_unscheduled_reason_is_true(catalogue, city, situation):
    plan = recommend(catalogue, city, situation)
    where, left = placement(plan), money_left(plan)
    depth = depths(plan, where)
    full = [city.capacity is not None and len(phase.actions) >= city.capacity[i] for i, phase in enumerate(plan.phases)]
    budgets = [phase.budget for phase in plan.phases]
    for item in plan.unscheduled:
        planned, horizon = item.planned, PHASE_INDEX[item.planned.action.horizon]
        blocked = [g for g in planned.requires if all(where[a] == UNSCHEDULED for a in g)]
        if item.reason == "prerequisite_unscheduled":
            assert " / ".join(blocked[0]) == item.detail
            continue
        assert not blocked
        earliest = earliest_allowed(planned, where)
        alone = [all(c <= b + 1e-9 for c, b in zip(charges(planned, i), budgets, strict=True)) for i in range(3)]
        money = [all(c <= m + 1e-9 for c, m in zip(charges(planned, i), left, strict=True)) for i in range(3)]
        short = [chain_in(plan, i, planned, where, depth) <= MAX_CHAIN_IN_PHASE for i in range(3)]
        candidates = range(earliest, len(PHASES))
        if forced(planned):  # placed by the team's capacity, not by money
            assert item.reason in ("capacity", "step_by_step")
            continue
        if planned.min_budget > city.annual_budget:  # a stretch action a year's budget does not pay for
            assert item.reason == "too_expensive"
            continue
        # maximal: it could not be added as it stands
        assert not any(money[i] and not full[i] and short[i] for i in candidates)
        if item.reason == "too_expensive":
            assert not any(alone[horizon:])
        elif item.reason == "capacity":
            assert all(full[i] for i in candidates)
        elif item.reason == "beyond_five_years":
            assert not any(money[i] for i in candidates)
        elif item.reason == "step_by_step":
            assert all(not short[i] for i in candidates if money[i] and not full[i])
        else:
            assert item.reason == "no_room"


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_no_chain_of_three_dependent_actions_within_a_phase(catalogue, city, situation):
    plan = recommend(catalogue, city, situation)
    where = placement(plan)
    assert all(
        length <= MAX_CHAIN_IN_PHASE for code, length in depths(plan, where).items() if not forced_code(plan, code)
    )


def forced_code(plan, code) -> bool:
    return any(p.action.code == code and forced(p) for phase in plan.phases for p in phase.actions)


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_a_stretch_action_only_where_the_dimension_is_ready_and_it_fits_the_citys_means(catalogue, city, situation):
    """Engine 3: a stretch action's cost fits the city's own means (half its own yearly budget), and it
    is offered only from a budget that pays for it."""
    for planned in select_actions(catalogue, city, situation):
        if planned.action.stage == "advanced":
            assert situation.dimension_levels.get(planned.action.dimension, 0) >= ADVANCED_FROM_LEVEL
            assert planned.cost <= STRETCH_SHARE_OF_OWN_BUDGET * city.annual_budget + 1e-9
            assert planned.min_budget == planned.cost
            assert planned.entry == ""


@PROPERTY
@given(catalogues(), CITIES, SITUATIONS)
def test_the_specialty_entry_point_is_among_the_first_three_when_year_one_can_hold_it(catalogue, city, situation):
    ranked = select_actions(catalogue, city, situation)
    entry = next((i for i, p in enumerate(ranked) if p.entry == "specialty"), None)
    if entry is None:
        return
    assert entry <= 2 and ranked[entry].action.specialties & city.specialties
    lead = ranked[: entry + 1]
    spend = [sum(charges(p, 0)[i] for p in lead) for i in range(3)]
    room = city.capacity is None or city.capacity[0] >= len(lead)
    plan = roadmap(ranked, annual_budget=city.annual_budget, capacity=city.capacity)
    if room and all(s <= city.annual_budget * YEARS[i] + 1e-9 for i, s in enumerate(spend)):
        assert ranked[entry].action.code in [p.action.code for p in plan.first(3)]


# Budgets of the size of single actions, where an action that becomes affordable could crowd out others.
TIGHT_CITIES = CITIES.map(lambda city: replace(city, annual_budget=city.annual_budget % 50 + 10))


@PROPERTY
@given(catalogues(), st.one_of(CITIES, TIGHT_CITIES), SITUATIONS, st.integers(1, 60))
def test_a_larger_budget_never_yields_a_plan_of_lower_total_value(catalogue, city, situation, more):
    """Total value: the entry points started within the year, then the value of the scheduled
    actions, weighted 1, 0.9, 0.8 by phase (`plan_value`)."""
    small = recommend(catalogue, city, situation)
    large = recommend(catalogue, replace(city, annual_budget=city.annual_budget + more), situation)
    assert plan_value(large) >= plan_value(small)
