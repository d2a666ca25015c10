"""Plans as delivered: the plan a city has received is stored with the engine and catalogue that made
it, so that a later engine, catalogue or profile never rewrites it (issue 24, item 7).

A submitted assessment's plan is delivered (stored) the first time its report is made or a consultant
adjusts it; from then on pages, reports, exports and the API read the delivered plan
(`plans.compute.compute_plan`). Recomputing it with the current catalogue and engine is a
consultant's explicit act (`plans.compute.recompute_plan`), stored as a new delivered plan beside
the old ones. A draft's plan is always computed afresh.

The stored form is the engine's `Plan` as plain JSON: every field but the catalogue's actions, which
are named by code and read back from the catalogue it was made with (catalogues are imported, never
rewritten).
"""

from plans import recommendations as engine
from plans.models import ActionCatalogue, DeliveredPlan


def stored_form(plan: engine.Plan) -> dict:
    """The engine's plan as JSON-ready data."""

    def planned(p: engine.PlannedAction) -> dict:
        return {
            "code": p.action.code,
            "priority": p.priority,
            "reasons": [[r.kind, r.code, r.level, r.below] for r in p.reasons],
            "value": p.value,
            "size_factor": p.size_factor,
            "requires": None if p.requires is None else [list(group) for group in p.requires],
            "entry": p.entry,
            "min_budget": p.min_budget,
            "tier": p.tier,
        }

    return {
        "annual_budget": plan.annual_budget,
        "baseline_running_cost": plan.baseline_running_cost,
        "engine": plan.engine,
        "phases": [
            {
                "name": phase.name,
                "years": list(phase.years),
                "budget": phase.budget,
                "running_cost": phase.running_cost,
                "capacity": phase.capacity,
                "headroom": phase.headroom,
                "actions": [planned(p) for p in phase.actions],
            }
            for phase in plan.phases
        ],
        "unscheduled": [{**planned(u.planned), "reason": u.reason, "detail": u.detail} for u in plan.unscheduled],
        "in_place": [
            {
                "code": item.action.code,
                "conditions": [[c.question, c.at_least, sorted(c.items)] for c in item.conditions],
            }
            for item in plan.in_place
        ],
    }


def restored(data: dict, specs: dict[str, engine.ActionSpec]) -> engine.Plan:
    """The engine's plan from its stored form; `specs` are the catalogue's actions by code."""

    def planned(entry: dict) -> engine.PlannedAction:
        return engine.PlannedAction(
            specs[entry["code"]],
            entry["priority"],
            tuple(engine.Reason(*reason) for reason in entry["reasons"]),
            entry["value"],
            entry["size_factor"],
            None if entry["requires"] is None else tuple(tuple(group) for group in entry["requires"]),
            entry["entry"],
            entry["min_budget"],
            entry["tier"],
        )

    phases = tuple(
        engine.Phase(
            phase["name"],
            tuple(phase["years"]),
            phase["budget"],
            tuple(planned(entry) for entry in phase["actions"] if entry["code"] in specs),
            phase["running_cost"],
            phase["capacity"],
            phase["headroom"],
        )
        for phase in data["phases"]
    )
    return engine.Plan(
        data["annual_budget"],
        phases,
        tuple(
            engine.Unscheduled(planned(entry), entry["reason"], entry["detail"])
            for entry in data["unscheduled"]
            if entry["code"] in specs
        ),
        data["engine"],
        tuple(
            engine.InPlace(
                specs[item["code"]],
                tuple(engine.Condition(q, at_least, frozenset(items)) for q, at_least, items in item["conditions"]),
            )
            for item in data["in_place"]
            if item["code"] in specs
        ),
        data["baseline_running_cost"],
    )


def deliver(assessment, plan: engine.Plan, catalogue: ActionCatalogue, *, reason: str, user=None) -> DeliveredPlan:
    """Store `plan` as the one the city has received."""
    return DeliveredPlan.objects.create(
        assessment=assessment,
        catalogue=catalogue,
        engine=plan.engine,
        plan=stored_form(plan),
        reason=reason,
        delivered_by=user,
    )
