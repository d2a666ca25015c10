"""Plan v3 on the real 2028 catalogue and the real cities (issue 24): never against the city's own
answers, duties and foundations first, step by step, a real budget, ambition that grows with it.

Seven cities are given one middling answer set and planned at 1×, 2× and 5× their budgets."""

import itertools
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from cities.city_file import load_city_file, upsert_cities
from cities.models import City
from plans import recommendations as engine
from plans.catalogue_file import import_catalogue, read_catalogue_file
from plans.compute import catalogue_specs, city_profile

pytestmark = pytest.mark.django_db

SEVEN = ["昆山市", "平湖市", "定西市", "曹县", "开封市", "务川仡佬族苗族自治县", "石门县"]
FACTORS = (1, 2, 5)
BANK = yaml.safe_load(Path("fixtures/questionnaire-smc-2027.yaml").read_text(encoding="utf-8"))
QUESTIONS = {q["code"]: q for d in BANK["dimensions"] for q in d["questions"]}


def middling() -> engine.Situation:
    """One answer set for every city: questions and dimensions at L2 or L3 alternately (by code),
    checklists with their first item ticked."""
    levels = {code: 2 + i % 2 for i, code in enumerate(sorted(QUESTIONS))}
    items = {
        code: frozenset(q["items"][0]["code"] for _ in [0]) for code, q in QUESTIONS.items() if q["type"] == "checklist"
    }
    dimensions = {d["code"]: 2 + i % 2 for i, d in enumerate(BANK["dimensions"])}
    return engine.Situation(levels, dimensions, {}, items)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        upsert_cities(load_city_file("fixtures/cities.yaml"))
        catalogue = import_catalogue(read_catalogue_file("fixtures/actions-2028.yaml"))
        specs, _ = catalogue_specs(catalogue)
        profiles = {c.name_zh: city_profile(c) for c in City.objects.prefetch_related("specialties")}
        plans = {
            (name, factor): engine.recommend(
                specs, replace(profiles[name], annual_budget=profiles[name].annual_budget * factor), middling()
            )
            for name in SEVEN
            for factor in FACTORS
        }
        yield specs, profiles, plans
        City.objects.all().delete()
        catalogue.delete()


def scheduled(plan) -> dict[str, int]:
    return {p.action.code: i for i, phase in enumerate(plan.phases) for p in phase.actions}


def test_compliance_gaps_are_in_the_first_phase_whenever_triggered(world):
    specs, profiles, plans = world
    duties = {s.code for s in specs if s.compliance}
    assert duties == {"I-SEC-01", "S-HOT-01", "S-HOT-03", "G-DATA-03"}
    for (name, factor), plan in plans.items():
        triggered = {p.action.code for p in engine.select_actions(specs, profiles[name], middling()) if p.compliance}
        where = scheduled(plan)
        for code in triggered:
            assert where.get(code) == 0, (name, factor, code)
        first = plan.phases[0]
        if first.spent > first.available:  # the plan says what is missing, never moves a duty later
            assert plan.shortfall == pytest.approx(first.spent - first.available)


def test_foundations_and_compliance_gaps_are_never_later_at_a_larger_budget(world):
    specs, _, plans = world
    first_claims = {s.code for s in specs if s.compliance or s.foundation}
    for name in SEVEN:
        placements = [scheduled(plans[name, factor]) for factor in FACTORS]
        for smaller, larger in itertools.pairwise(placements):
            for code in first_claims & smaller.keys():
                assert larger.get(code, 9) <= smaller[code], (name, code)


def test_later_phases_hold_at_least_as_many_new_projects_a_year_as_year_one(world):
    """Step by step: the projects the city chooses (the duties are obligations, first whatever they
    are) are fewest in year one."""
    _, _, plans = world
    for (name, factor), plan in plans.items():
        chosen = [[p for p in phase.actions if p.tier != engine.DUTY] for phase in plan.phases]
        per_year = [len(c) / (ph.years[1] - ph.years[0]) for c, ph in zip(chosen, plan.phases, strict=True)]
        assert per_year[1] >= per_year[0] and per_year[2] >= per_year[0], (name, factor, per_year)


def test_year_one_holds_the_duties_and_starts_the_citys_own_path(world):
    """Beside its duties, year one starts the city's entry point: the entry action or its first step.
    A city whose duties leave year one no money for any of its specialty's actions has no entry
    point: its first year pays the duties."""
    _, _, plans = world
    for name in SEVEN:
        plan = plans[name, 1]
        first = plan.phases[0]
        entry_path = [p for phase in plan.phases for p in phase.actions if p.tier == engine.ENTRY]
        if entry_path:
            assert any(p.tier == engine.ENTRY for p in first.actions), (name, [p.action.code for p in first.actions])
            continue
        given = [p for phase in plan.phases for p in phase.actions] + [u.planned for u in plan.unscheduled]
        specialty = [p for p in given if any(r.kind == "specialty" for r in p.reasons)]
        money_left = first.available - first.spent
        assert all(p.cost + p.running_cost > money_left for p in specialty), name


