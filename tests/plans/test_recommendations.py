"""Hand-made examples for the recommendation engine (SPEC.md §5). Plain Python: no database."""

import pytest

from assessment.scoring import DIRECTIONS
from plans.recommendations import (
    ENGINE_VERSION,
    ActionSpec,
    CityProfile,
    PlannedAction,
    Reason,
    Situation,
    Trigger,
    recommend,
    roadmap,
    select_actions,
)

CITY = CityProfile(
    region="east", specialties=frozenset(), in_cluster=False, functional_zone="urbanised", annual_budget=100
)


def action(
    code,
    *,
    direction="services",
    dimension="S1",
    triggers=None,
    target=4,
    cost=10,
    horizon="near",
    prerequisites=(),
    **suits,
):
    """An action triggered when its dimension is below 3, costing exactly `cost`."""
    return ActionSpec(
        code=code,
        direction=direction,
        dimension=dimension,
        triggers=triggers or (Trigger(below=3, dimension=dimension),),
        target_level=target,
        cost_range=(cost, cost),
        horizon=horizon,
        prerequisites=tuple(prerequisites),
        **suits,
    )


def city(**changes):
    fields = {
        "region": "east",
        "specialties": frozenset(),
        "in_cluster": False,
        "functional_zone": "urbanised",
        "annual_budget": 100,
    }
    return CityProfile(**{**fields, **changes})


def situation(questions=None, dimensions=None, weights=None):
    """Every dimension used here at level 2 unless told; all directions weigh 1."""
    return Situation(
        question_levels=questions or {},
        dimension_levels={"S1": 2, "S2": 2, "G1": 2} if dimensions is None else dimensions,
        direction_weights=weights or dict.fromkeys(DIRECTIONS, 1.0),
    )


def selected(catalogue, city_=CITY, situation_=None):
    return {p.action.code: p for p in select_actions(tuple(catalogue), city_, situation_ or situation())}


def codes(planned):
    return [p.action.code for p in planned]


def planned(code, cost, *, priority=1.0, horizon="near", prerequisites=()):
    """Roadmap input: `roadmap` takes actions in the order given, most urgent first."""
    return PlannedAction(action(code, cost=cost, horizon=horizon, prerequisites=prerequisites), priority, ())


def phase_of(plan):
    """Where each action landed: a phase name, or "unscheduled"."""
    where = {p.action.code: phase.name for phase in plan.phases for p in phase.actions}
    where.update({u.planned.action.code: "unscheduled" for u in plan.unscheduled})
    return where


def unscheduled_of(plan):
    return {u.planned.action.code: (u.reason, u.detail) for u in plan.unscheduled}


PHASE_ORDER = {"near": 0, "medium": 1, "long": 2, "unscheduled": 3}


# --- which actions suit the city ----------------------------------------------------------------------------------


def test_city_in_a_cluster_gets_the_cluster_only_action():
    assert "C" in selected([action("C", cluster=True)], city(in_cluster=True))


def test_city_outside_a_cluster_does_not_get_the_cluster_only_action():
    assert selected([action("C", cluster=True)], city(in_cluster=False)) == {}


def test_outside_only_action_goes_only_to_cities_outside_a_cluster():
    catalogue = [action("OUT", cluster=False)]
    assert "OUT" in selected(catalogue, city(in_cluster=False))
    assert selected(catalogue, city(in_cluster=True)) == {}


def test_action_open_to_any_city_suits_cities_in_and_outside_a_cluster():
    for in_cluster in (True, False):
        assert "ANY" in selected([action("ANY")], city(in_cluster=in_cluster))


def test_city_with_the_specialty_gets_its_action():
    catalogue = [action("AGRI", specialties=frozenset({"agriculture"}))]
    assert "AGRI" in selected(catalogue, city(specialties=frozenset({"tourism", "agriculture"})))


def test_city_without_the_specialty_does_not_get_its_action():
    catalogue = [action("AGRI", specialties=frozenset({"agriculture"}))]
    assert selected(catalogue, city(specialties=frozenset({"tourism"}))) == {}
    assert selected(catalogue, city(specialties=frozenset())) == {}


