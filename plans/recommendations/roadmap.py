"""Step 5 of the method: the phased roadmap within the budget and the city's capacity, growing with
the budget so that a larger budget never yields a plan of lower value; and `recommend`, the whole
engine in one call."""

import math

from plans.recommendations.layout import PHASE_WEIGHTS, YEARS, Layouts, Ledger
from plans.recommendations.model import (
    PHASES,
    ActionSpec,
    CityProfile,
    Phase,
    Plan,
    PlannedAction,
    Situation,
    Unscheduled,
)
from plans.recommendations.selection import select_actions

MAX_BUDGET_STEPS = 20_000  # a guard only: real plans take a few hundred steps


def roadmap(
    planned: tuple[PlannedAction, ...],
    *,
    annual_budget: float,
    capacity: tuple[int, int, int] | None = None,
) -> Plan:
    """Lay ranked actions on the near / medium / long phases (see the method in `plans.recommendations`).

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
    layouts = Layouts(planned, capacity)
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


def _plan(layouts: Layouts, where: list, annual_budget: float) -> Plan:
    """The plan of a layout at the full budget, with the true reason for each unscheduled action."""
    ledger = Ledger(annual_budget, layouts)
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


def _why_not(index: int, ledger: Ledger, earliest: int) -> str:
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
