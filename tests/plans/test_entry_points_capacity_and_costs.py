"""Engine v2 by example (SPEC.md §5): entry points, prerequisite alternatives, capacity, running costs,
city size and stretch actions. Plain Python: no database."""

import pytest

from plans.recommendations import (
    ActionSpec,
    PlannedAction,
    Reason,
    Trigger,
    default_capacity,
    plan_value,
    recommend,
    roadmap,
    select_actions,
    size_factor,
)
from tests.plans.test_recommendations import (
    action,
    city,
    codes,
    phase_of,
    planned,
    selected,
    situation,
    unscheduled_of,
)

AGRI = frozenset({"agriculture"})


def agri(code, **changes):
    return action(code, direction="industry", dimension="S2", specialties=AGRI, **changes)


# --- the entry point leads ------------------------------------------------------------------------------------------


def test_the_citys_specialty_action_leads_even_when_generic_actions_are_cheaper_and_more_urgent():
    catalogue = (
        action("CHEAP1", cost=5, target=5),
        action("CHEAP2", cost=5, target=5),
        action("CHEAP3", cost=5, target=5),
        agri("TRACE", cost=400, target=3),
    )
    ranked = select_actions(catalogue, city(specialties=AGRI), situation())
    assert codes(ranked)[0] == "TRACE"
    assert ranked[0].entry == "specialty" and ranked[0].priority == 1.0
    assert codes(recommend(catalogue, city(specialties=AGRI, annual_budget=1000), situation()).first(1)) == ["TRACE"]


def test_a_city_without_the_specialty_starts_with_its_most_urgent_gap():
    catalogue = (action("CHEAP", cost=5, target=5), agri("TRACE", cost=400))
    assert codes(select_actions(catalogue, city(), situation())) == ["CHEAP"]


def test_an_entry_points_prerequisites_come_just_before_it():
    catalogue = (
        action("URGENT", cost=5, target=5),
        action("DATA", cost=50, target=3, dimension="G1", direction="governance"),
        agri("TRACE", prerequisites=["DATA"]),
    )
    ranked = select_actions(catalogue, city(specialties=AGRI), situation())
    assert codes(ranked) == ["DATA", "TRACE", "URGENT"]
    assert [p.priority for p in ranked[:2]] == [1.0, 1.0]


def test_a_specialty_action_with_three_steps_to_do_first_is_not_an_entry_point():
    catalogue = (
        action("P1", target=3),
        action("P2", target=3, prerequisites=["P1"]),
        action("P3", target=3, prerequisites=["P2"]),
        agri("TRACE", prerequisites=["P3"]),
        agri("DIRECT", target=3),
    )
    ranked = {p.action.code: p for p in select_actions(catalogue, city(specialties=AGRI), situation())}
    assert ranked["DIRECT"].entry == "specialty" and ranked["TRACE"].entry == ""


def test_a_specialty_action_that_cannot_start_within_the_year_is_not_an_entry_point():
    catalogue = (agri("LATER", horizon="medium"), action("NOW"))
    ranked = select_actions(catalogue, city(specialties=AGRI), situation())
    assert all(p.entry == "" for p in ranked)


def test_the_location_entry_follows_the_specialty_entry():
    catalogue = (
        action("GENERIC", cost=1, target=5),
        action("XCITY", cluster=True, target=3),
        agri("TRACE", target=3),
    )
    ranked = select_actions(catalogue, city(specialties=AGRI, in_cluster=True), situation())
    assert codes(ranked) == ["TRACE", "XCITY", "GENERIC"]
    assert [p.entry for p in ranked] == ["specialty", "location", ""]


def test_an_entry_point_is_a_reason_only_in_its_own_field():
    (chosen,) = select_actions((agri("TRACE"),), city(specialties=AGRI), situation())
    assert chosen.entry == "specialty"
    assert [r.kind for r in chosen.reasons] == ["dimension", "specialty"]


# --- prerequisites ------------------------------------------------------------------------------------------------


def test_a_prerequisite_ranks_before_what_needs_it_however_low_its_own_priority():
    catalogue = (
        action("URGENT", target=5, cost=0),
        action("BASE", target=3, cost=900),
        action("USER", target=5, cost=0, prerequisites=["BASE"]),
    )
    ranked = select_actions(catalogue, city(), situation())
    assert codes(ranked).index("BASE") < codes(ranked).index("USER")
    by_code = {p.action.code: p for p in ranked}
    assert by_code["BASE"].priority >= by_code["USER"].priority


