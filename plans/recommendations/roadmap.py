"""Step 5 of the method: the phased roadmap within the budget and the city's capacity, grown with the
budget so that a larger budget never yields a plan of lower value; and `recommend`, the whole
engine in one call."""

import math

from plans.recommendations.layout import PHASE_WEIGHTS, Layouts, Ledger
from plans.recommendations.model import (
    MAX_CHAIN_IN_PHASE,
    PHASES,
    YEARS,
    ActionSpec,
    CityProfile,
    Phase,
    Plan,
    PlannedAction,
    Situation,
    Unscheduled,
)
from plans.recommendations.selection import in_place, select_actions

MAX_BUDGET_STEPS = 20_000  # a guard only: real plans take a few dozen steps
# Where a layout is made afresh while the plan grows: at the city's own budget times 2^k for every
# whole k from FRESH_FROM up (its own budget, half, twice, four times it…); for a budget without a
# city of its own, at the round numbers of ROUND_BUDGETS × 10^e. The same budgets whatever budget is
# asked for.
FRESH_FROM = -8
ROUND_BUDGETS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)


def fresh_budgets(reference: float = 0.0):
    """The budgets at which a layout is made afresh, in increasing order (they do not depend on the
    budget asked for, so the plan for a larger budget is the plan for a smaller one grown further)."""
    if reference > 0:
        k = FRESH_FROM
        while True:
            yield reference * 2.0**k
            k += 1
    e = -1
    while True:
        for mantissa in ROUND_BUDGETS:
            yield mantissa * 10.0**e
        e += 1


def roadmap(
    planned: tuple[PlannedAction, ...],
    *,
    annual_budget: float,
    capacity: tuple[int, int, int] | None = None,
    baseline_running_cost: float = 0.0,
    reference_budget: float | None = None,
) -> Plan:
    """Lay ranked actions on the near / medium / long phases (see the method in `plans.recommendations`).

    Actions are taken in the order given; one whose selected prerequisites come later in the
    list waits for them. A prerequisite that is not in the list is one the city already meets
    (or one that does not suit it): it does not hold anything back. The duties go into the first
    phase whatever they cost, the foundations by their order, prerequisites and the city's own
    capacity; every phase's money is the budget less `baseline_running_cost`
    (the existing systems), times its years; the duties and foundations take their places first,
    whatever the budget.

    So that a larger budget never yields a plan of lower value, the plan grows with the budget,
    from 0 up to `annual_budget`, through every budget at which something could change: where
    one more action would fit or move earlier (there the plan is topped up: actions move to
    earlier phases, unscheduled ones are added in ranked order wherever they fit, then take the
    slots of less valuable projects), where the money allows such a trade, at every
    doubling of the city's own budget (`reference_budget`, when given: its capacity grows), and at the
    budgets of `fresh_budgets`, where a layout made afresh replaces the plan if it is worth more
    (`plan_value`). Those budgets do not depend on the budget asked for, so the plan for a
    larger budget is the plan for a smaller one grown further: never worth less; and it ends
    topped up, so nothing left out would fit. The duties and foundations keep their places
    (`Layouts._place_forced`) at every budget.
    """
    reference = reference_budget or 0.0  # none: the capacity does not grow with the budget
    layouts = Layouts(planned, capacity, reference_budget=reference, baseline=baseline_running_cost)
    current, ledger = layouts.lay_out(0.0)
    change, trades = ledger.high, ledger.trade_high
    fresh = fresh_budgets(reference)
    next_fresh = next(fresh)
    while next_fresh < min(change, annual_budget):  # below the first change, a fresh layout is this one
        next_fresh = next(fresh)
    next_growth = reference * 2 if reference_budget and capacity else math.inf
    for _ in range(MAX_BUDGET_STEPS):
        budget = min(change, trades, next_fresh, next_growth)
        if budget > annual_budget:
            break
        if budget >= change or budget >= next_growth:  # one more action fits, or there is more room
            change = layouts.top_up(budget, current, ledger)
            trades = ledger.trade_high
        elif budget >= trades:  # only a trade the money now allows
            layouts.trade_at(budget, current, ledger)
            trades = ledger.trade_high
        if budget >= next_fresh:
            candidate, candidate_ledger = layouts.lay_out(budget)
            if layouts.value(candidate) > layouts.value(current):
                current, ledger = candidate, candidate_ledger
                change, trades = candidate_ledger.high, candidate_ledger.trade_high
            next_fresh = next(fresh)
        if budget >= next_growth:
            next_growth *= 2
    return _plan(layouts, current, annual_budget)