def test_region_filter_keeps_the_action_to_its_regions():
    catalogue = [action("WEST", regions=frozenset({"west", "central"}))]
    assert "WEST" in selected(catalogue, city(region="west"))
    assert selected(catalogue, city(region="east")) == {}


def test_functional_zone_filter_keeps_the_action_to_its_zones():
    catalogue = [action("ECO", functional_zones=frozenset({"ecological"}))]
    assert "ECO" in selected(catalogue, city(functional_zone="ecological"))
    assert selected(catalogue, city(functional_zone="urbanised")) == {}


def test_every_filter_must_hold():
    catalogue = [action("BOTH", specialties=frozenset({"agriculture"}), regions=frozenset({"west"}))]
    assert selected(catalogue, city(specialties=frozenset({"agriculture"}), region="east")) == {}
    assert "BOTH" in selected(catalogue, city(specialties=frozenset({"agriculture"}), region="west"))


# --- which actions are triggered ------------------------------------------------------------------------------------


def test_question_below_its_trigger_level_triggers_the_action():
    catalogue = [action("A", triggers=(Trigger(below=3, question="q1"),))]
    assert "A" in selected(catalogue, situation_=situation(questions={"q1": 2}))


def test_dimension_below_its_trigger_level_triggers_the_action():
    catalogue = [action("A", triggers=(Trigger(below=3, dimension="G1"),))]
    assert "A" in selected(catalogue, situation_=situation(dimensions={"G1": 1}))


@pytest.mark.parametrize("trigger", [Trigger(below=3, question="q1"), Trigger(below=3, dimension="G1")])
def test_level_equal_to_below_does_not_trigger(trigger):
    catalogue = [action("A", triggers=(trigger,))]
    assert selected(catalogue, situation_=situation(questions={"q1": 3}, dimensions={"G1": 3})) == {}


@pytest.mark.parametrize("trigger", [Trigger(below=3, question="q1"), Trigger(below=3, dimension="G1")])
def test_level_above_below_does_not_trigger(trigger):
    catalogue = [action("A", triggers=(trigger,))]
    assert selected(catalogue, situation_=situation(questions={"q1": 5}, dimensions={"G1": 4})) == {}


def test_unanswered_or_not_applicable_question_triggers_nothing():
    catalogue = [action("A", triggers=(Trigger(below=5, question="q1"),))]
    # An unanswered or N/A question is absent from question_levels, even when its dimension is weak.
    assert selected(catalogue, situation_=situation(questions={"q2": 1}, dimensions={"S1": 1})) == {}


def test_unscored_dimension_triggers_nothing():
    catalogue = [action("A", triggers=(Trigger(below=5, dimension="G1"),))]
    assert selected(catalogue, situation_=situation(dimensions={"S1": 1})) == {}


def test_one_trigger_that_holds_is_enough():
    triggers = (Trigger(below=2, question="q1"), Trigger(below=4, dimension="S1"))
    assert "A" in selected([action("A", triggers=triggers)], situation_=situation(questions={"q1": 5}))


def test_suitable_action_that_nothing_triggers_is_not_selected():
    catalogue = [action("A", triggers=(Trigger(below=2, dimension="S1"),))]
    assert selected(catalogue, situation_=situation(dimensions={"S1": 2})) == {}


def test_reasons_list_the_triggers_that_held_with_their_level_and_below():
    triggers = (
        Trigger(below=3, question="q1"),
        Trigger(below=4, dimension="S1"),
        Trigger(below=2, question="q2"),  # q2 is at 2: does not hold
        Trigger(below=5, question="q9"),  # unanswered
    )
    chosen = selected([action("A", triggers=triggers)], situation_=situation(questions={"q1": 2, "q2": 2}))
    assert chosen["A"].reasons == (
        Reason("question", "q1", level=2, below=3),
        Reason("dimension", "S1", level=2, below=4),
    )


# --- ranking --------------------------------------------------------------------------------------------------------


def test_first_priority_is_one_and_all_lie_in_the_unit_interval():
    catalogue = [
        action("A", cost=10),
        action("B", cost=40, target=5),
        action("C", cost=25, direction="governance", dimension="G1"),
        action("D", cost=3, target=3),
    ]
    ranked = select_actions(tuple(catalogue), CITY, situation())
    assert len(ranked) == 4
    assert ranked[0].priority == 1.0
    assert all(0 < p.priority <= 1 for p in ranked)
    assert [p.priority for p in ranked] == sorted((p.priority for p in ranked), reverse=True)