def test_either_alternative_of_a_prerequisite_is_enough():
    catalogue = (
        action("OWN_CLOUD", cost=1000, target=3),
        action("PROVINCIAL_CLOUD", cost=20, target=3),
        action("IOT", prerequisites=[("OWN_CLOUD", "PROVINCIAL_CLOUD")]),
    )
    plan = recommend(catalogue, city(annual_budget=100), situation())
    where = phase_of(plan)
    assert where["PROVINCIAL_CLOUD"] == "near" and where["IOT"] == "near"
    assert unscheduled_of(plan) == {"OWN_CLOUD": ("too_expensive", "")}


def test_an_action_waits_only_for_the_earliest_alternative_scheduled():
    actions = (
        planned("A", 10, horizon="long"),
        planned("B", 10, horizon="medium"),
        planned("USER", 10, prerequisites=[("A", "B")]),
    )
    assert phase_of(roadmap(actions, annual_budget=100)) == {"A": "long", "B": "medium", "USER": "medium"}


def test_an_action_whose_every_alternative_is_unscheduled_names_them():
    actions = (planned("A", 500), planned("B", 600), planned("USER", 10, prerequisites=[("A", "B")]))
    assert unscheduled_of(roadmap(actions, annual_budget=100))["USER"] == ("prerequisite_unscheduled", "A / B")


def test_an_alternative_the_city_already_has_means_nothing_waits():
    # S1 is at 4: OWN_CLOUD (triggered below 3) suits the city but is not needed, the city has it.
    catalogue = (
        action("OWN_CLOUD", dimension="S2", triggers=(Trigger(below=3, dimension="S1"),)),
        action("PROVINCIAL_CLOUD", dimension="S2", cost=50, horizon="long"),
        action("IOT", dimension="S2", prerequisites=[("OWN_CLOUD", "PROVINCIAL_CLOUD")]),
    )
    plan = recommend(catalogue, city(annual_budget=100), situation(dimensions={"S1": 4, "S2": 2}))
    assert phase_of(plan) == {"PROVINCIAL_CLOUD": "long", "IOT": "near"}


def test_an_alternative_that_does_not_suit_the_city_is_not_waited_for():
    catalogue = (
        action("OWN_CLOUD", levels=frozenset({"prefecture"})),
        action("PROVINCIAL_CLOUD", horizon="medium"),
        action("IOT", prerequisites=[("OWN_CLOUD", "PROVINCIAL_CLOUD")]),
    )
    plan = recommend(catalogue, city(level="county"), situation())
    assert phase_of(plan) == {"PROVINCIAL_CLOUD": "medium", "IOT": "medium"}


# --- capacity -------------------------------------------------------------------------------------------------------


def test_a_phase_holds_at_most_its_capacity_of_new_projects():
    actions = tuple(planned(f"A{i}", 1, priority=1 - i / 20) for i in range(12))
    plan = roadmap(actions, annual_budget=1000, capacity=(3, 4, 4))
    assert [len(phase.actions) for phase in plan.phases] == [3, 4, 4]
    assert [phase.capacity for phase in plan.phases] == [3, 4, 4]
    assert unscheduled_of(plan) == {"A11": ("capacity", "")}


def test_a_full_year_moves_the_next_action_to_the_medium_term():
    actions = (planned("A", 10), planned("B", 10, priority=0.5))
    assert phase_of(roadmap(actions, annual_budget=100, capacity=(1, 1, 1))) == {"A": "near", "B": "medium"}


def test_phases_full_where_there_is_money_and_short_of_money_where_there_is_room_is_no_room():
    actions = (planned("A", 60), planned("B", 150, priority=0.9), planned("C", 50, priority=0.8))
    plan = roadmap(actions, annual_budget=100, capacity=(2, 1, 1))
    assert phase_of(plan) == {"A": "near", "B": "medium", "C": "long"}
    actions += (planned("D", 45, priority=0.7, horizon="medium"),)
    assert unscheduled_of(roadmap(actions, annual_budget=100, capacity=(2, 1, 1)))["D"] == ("capacity", "")
    # D fits the year's room but not its money; the later phases have the money but are full.
    actions = (planned("A", 60), planned("B", 150, priority=0.9), planned("C", 150, priority=0.8))
    actions += (planned("D", 50, priority=0.7),)
    assert unscheduled_of(roadmap(actions, annual_budget=100, capacity=(2, 1, 1)))["D"] == ("no_room", "")


