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

The method's steps live in this package's modules: `model` (the plain data and constants),
`selection` (steps 1–3), `ordering` (step 4), `layout` and `roadmap` (step 5).
"""

from plans.recommendations.layout import PHASE_WEIGHTS, YEARS, Layouts, Ledger
from plans.recommendations.model import (
    ADVANCED_FROM_LEVEL,
    AFFORDABILITY_SCALE,
    ENGINE_VERSION,
    ENTRY_MAX_PREREQUISITES,
    EPSILON,
    PHASE_INDEX,
    PHASES,
    ActionSpec,
    CityProfile,
    Phase,
    Plan,
    PlannedAction,
    Prerequisite,
    Reason,
    Situation,
    Trigger,
    Unscheduled,
)
from plans.recommendations.ordering import requirement_groups
from plans.recommendations.roadmap import default_capacity, plan_value, recommend, roadmap
from plans.recommendations.selection import affordability, select_actions, size_factor, suits, triggered_by

__all__ = [
    "ADVANCED_FROM_LEVEL",
    "AFFORDABILITY_SCALE",
    "ENGINE_VERSION",
    "ENTRY_MAX_PREREQUISITES",
    "EPSILON",
    "PHASES",
    "PHASE_INDEX",
    "PHASE_WEIGHTS",
    "YEARS",
    "ActionSpec",
    "CityProfile",
    "Layouts",
    "Ledger",
    "Phase",
    "Plan",
    "PlannedAction",
    "Prerequisite",
    "Reason",
    "Situation",
    "Trigger",
    "Unscheduled",
    "affordability",
    "default_capacity",
    "plan_value",
    "recommend",
    "requirement_groups",
    "roadmap",
    "select_actions",
    "size_factor",
    "suits",
    "triggered_by",
]