def test_nothing_triggered_selects_nothing():
    assert select_actions((action("A"),), CITY, situation(dimensions={"S1": 5})) == ()


def test_bigger_gap_ranks_higher_at_equal_cost():
    # S1 is at 2: a target of 5 leaves a gap of 3 levels, a target of 3 a gap of 1.
    ranked = select_actions((action("SMALL", target=3), action("BIG", target=5)), CITY, situation())
    assert codes(ranked) == ["BIG", "SMALL"]
    assert ranked[1].priority == pytest.approx(1 / 3)


def test_gap_is_measured_from_the_level_of_the_actions_dimension():
    catalogue = (action("WEAK", dimension="S1"), action("LESS_WEAK", dimension="S2"))
    ranked = select_actions(catalogue, CITY, situation(dimensions={"S1": 1, "S2": 2}))
    assert codes(ranked) == ["WEAK", "LESS_WEAK"]
    assert ranked[1].priority == pytest.approx(2 / 3)


def test_cost_is_a_diminishing_factor_on_priority_never_a_divisor():
    # Engine v1 divided by cost: an action twice as dear ranked at half. Now cost weighs in mildly.
    ranked = select_actions((action("DEAR", cost=3000), action("CHEAP", cost=0)), CITY, situation())
    assert codes(ranked) == ["CHEAP", "DEAR"]
    assert ranked[1].priority == pytest.approx(0.5)
    ranked = select_actions((action("DEAR", cost=20), action("CHEAP", cost=10)), CITY, situation())
    assert ranked[1].priority == pytest.approx(((1 + 10 / 1000) / (1 + 20 / 1000)) ** 0.5)


def test_a_more_valuable_dear_action_outranks_a_cheap_one():
    catalogue = (action("CHEAP", cost=10, target=3), action("WORTH_IT", cost=800, target=5))
    assert codes(select_actions(catalogue, CITY, situation())) == ["WORTH_IT", "CHEAP"]


def test_cost_is_the_midpoint_of_the_cost_range():
    spec = ActionSpec("A", "services", "S1", (Trigger(below=3, dimension="S1"),), 4, (100, 300))
    assert spec.cost == 200


def test_heavier_direction_ranks_higher():
    catalogue = (action("GOV", direction="governance", dimension="G1"), action("SRV", direction="services"))
    weights = {"services": 2.0, "governance": 1.0, "industry": 1.0, "infrastructure": 1.0}
    ranked = select_actions(catalogue, CITY, situation(weights=weights))
    assert codes(ranked) == ["SRV", "GOV"]
    assert ranked[1].priority == pytest.approx(0.5)


def test_direction_missing_from_the_weights_weighs_one():
    catalogue = (action("GOV", direction="governance", dimension="G1"), action("SRV", direction="services"))
    ranked = select_actions(catalogue, CITY, situation(weights={"services": 2.0}))
    assert codes(ranked) == ["SRV", "GOV"]
    assert ranked[1].priority == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("suits", "profile", "trait", "importance"),
    [
        ({"specialties": frozenset({"agriculture"})}, {"specialties": frozenset({"agriculture"})}, "specialty", 1.5),
        ({"cluster": True}, {"in_cluster": True}, "cluster", 1.3),
        ({"regions": frozenset({"west"})}, {"region": "west"}, "region", 1.3),
        ({"functional_zones": frozenset({"ecological"})}, {"functional_zone": "ecological"}, "zone", 1.3),
    ],
)
def test_city_trait_raises_priority_and_is_a_reason(suits, profile, trait, importance):
    ranked = select_actions((action("FITS", **suits), action("PLAIN")), city(**profile), situation())
    assert codes(ranked) == ["FITS", "PLAIN"]
    assert ranked[1].priority == pytest.approx(1 / importance)
    assert trait in [reason.kind for reason in ranked[0].reasons]
    assert [reason.kind for reason in ranked[1].reasons] == ["dimension"]