def test_no_chain_of_three_dependent_actions_in_one_phase(world):
    _, _, plans = world
    for (name, factor), plan in plans.items():
        where = scheduled(plan)
        for i, phase in enumerate(plan.phases):
            for planned in phase.actions:
                for group in planned.requires or ():
                    for middle in (a for a in group if where.get(a) == i):
                        before = next(p for p in phase.actions if p.action.code == middle)
                        for inner in before.requires or ():
                            assert not any(where.get(a) == i for a in inner) or planned.compliance, (
                                name,
                                factor,
                                planned.action.code,
                                middle,
                            )


def test_plans_with_candidates_left_grow_at_two_and_five_times_the_budget(world):
    _, _, plans = world
    for name in SEVEN:
        base = plans[name, 1]
        left = [u for u in base.unscheduled if u.reason != "prerequisite_unscheduled"]
        if not left:
            continue
        for factor in (2, 5):
            grown = plans[name, factor]
            assert scheduled(grown).keys() != scheduled(base).keys(), (name, factor)
            assert sum(p.cost for ph in grown.phases for p in ph.actions) > sum(
                p.cost for ph in base.phases for p in ph.actions
            ), (name, factor)


def test_the_budget_is_the_headroom_after_the_existing_systems(world):
    _, profiles, plans = world
    for name in SEVEN:
        plan, profile = plans[name, 1], profiles[name]
        assert plan.baseline_running_cost == profile.baseline_running_cost > 0
        assert plan.headroom == pytest.approx(profile.annual_budget - profile.baseline_running_cost)
        for phase in plan.phases:
            assert phase.available == pytest.approx(plan.headroom * (phase.years[1] - phase.years[0]))
    # A larger budget changes the budget, not the existing systems' running cost.
    assert plans["曹县", 2].baseline_running_cost == plans["曹县", 1].baseline_running_cost


def test_no_city_gets_a_stretch_project_beyond_its_own_means_whatever_the_budget(world):
    _, profiles, plans = world
    for (name, factor), plan in plans.items():
        own = profiles[name].annual_budget
        for phase in plan.phases:
            for planned in phase.actions:
                if planned.action.advanced:
                    assert planned.cost <= engine.STRETCH_SHARE_OF_OWN_BUDGET * own + 1e-6, (name, factor)


# Done means done --------------------------------------------------------------------------------


def test_an_action_whose_outcome_the_answers_show_is_never_planned_but_listed_in_place(world):
    specs, profiles, _ = world
    situation = middling()
    with_center = replace(situation, question_levels={**situation.question_levels, "E4.5": 3, "S1.1": 4})
    without = replace(situation, question_levels={**situation.question_levels, "E4.5": 2, "S1.1": 2})
    caoxian = profiles["曹县"]
    done = engine.recommend(specs, caoxian, with_center)
    open_ = engine.recommend(specs, caoxian, without)
    for code in ("E-EC-01", "S-ONE-01"):
        assert code not in scheduled(done) and code not in {u.planned.action.code for u in done.unscheduled}
        assert code in {item.action.code for item in done.in_place}
        assert code in scheduled(open_) or code in {u.planned.action.code for u in open_.unscheduled}


def test_a_checklist_outcome_needs_every_item_the_action_delivers(world):
    specs, profiles, _ = world
    health = next(s for s in specs if s.code == "S-HEALTH-03")
    (condition,) = [c for c in health.outcome if c.items]
    situation = middling()
    ticked = replace(situation, question_items={**situation.question_items, condition.question: condition.items})
    assert engine.outcome_met(health, ticked)
    short = replace(
        situation,
        question_items={**situation.question_items, condition.question: frozenset(sorted(condition.items)[1:])},
    )
    assert not engine.outcome_met(health, short)


def test_a_met_outcome_counts_as_met_for_what_needs_it(world):
    specs, profiles, _ = world
    situation = middling()
    organised = replace(situation, question_levels={**situation.question_levels, "G1.2": 5})
    plan = engine.recommend(specs, profiles["平湖市"], organised)
    assert "G-ORG-01" in {item.action.code for item in plan.in_place}
    for phase in plan.phases:
        for planned in phase.actions:
            assert all("G-ORG-01" not in group for group in planned.requires or ())
