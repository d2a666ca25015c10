"""The recommendation engine (SPEC §5): from a city's gaps and profile to a costed, phased roadmap.

A functional core like `assessment.scoring`: plain frozen dataclasses in and out, no Django.
Money is in 10,000 CNY (万元). Engine version 3.

1. **Select** the catalogue actions that suit the city's profile (specialties, city cluster,
   region, province, administrative level, terrain, functional zone, size) and are *triggered*:
   one of their triggers holds — a question or a dimension is below a level. **Done means done**:
   an action whose *outcome* the answers show met (every condition of it: a question at a level,
   checklist items ticked) is never planned, whatever triggers it; the plan lists it as *in place*
   with the answers that say so, and it counts as met for what needs it. A *stretch* action
   (stage `advanced`) is offered only where the city is ready for it — its dimension at L3 at
   least — and it fits the city's means: at most half of its own yearly budget (a county spending
   1,300万 a year gets no 1,400万 immersive project, whatever larger budget is asked for), and
   within one year's budget.
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
   of its value, one of 3,000 half), never a divisor that lets cheap generic items lead. The
   ranked list is a topological order (prerequisites before what needs them, a prerequisite's
   priority raised to that of its most urgent dependent) in four tiers:
   - **duties** first: actions with a legal or binding national basis (the catalogue marks them
     `compliance`: classified protection, 12345 merging, 好差评, data classification), by their
     deadline, with the first steps they need;
   - then the city's **entry points**: the action for its specialty that can start within the
     year (near horizon, at most two prerequisites to do first) and that the first year can pay
     for, with those first steps, once the existing systems and the duties are paid, at the city's
     own budget (so a larger budget asked for never changes where the city starts) — in the
     specialty it is already strongest in, then the most valuable — then the one for its
     location: its national functional zone, else its province, region or city cluster, the most
     telling first. A city whose duties leave its first year nothing for them has none;
   - then the **foundations** (stage `foundation`: the top-level plan, the data authority, the
     data catalogue, the provincial cloud…) with what they need;
   - then the rest, by priority. Stretch actions neither raise their prerequisites nor lead.
   Priorities are scaled so the first is 1.
5. **Schedule** the ranked list onto three phases — near (year 0–1), medium (1–3), long (3–5).
   A phase's money is its *headroom*: the annual budget less the running cost of the city's
   existing systems, times its years; it pays the build cost of its new actions plus the running
   cost, over its years, of every action built in it or before. The duties go into the first
   phase whatever they cost; where its headroom cannot pay them, the plan shows the shortfall
   (`Phase.shortfall`). Every other action goes into the earliest phase allowed by its horizon
   and its prerequisites (for alternatives: the earliest one scheduled) where its build cost, its
   running cost in this and every later phase, and one more project all fit, and where it would
   not be the third link of a chain of prerequisites within the phase. **Step by step**: a phase
   holds at most `capacity` new projects, the first year the fewest and each later year one more
   (`default_capacity`); every doubling of the budget beyond the city's own adds one project a
   year. The first entry point's path keeps its slots of the first year: no other project takes
   them while it waits for the money. **Value per slot**: when capacity binds, a waiting project
   takes the slot of a less valuable optional one (`TRADE_MARGIN`: worth half as much again; the
   duties, foundations, entry paths and prerequisites of others are never displaced), where the
   money allows once that one is out. What fits nowhere is unscheduled with its true reason.

Guarantees (property-tested): no phase spends more than its headroom, but for the duties' stated
shortfall, nor holds more than its capacity (but for duties); an action is never before its
horizon nor before its prerequisites; no chain of three within a phase; the plan is *maximal*
(no unscheduled action could be added as it stands); and **a larger budget never yields a plan of
lower value** (`plan_value`), nor a duty, an entry point or a foundation later: the plan grows
with the budget through every budget at which it could change (`roadmap`), each step never worth
less and moving none of those later.

Same input, same plan: ties are broken by action code.

The method's steps live in this package's modules: `model` (the plain data and constants),
`selection` (steps 1–3), `ordering` (step 4), `layout` and `roadmap` (step 5).
"""

from plans.recommendations.layout import PHASE_WEIGHTS, Layouts, Ledger, grown_capacity
from plans.recommendations.model import (
    ADVANCED_FROM_LEVEL,
    AFFORDABILITY_SCALE,
    DUTY,
    ENGINE_VERSION,
    ENTRY,
    ENTRY_MAX_PREREQUISITES,
    EPSILON,
    FOUNDATION,
    MAX_CHAIN_IN_PHASE,
    OPTIONAL,
    PHASE_INDEX,
    PHASES,
    STRETCH_SHARE_OF_OWN_BUDGET,
    YEARS,
    ActionSpec,
    CityProfile,
    Condition,
    InPlace,
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
from plans.recommendations.roadmap import default_capacity, fresh_budgets, plan_value, recommend, roadmap
from plans.recommendations.selection import (
    affordability,
    in_place,
    outcome_met,
    select_actions,
    size_factor,
    suits,
    triggered_by,
)

__all__ = [
    "ADVANCED_FROM_LEVEL",
    "AFFORDABILITY_SCALE",
    "ActionSpec",
    "CityProfile",
    "Condition",
    "DUTY",
    "ENGINE_VERSION",
    "ENTRY",
    "ENTRY_MAX_PREREQUISITES",
    "EPSILON",
    "FOUNDATION",
    "InPlace",
    "Layouts",
    "Ledger",
    "MAX_CHAIN_IN_PHASE",
    "OPTIONAL",
    "PHASES",
    "PHASE_INDEX",
    "PHASE_WEIGHTS",
    "Phase",
    "Plan",
    "PlannedAction",
    "Prerequisite",
    "Reason",
    "STRETCH_SHARE_OF_OWN_BUDGET",
    "Situation",
    "Trigger",
    "Unscheduled",
    "YEARS",
    "affordability",
    "default_capacity",
    "fresh_budgets",
    "grown_capacity",
    "in_place",
    "outcome_met",
    "plan_value",
    "recommend",
    "requirement_groups",
    "roadmap",
    "select_actions",
    "size_factor",
    "suits",
    "triggered_by",
]