def plan_value(plan: Plan) -> tuple[int, float]:
    """What a plan is worth: first the entry points it starts within the year, then the value of
    its actions, an action counting 1, 0.9 or 0.8 times its value in the near, medium or long term."""
    entries = sum(1 for p in plan.phases[0].actions if p.entry)
    worth = sum(PHASE_WEIGHTS[i] * p.worth for i, phase in enumerate(plan.phases) for p in phase.actions)
    return entries, round(worth, 9)


def _plan(layouts: Layouts, where: list, annual_budget: float) -> Plan:
    """The plan of a layout at the full budget, with the true reason for each unscheduled action."""
    ledger = Ledger(annual_budget, layouts)
    phase_actions: list[list[PlannedAction]] = [[] for _ in PHASES]
    for index, phase in enumerate(where):
        if phase >= 0:
            ledger.book(index, phase, where)
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
        elif layouts.forced[index]:  # a foundation is placed by the team's capacity and chains, not by money
            unscheduled.append(Unscheduled(planned, layouts.forced_reason[index]))
        else:
            unscheduled.append(Unscheduled(planned, _why_not(index, ledger, layouts.earliest(index, where), where)))
    baseline = layouts.baseline
    phases = tuple(
        Phase(
            name,
            span,
            annual_budget * YEARS[i],
            tuple(phase_actions[i]),
            running_cost=sum(p.running_cost * YEARS[i] for j in range(i + 1) for p in phase_actions[j]),
            capacity=ledger.capacity[i],
            headroom=(annual_budget - baseline) * YEARS[i],
        )
        for i, (name, span) in enumerate(PHASES)
    )
    return Plan(annual_budget, phases, tuple(unscheduled), baseline_running_cost=baseline)


def _why_not(index: int, ledger: Ledger, earliest: int, where: list) -> str:
    """The true reason an action fits no phase from `earliest` on (checked as the plan stands)."""
    horizon = ledger.layouts.horizon[index]
    if ledger.budget < ledger.layouts.min_budget[index]:  # a stretch action: a year's budget does not pay for it
        return "too_expensive"
    if not any(ledger.money_fits(index, i, alone=True, record=False) for i in range(horizon, len(PHASES))):
        return "too_expensive"
    candidates = range(earliest, len(PHASES))
    if not any(ledger.room(i, index) for i in candidates):
        return "capacity"
    if not any(ledger.money_fits(index, i, record=False) for i in candidates):
        return "beyond_five_years"
    open_phases = [i for i in candidates if ledger.room(i, index) and ledger.money_fits(index, i, record=False)]
    if open_phases and all(ledger.chain(index, i, where) > MAX_CHAIN_IN_PHASE for i in open_phases):
        return "step_by_step"  # room and money, but only as the third link of a chain within a phase
    return "no_room"  # the phases with money left are full, those with room lack the money


def default_capacity(year_one: int) -> tuple[int, int, int]:
    """New projects per phase from those a city can start in its first year: step by step, each
    later year one more than the year before (years 2–3 at year one + 1 each, years 4–5 at + 2),
    so that the first year holds the fewest and the team grows into the work."""
    return (year_one, 2 * (year_one + 1), 2 * (year_one + 2))


def recommend(catalogue: tuple[ActionSpec, ...], city: CityProfile, situation: Situation) -> Plan:
    """Select, rank and schedule: the whole engine in one call; with the actions already in place."""
    plan = roadmap(
        select_actions(catalogue, city, situation),
        annual_budget=city.annual_budget,
        capacity=city.capacity,
        baseline_running_cost=city.baseline_running_cost,
        reference_budget=city.reference_budget,
    )
    return Plan(
        plan.annual_budget,
        plan.phases,
        plan.unscheduled,
        plan.engine,
        in_place(catalogue, city, situation),
        plan.baseline_running_cost,
    )
