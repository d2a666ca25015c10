"""Issue 24 by example: when capacity binds, a slot goes to the more valuable project; the first
year's slots of the entry point are kept for it; the entry point is one the first year can pay for
beside the duties, at the city's own budget. Plain Python: no database."""

from plans.recommendations import ENTRY, OPTIONAL, PlannedAction, plan_value, roadmap, select_actions
from tests.plans.test_recommendations import action, city, phase_of, situation


def ranked(code, cost, *, priority, value, tier=OPTIONAL, entry="", prerequisites=()):
    """Roadmap input with a value of its own: `roadmap` takes actions in the order given."""
    spec = action(code, cost=cost, prerequisites=prerequisites)
    return PlannedAction(spec, priority, (), value, 1.0, None, entry, 0.0, tier)


def test_a_full_phase_gives_its_slot_to_the_more_valuable_project():
    """Three cheap projects of little value come first in the ranked list (their low cost lifts
    their priority) and fill the team's one slot a phase; the dearer, far more valuable project
    takes a slot from the least valuable one."""
    actions = (
        ranked("CHEAP1", 5, priority=0.5, value=0.1),
        ranked("CHEAP2", 5, priority=0.5, value=0.1),
        ranked("CHEAP3", 5, priority=0.5, value=0.1),
        ranked("VALUABLE", 50, priority=0.4, value=0.9),
    )
    plan = roadmap(actions, annual_budget=100, capacity=(1, 1, 1))
    where = phase_of(plan)
    assert where["VALUABLE"] != "unscheduled"
    assert sorted(where.values()).count("unscheduled") == 1
    assert plan_value(plan)[1] > 0.1 + 0.9 * 0.1 + 0.8 * 0.1


def test_a_trade_waits_for_the_money():
    """The valuable project is dearer than a year's budget: no trade, the cheap ones stay."""
    actions = (
        ranked("CHEAP1", 5, priority=0.5, value=0.1),
        ranked("CHEAP2", 5, priority=0.5, value=0.1),
        ranked("CHEAP3", 5, priority=0.5, value=0.1),
        ranked("VALUABLE", 500, priority=0.4, value=0.9),
    )
    where = phase_of(roadmap(actions, annual_budget=100, capacity=(1, 1, 1)))
    assert where["VALUABLE"] == "unscheduled"
    assert {where[c] for c in ("CHEAP1", "CHEAP2", "CHEAP3")} == {"near", "medium", "long"}


def test_the_entry_points_slots_of_year_one_are_kept_for_it():
    """Cheap projects fit into year one at a budget far below the entry point's; the slots the
    entry point and its first step need are kept, so they start in year one at the city's budget."""
    actions = (
        ranked("STEP", 45, priority=1.0, value=0.5, tier=ENTRY),
        ranked("ENTRY", 50, priority=1.0, value=0.6, tier=ENTRY, entry="specialty", prerequisites=("STEP",)),
        ranked("CHEAP1", 2, priority=0.9, value=0.2),
        ranked("CHEAP2", 2, priority=0.9, value=0.2),
    )
    where = phase_of(roadmap(actions, annual_budget=97, capacity=(2, 4, 4)))
    assert where["STEP"] == where["ENTRY"] == "near"
    assert where["CHEAP1"] == where["CHEAP2"] == "medium"


def agri(code, dimension, cost):
    return action(code, direction="industry", dimension=dimension, cost=cost, specialties=frozenset({"agriculture"}))


def test_the_entry_point_is_one_the_first_year_can_pay_for():
    """The city is strongest in the dimension of the dearer specialty action, but a year's budget
    less the existing systems' running cost cannot pay for it: the affordable one is the entry
    point, at the city's budget and at five times it alike."""
    catalogue = (agri("DEAR", "S1", 400), agri("AFFORDABLE", "S2", 60))
    levels = situation(dimensions={"S1": 2, "S2": 1})
    for budget in (200, 1000):
        profile = city(
            specialties=frozenset({"agriculture"}),
            annual_budget=budget,
            reference_budget=200,
            baseline_running_cost=100,
        )
        entries = {p.action.code: p.entry for p in select_actions(catalogue, profile, levels)}
        assert entries == {"DEAR": "", "AFFORDABLE": "specialty"}, budget
    rich = city(specialties=frozenset({"agriculture"}), annual_budget=1000, reference_budget=1000)
    assert {p.action.code: p.entry for p in select_actions(catalogue, rich, levels)}["DEAR"] == "specialty"