def test_trait_reasons_name_the_specialty_region_and_zone():
    spec = action(
        "A",
        specialties=frozenset({"agriculture", "tourism"}),
        cluster=True,
        regions=frozenset({"west"}),
        functional_zones=frozenset({"ecological"}),
    )
    profile = city(
        specialties=frozenset({"agriculture", "mining"}), in_cluster=True, region="west", functional_zone="ecological"
    )
    (chosen,) = select_actions((spec,), profile, situation())
    assert chosen.reasons[1:] == (
        Reason("specialty", "agriculture"),
        Reason("cluster"),
        Reason("region", "west"),
        Reason("zone", "ecological"),
    )


def test_outside_only_action_earns_no_cluster_bonus():
    ranked = select_actions((action("OUT", cluster=False), action("PLAIN")), city(in_cluster=False), situation())
    assert [p.priority for p in ranked] == [1.0, 1.0]
    assert all(reason.kind == "dimension" for p in ranked for reason in p.reasons)


def test_action_others_need_first_is_a_foundation_and_ranks_higher():
    catalogue = (
        action("BASE"),
        action("TWIN"),  # same as BASE, but nothing needs it
        action("USER", cost=1000, prerequisites=["BASE"]),
    )
    ranked = selected(catalogue)
    assert ranked["BASE"].priority == 1.0
    assert ranked["TWIN"].priority == pytest.approx(1 / 1.2)
    assert Reason("foundation", level=1) in ranked["BASE"].reasons
    assert all(reason.kind != "foundation" for reason in ranked["TWIN"].reasons)


def test_foundation_bonus_counts_at_most_three_dependents():
    dependents = [action(f"USER{i}", cost=1000, prerequisites=["BASE"]) for i in range(5)]
    ranked = selected([action("BASE"), action("TWIN"), *dependents])
    assert ranked["TWIN"].priority == pytest.approx(1 / 1.6)
    assert Reason("foundation", level=5) in ranked["BASE"].reasons


def test_prerequisite_that_was_not_selected_earns_no_foundation_bonus():
    catalogue = (action("BASE", dimension="S2"), action("USER", prerequisites=["BASE"]))
    ranked = selected(catalogue, situation_=situation(dimensions={"S1": 2, "S2": 5}))
    assert list(ranked) == ["USER"]
    assert ranked["USER"].priority == 1.0


def test_equal_priorities_are_ordered_by_code():
    ranked = select_actions((action("B"), action("C"), action("A")), CITY, situation())
    assert codes(ranked) == ["A", "B", "C"]
    assert [p.priority for p in ranked] == [1.0, 1.0, 1.0]


# --- roadmap --------------------------------------------------------------------------------------------------------


def test_phase_budgets_are_the_annual_budget_times_one_two_and_two_years():
    plan = roadmap((), annual_budget=80)
    assert [(phase.name, phase.years, phase.budget) for phase in plan.phases] == [
        ("near", (0, 1), 80),
        ("medium", (1, 3), 160),
        ("long", (3, 5), 160),
    ]
    assert plan.annual_budget == 80
    assert plan.unscheduled == ()
    assert plan.engine == ENGINE_VERSION


def test_actions_fill_the_earliest_phase_with_money_in_order_of_priority():
    actions = [planned(code, 30, priority=1 - i / 20) for i, code in enumerate("ABCDEFGHIJKLMNOP")]
    plan = roadmap(tuple(actions), annual_budget=100)
    assert [codes(phase.actions) for phase in plan.phases] == [list("ABC"), list("DEFGHI"), list("JKLMNO")]
    assert unscheduled_of(plan) == {"P": ("beyond_five_years", "")}