@pytest.mark.parametrize(("year_one", "phases"), [(3, (3, 8, 10)), (5, (5, 12, 14)), (6, (6, 14, 16))])
def test_step_by_step_each_later_year_holds_one_more_project_than_the_year_before(year_one, phases):
    """Engine 3 (issue 24): year one the fewest; years 2–3 one more a year, years 4–5 two more."""
    assert default_capacity(year_one) == phases


# --- running costs ------------------------------------------------------------------------------------------------


def running(code, cost, yearly, priority=1.0):
    """Roadmap input with a yearly running cost."""
    return PlannedAction(action(code, cost=cost, running_cost=yearly), priority, ())


def test_running_cost_counts_in_the_phase_it_is_built_and_every_later_one():
    plan = roadmap((running("A", 40, 10),), annual_budget=100)
    assert [(phase.cost, phase.running_cost) for phase in plan.phases] == [(40, 10), (0, 20), (0, 20)]
    assert all(phase.spent <= phase.budget for phase in plan.phases)


def test_an_action_whose_running_cost_later_would_break_a_budget_waits_or_is_unscheduled():
    # A's running cost leaves 55, 110 and 110. B would cost 60 + 30 in year one, 60 + 60 in the
    # medium term, and 60 + 60 in the long term: it fits no phase as the plan stands, though alone it would.
    actions = (running("A", 0, 45), running("B", 60, 30))
    plan = roadmap(actions, annual_budget=100)
    assert phase_of(plan) == {"A": "near", "B": "unscheduled"}
    assert unscheduled_of(plan)["B"] == ("beyond_five_years", "")


def test_an_action_whose_running_cost_alone_exceeds_the_budget_is_too_expensive():
    assert unscheduled_of(roadmap((running("A", 10, 150),), annual_budget=100)) == {"A": ("too_expensive", "")}


# --- the city's size ----------------------------------------------------------------------------------------------


def scaled(scales_with="population"):
    return ActionSpec("A", "services", "S1", (Trigger(3, dimension="S1"),), 3, (100, 300), scales_with=scales_with)


@pytest.mark.parametrize(
    ("population", "factor"),
    [(50, 1.0), (200, 4**0.6), (20, 0.4**0.6), (12.5, 0.5), (1000, 3.0), (2, 0.5), (None, 1.0)],
)
def test_cost_scales_with_population_by_the_six_tenths_rule_within_bounds(population, factor):
    assert size_factor(scaled(), city(population=population)) == pytest.approx(factor)


def test_cost_scales_with_townships_or_not_at_all():
    assert size_factor(scaled("townships"), city(population=500, townships=30)) == pytest.approx(2**0.6)
    assert size_factor(scaled(""), city(population=500, townships=30)) == 1.0


def test_a_planned_action_carries_its_costs_for_the_city():
    spec = ActionSpec(
        "A", "services", "S1", (Trigger(3, dimension="S1"),), 3, (100, 300), running_cost=30, scales_with="population"
    )
    (chosen,) = select_actions((spec,), city(population=200), situation())
    factor = 4**0.6
    assert chosen.cost == pytest.approx(200 * factor)
    assert chosen.cost_range == pytest.approx((100 * factor, 300 * factor))
    assert chosen.running_cost == pytest.approx(30 * factor)


# --- profile filters ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suits", "fits", "does_not_fit"),
    [
        ({"provinces": frozenset({"guizhou"})}, {"province": "guizhou"}, {"province": "jiangsu"}),
        ({"levels": frozenset({"prefecture"})}, {"level": "prefecture"}, {"level": "county"}),
        ({"terrains": frozenset({"mountainous", "hilly"})}, {"terrain": "hilly"}, {"terrain": "plain"}),
        ({"min_population": 100}, {"population": 138}, {"population": 67}),
        ({"min_population": 100}, {"population": 100}, {"population": None}),
    ],
)
def test_profile_filters(suits, fits, does_not_fit):
    assert "A" in selected([action("A", **suits)], city(**fits))
    assert selected([action("A", **suits)], city(**does_not_fit)) == {}


def test_a_province_action_is_a_location_reason():
    hub = action("HUB", provinces=frozenset({"guizhou"}))
    (chosen,) = select_actions((hub,), city(province="guizhou"), situation())
    assert Reason("province", "guizhou") in chosen.reasons and chosen.entry == "location"


# --- stretch actions ----------------------------------------------------------------------------------------------


def stretch(code="BRAIN", cost=500, **changes):
    return action(code, cost=cost, target=5, stage="advanced", triggers=(Trigger(5, dimension="S1"),), **changes)


def test_a_stretch_action_needs_its_dimension_at_l3_and_its_cost_within_half_the_citys_own_budget():
    """Engine 3: a stretch action must fit the city's own means, half its own yearly budget."""
    ready = situation(dimensions={"S1": 3})
    assert codes(select_actions((stretch(),), city(annual_budget=1000), ready)) == ["BRAIN"]
    assert select_actions((stretch(),), city(annual_budget=999), ready) == ()
    assert select_actions((stretch(),), city(annual_budget=999, reference_budget=1000), ready) != ()
    assert select_actions((stretch(),), city(annual_budget=5000), situation(dimensions={"S1": 2})) == ()


def test_a_stretch_action_says_so_and_never_leads():
    catalogue = (stretch(cost=0, specialties=AGRI), agri("TRACE", target=4))
    ready = situation(dimensions={"S1": 3, "S2": 2})
    ranked = select_actions(catalogue, city(specialties=AGRI, annual_budget=100), ready)
    by_code = {p.action.code: p for p in ranked}
    assert by_code["TRACE"].entry == "specialty" and by_code["BRAIN"].entry == ""
    assert Reason("stretch") in by_code["BRAIN"].reasons


def test_a_standard_action_never_waits_for_a_stretch_action():
    catalogue = (stretch(horizon="long"), action("USER", dimension="S2", prerequisites=["BRAIN"]))
    plan = recommend(catalogue, city(annual_budget=1000), situation(dimensions={"S1": 3, "S2": 2}))
    assert phase_of(plan) == {"BRAIN": "long", "USER": "near"}


def test_a_larger_budget_brings_more_valuable_work_not_the_same_list():
    catalogue = (action("A", dimension="S2", cost=50), stretch("BRAIN", cost=2000), stretch("NODE", cost=800))
    situation_ = situation(dimensions={"S1": 3, "S2": 2})
    small = recommend(catalogue, city(annual_budget=500), situation_)
    large = recommend(catalogue, city(annual_budget=4000), situation_)  # engine 3: BRAIN needs half of its own 4,000
    assert phase_of(small) == {"A": "near"}
    assert phase_of(large) == {"A": "near", "NODE": "near", "BRAIN": "near"}


# --- a larger budget never buys less -------------------------------------------------------------------------------


def valued(code, cost, value, priority):
    return PlannedAction(action(code, cost=cost, horizon="long"), priority, (), value)


def test_an_action_that_becomes_affordable_does_not_crowd_out_more_valuable_work():
    # At 95 a year the long term has 190: laid out afresh, BIG (worth 1) would take it all and leave
    # out four actions worth 2 together. The plan the engine had at 94 is worth more, so it stays.
    actions = (valued("BIG", 190, 1.0, 1.0), *(valued(f"S{i}", 40, 0.5, 0.9 - i / 100) for i in range(5)))
    at_94 = roadmap(actions, annual_budget=94)
    at_95 = roadmap(actions, annual_budget=95)
    assert codes(at_94.phases[2].actions) == ["S0", "S1", "S2", "S3"]
    assert codes(at_95.phases[2].actions) == ["S0", "S1", "S2", "S3"]
    assert unscheduled_of(at_95)["BIG"] == ("beyond_five_years", "")
    assert plan_value(at_95) >= plan_value(at_94)
    # With money for BIG too, the plan is worth more with BIG in it (engine 3: from the next budget at
    # which the plan is laid out afresh, here 200, where the long term has money for all six).
    assert set(codes(roadmap(actions, annual_budget=200).phases[2].actions)) == {"BIG", *(f"S{i}" for i in range(5))}


def test_plan_value_counts_entry_points_started_within_the_year_first():
    catalogue = (agri("TRACE", cost=50), action("A", cost=10, target=5))
    plan = recommend(catalogue, city(specialties=AGRI, annual_budget=100), situation())
    entries, worth = plan_value(plan)
    assert entries == 1 and worth == pytest.approx(sum(p.value for p in plan.phases[0].actions))