def test_no_phase_spends_more_than_its_budget():
    costs = [60, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
    actions = [planned(f"A{i:02d}", cost, priority=1 - i / 20) for i, cost in enumerate(costs)]
    plan = roadmap(tuple(actions), annual_budget=100)
    for phase in plan.phases:
        assert phase.cost <= phase.budget
    assert sum(phase.cost for phase in plan.phases) > 0


def test_action_is_never_in_an_earlier_phase_than_its_prerequisite():
    actions = (
        planned("USER", 10, priority=1.0, prerequisites=["BASE"]),
        planned("BASE", 10, priority=0.5, horizon="long"),
    )
    assert phase_of(roadmap(actions, annual_budget=100)) == {"BASE": "long", "USER": "long"}


def test_action_may_share_a_phase_with_its_prerequisite():
    actions = (planned("BASE", 10), planned("USER", 10, priority=0.5, prerequisites=["BASE"]))
    assert phase_of(roadmap(actions, annual_budget=100)) == {"BASE": "near", "USER": "near"}


def test_prerequisite_pushed_later_by_money_pushes_its_dependent_later():
    # BIG is worth more than BASE and USER together, so it keeps year one (engine v2 weighs total value).
    actions = (
        planned("BIG", 90, priority=1.0),
        planned("BASE", 20, priority=0.3),  # does not fit the near term's 10 left
        planned("USER", 5, priority=0.2, prerequisites=["BASE"]),
    )
    assert phase_of(roadmap(actions, annual_budget=100)) == {"BIG": "near", "BASE": "medium", "USER": "medium"}


def test_each_action_appears_at_most_once():
    actions = [planned(f"A{i}", 40, priority=1 - i / 20, prerequisites=[f"A{i - 1}"] if i else []) for i in range(14)]
    plan = roadmap(tuple(actions), annual_budget=100)
    listed = [p.action.code for phase in plan.phases for p in phase.actions]
    listed += [u.planned.action.code for u in plan.unscheduled]
    assert sorted(listed) == sorted(f"A{i}" for i in range(14))


def test_medium_horizon_action_never_lands_in_the_near_term():
    plan = roadmap((planned("LATER", 10, horizon="medium"),), annual_budget=100)
    assert phase_of(plan) == {"LATER": "medium"}


def test_long_horizon_action_waits_for_the_long_term():
    plan = roadmap((planned("LATEST", 10, horizon="long"),), annual_budget=100)
    assert phase_of(plan) == {"LATEST": "long"}


def test_action_dearer_than_a_year_goes_to_the_medium_term():
    assert phase_of(roadmap((planned("DEAR", 150),), annual_budget=100)) == {"DEAR": "medium"}


def test_action_dearer_than_every_phase_it_could_go_into_is_too_expensive():
    plan = roadmap((planned("HUGE", 201), planned("OK", 10, priority=0.5)), annual_budget=100)
    assert unscheduled_of(plan) == {"HUGE": ("too_expensive", "")}
    assert phase_of(plan)["OK"] == "near"


def test_action_too_expensive_for_a_phase_does_not_close_it():
    actions = (planned("DEAR", 150), planned("CHEAP", 10, priority=0.5))
    assert phase_of(roadmap(actions, annual_budget=100)) == {"DEAR": "medium", "CHEAP": "near"}


def test_when_the_money_runs_out_the_rest_is_beyond_five_years():
    actions = [planned(code, 100, priority=1 - i / 10) for i, code in enumerate("ABCDEFG")]
    plan = roadmap(tuple(actions), annual_budget=100)
    assert phase_of(plan) == {
        "A": "near",
        "B": "medium",
        "C": "medium",
        "D": "long",
        "E": "long",
        "F": "unscheduled",
        "G": "unscheduled",
    }
    assert unscheduled_of(plan) == {"F": ("beyond_five_years", ""), "G": ("beyond_five_years", "")}


def test_dependent_of_an_unscheduled_prerequisite_is_unscheduled_naming_it():
    actions = (
        planned("HUGE", 500),
        planned("USER", 10, priority=0.5, prerequisites=["HUGE"]),
        planned("USER2", 10, priority=0.4, prerequisites=["USER"]),
    )
    plan = roadmap(actions, annual_budget=100)
    assert unscheduled_of(plan) == {
        "HUGE": ("too_expensive", ""),
        "USER": ("prerequisite_unscheduled", "HUGE"),
        "USER2": ("prerequisite_unscheduled", "USER"),
    }
    assert all(phase.actions == () for phase in plan.phases)


def test_dependent_of_a_prerequisite_beyond_five_years_is_unscheduled_naming_it():
    actions = (
        planned("FILL", 500, priority=1.0),  # too expensive, closes nothing
        planned("A", 100, priority=0.9),
        planned("B", 200, priority=0.8),
        planned("C", 200, priority=0.7),
        planned("LATE", 50, priority=0.3),  # with USER worth less than C, which takes the money first
        planned("USER", 1, priority=0.2, prerequisites=["LATE"]),
    )
    assert unscheduled_of(roadmap(actions, annual_budget=100)) == {
        "FILL": ("too_expensive", ""),
        "LATE": ("beyond_five_years", ""),
        "USER": ("prerequisite_unscheduled", "LATE"),
    }


def test_prerequisite_the_city_already_meets_does_not_block():
    catalogue = (action("BASE", dimension="S2"), action("USER", prerequisites=["BASE"]))
    plan = recommend(catalogue, CITY, situation(dimensions={"S1": 2, "S2": 4}))
    assert phase_of(plan) == {"USER": "near"}


def test_prerequisite_that_does_not_suit_the_city_does_not_block():
    catalogue = (action("BASE", cost=500, cluster=True), action("USER", prerequisites=["BASE"]))
    plan = recommend(catalogue, city(in_cluster=False), situation())
    assert phase_of(plan) == {"USER": "near"}


def test_prerequisite_missing_from_the_catalogue_does_not_block():
    plan = recommend((action("USER", prerequisites=["GONE"]),), CITY, situation())
    assert phase_of(plan) == {"USER": "near"}


def test_money_a_more_urgent_action_cannot_use_goes_to_the_next_one_that_fits():
    # Near term: 100. A takes 60; B (50) does not fit the 40 left and waits for the medium term;
    # C fits the 40 left, so year one's money is not left idle.
    actions = (planned("A", 60, priority=1.0), planned("B", 50, priority=0.9), planned("C", 10, priority=0.8))
    plan = roadmap(actions, annual_budget=100)
    assert [codes(phase.actions) for phase in plan.phases] == [["A", "C"], ["B"], []]
    assert plan.phases[0].cost == 70


def test_unscheduled_lists_actions_in_the_order_they_were_given_up():
    actions = (planned("X", 300), planned("Y", 250, priority=0.5))
    assert [u.planned.action.code for u in roadmap(actions, annual_budget=100).unscheduled] == ["X", "Y"]


# --- determinism ----------------------------------------------------------------------------------------------------

CATALOGUE = (
    action("G-DATA-01", direction="governance", dimension="G1", cost=40),
    action("G-DATA-02", direction="governance", dimension="G1", cost=40, prerequisites=["G-DATA-01"]),
    action("S-NET-01", cost=60, cluster=True),
    action("I-AGRI-01", direction="industry", dimension="S2", cost=80, specialties=frozenset({"agriculture"})),
    action("N-IOT-01", direction="infrastructure", dimension="S2", cost=80, horizon="medium"),
    action("N-IOT-02", direction="infrastructure", dimension="S2", cost=80, horizon="medium"),
    action("S-TWIN-01", cost=250),
)
PROFILE = city(specialties=frozenset({"agriculture"}), in_cluster=True)


def test_same_input_gives_the_same_plan():
    first = recommend(CATALOGUE, PROFILE, situation())
    assert recommend(CATALOGUE, PROFILE, situation()) == first
    assert sum(len(phase.actions) for phase in first.phases) + len(first.unscheduled) == len(CATALOGUE)


@pytest.mark.parametrize("order", [slice(None, None, -1), slice(1, None, 2)])
def test_catalogue_order_does_not_change_the_plan(order):
    shuffled = CATALOGUE[order] + tuple(spec for spec in CATALOGUE if spec not in CATALOGUE[order])
    assert recommend(shuffled, PROFILE, situation()) == recommend(CATALOGUE, PROFILE, situation())


def test_ties_are_broken_by_code_whatever_the_catalogue_order():
    # Two identical actions: only one fits the near term, and it is the one with the smaller code.
    for catalogue in [(action("B", cost=60), action("A", cost=60)), (action("A", cost=60), action("B", cost=60))]:
        plan = recommend(catalogue, CITY, situation())
        assert phase_of(plan) == {"A": "near", "B": "medium"}


def test_a_direction_weighted_zero_still_gets_a_positive_priority():
    planned = select_actions((action("A"),), CITY, situation(weights={"services": 0, "governance": 1}))
    assert planned[0].priority == 1.0
