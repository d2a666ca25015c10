"""Plans a consultant would sign, on the real catalogue and the real cities (issue: entry points, absorbable
phases, full costs): every demo city, and cities with identical answers but different profiles."""

import itertools
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from assessment.models import Assessment
from cities.city_file import load_city_file, upsert_cities
from cities.models import City
from plans import recommendations as engine
from plans.catalogue_file import import_catalogue, read_catalogue_file
from plans.compute import catalogue_specs, city_profile, compute_plan
from tests.demo.test_seed_demo import SPEC_CITIES

pytestmark = pytest.mark.django_db

DESIGN_CITIES = SPEC_CITIES  # the eleven cities of the design (DOMAIN.md)
BANK = yaml.safe_load(Path("fixtures/questionnaire-smc-2026.yaml").read_text(encoding="utf-8"))


def uniform(level: int) -> engine.Situation:
    """Identical answers for every city: every question and dimension at `level`."""
    return engine.Situation(
        question_levels={q["code"]: level for d in BANK["dimensions"] for q in d["questions"]},
        dimension_levels={d["code"]: level for d in BANK["dimensions"]},
        direction_weights={},
    )


@pytest.fixture
def world():
    upsert_cities(load_city_file("fixtures/cities.yaml"))
    specs, _ = catalogue_specs(import_catalogue(read_catalogue_file("fixtures/actions-2027.yaml")))
    cities = {c.name_zh: c for c in City.objects.prefetch_related("specialties")}
    return specs, {name: city_profile(city) for name, city in cities.items()}


def plan_of(world, name, level, **changes):
    specs, profiles = world
    return engine.recommend(specs, replace(profiles[name], **changes), uniform(level))


def first_three(plan):
    return [p.action.code for p in plan.first(3)]


def specialty_actions(plan, profile):
    """The specialty actions year one starts (engine 3: beside the duties and the foundations)."""
    return [p for p in plan.phases[0].actions if p.action.specialties & profile.specialties]


def chosen_first_three(plan):
    """The first three projects the city chooses: what is left of year one and later once the duties
    and foundations, common to every city, are set aside (engine 3)."""
    chosen = [p for phase in plan.phases for p in phase.actions if p.tier in (engine.ENTRY, engine.OPTIONAL)]
    return [p.action.code for p in chosen[:3]]


def year_one_pays_for(plan, planned) -> bool:
    """Whether the plan has the money to build it in year one: its cost there, and its running cost in
    every phase, within what each phase has left."""
    charges = [planned.cost + planned.running_cost] + [
        planned.running_cost * (ph.years[1] - ph.years[0]) for ph in plan.phases[1:]
    ]
    return all(c <= ph.available - ph.spent + 1e-6 for c, ph in zip(charges, plan.phases, strict=True))


def specialty_path(world, name, level):
    """The specialty's entry point and the first steps it needs, as ranked (they lead the entry tier)."""
    path = []
    for planned in engine.select_actions(world[0], world[1][name], uniform(level)):
        if planned.tier == engine.ENTRY:
            path.append(planned.action.code)
            if planned.entry == "specialty":
                return path
    return []


@pytest.mark.parametrize("level", [1, 2])
def test_every_city_with_a_specialty_starts_it_in_year_one_where_the_money_allows(world, level):
    """Engine 3: beside the duties and the foundations, year one starts the specialty's path: its entry
    point or the first step it needs, unless year one's money cannot pay that step."""
    _, profiles = world
    for name in profiles:
        path = specialty_path(world, name, level)
        if not path:
            continue
        plan = plan_of(world, name, level)
        first = {p.action.code for p in plan.phases[0].actions}
        step = (
            next(p for ph in plan.phases for p in ph.actions if p.action.code == path[0])
            if path[0] in {p.action.code for ph in plan.phases for p in ph.actions}
            else None
        )
        assert first & set(path) or step is None or not year_one_pays_for(plan, step), name


def test_the_specialty_leads_for_the_cities_of_the_design(world):
    """The entry points the seed names: Caoxian e-commerce, Dingxi potato traceability, Wuchuan eco-agriculture."""
    entry = {
        name: next(
            p.action.code for p in engine.select_actions(world[0], world[1][name], uniform(2)) if p.entry == "specialty"
        )
        for name in ["曹县", "定西市", "务川仡佬族苗族自治县", "昆山市"]
    }
    assert entry["曹县"].startswith("E-EC-")
    assert entry["定西市"] == "E-AGRI-02"  # blockchain traceability, one code per product
    assert entry["务川仡佬族苗族自治县"].startswith(("E-AGRI-", "E-ECO-", "E-TOUR-"))
    assert entry["昆山市"].startswith("E-MFG-")


def test_first_three_actions_differ_where_the_profiles_differ(world):
    _, profiles = world

    def trait(name):
        p = profiles[name]
        return (p.specialties, p.in_cluster, p.region, p.functional_zone)

    firsts = {name: chosen_first_three(plan_of(world, name, 2)) for name in DESIGN_CITIES}
    for a, b in itertools.combinations(DESIGN_CITIES, 2):
        if trait(a) != trait(b):
            assert firsts[a] != firsts[b], (a, b, firsts[a])


@pytest.mark.parametrize("level", [1, 2, 3])
def test_no_phase_exceeds_its_capacity_or_budget_and_nothing_comes_before_its_prerequisites(world, level):
    _, profiles = world
    for name in DESIGN_CITIES:
        plan = plan_of(world, name, level)
        where = {p.action.code: i for i, phase in enumerate(plan.phases) for p in phase.actions}
        for i, phase in enumerate(plan.phases):
            assert len(phase.actions) <= profiles[name].capacity[i], name
            assert phase.cost + phase.running_cost <= phase.budget + 1e-6, name
            for planned in phase.actions:
                for group in planned.requires:
                    assert min(where.get(a, 99) for a in group) <= i, (name, planned.action.code, group)
        for item in plan.unscheduled:
            if item.reason == "prerequisite_unscheduled":
                assert all(code not in where for code in item.detail.split(" / ")), (name, item)


def test_year_one_is_absorbable_for_a_county(world):
    caoxian = plan_of(world, "曹县", 1)
    assert 3 <= len(caoxian.phases[0].actions) <= 4
    assert caoxian.phases[0].capacity == 4  # engine 3: a county of 1.38 million: 3, +1 from a million


@pytest.mark.parametrize("name", ["昆山市", "平湖市", "曹县", "务川仡佬族苗族自治县", "开封市"])
def test_a_larger_budget_never_yields_a_plan_of_lower_value(world, name):
    budget = world[1][name].annual_budget
    for level in (1, 3):
        values = [
            engine.plan_value(plan_of(world, name, level, annual_budget=budget * factor))
            for factor in (0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 4)
        ]
        assert values == sorted(values), (name, level, values)


def test_a_large_budget_buys_more_valuable_work_not_the_same_list(world):
    """Kunshan and Pinghu: same answers, same specialty and cluster, budgets of 31,000 and 8,400 a year."""
    kunshan, pinghu = plan_of(world, "昆山市", 3), plan_of(world, "平湖市", 3)
    stretch = {
        name: {p.action.code for ph in plan.phases for p in ph.actions if p.action.stage == "advanced"}
        for name, plan in (("kunshan", kunshan), ("pinghu", pinghu))
    }
    assert stretch["kunshan"] > stretch["pinghu"]
    selected = {
        name: {p.action.code for p in engine.select_actions(world[0], world[1][name], uniform(3))}
        for name in ("昆山市", "平湖市")
    }
    assert (
        "I-TWIN-01" in selected["昆山市"] and "I-TWIN-01" not in selected["平湖市"]
    )  # 2 million residents, not 670,000
    assert engine.plan_value(kunshan) > engine.plan_value(pinghu)


def test_profile_rules_keep_actions_where_they_belong(world):
    def selected(name, level=1):
        specs, profiles = world
        return {p.action.code for p in engine.select_actions(specs, profiles[name], uniform(level))}

    for plain in ("曹县", "平湖市", "昆山市"):
        assert "G-ECO-03" not in selected(plain)  # no forest-fire or geohazard monitoring on the plains
    assert "G-ECO-03" in selected("务川仡佬族苗族自治县")
    assert "I-EDWC-01" in selected("定西市")  # Gansu hosts a national computing hub
    assert "I-EDWC-01" not in selected("开封市")
    for county in ("曹县", "务川仡佬族苗族自治县", "平湖市"):
        assert "I-CLOUD-01" not in selected(county) and "I-CLOUD-02" in selected(county)
    assert "I-CLOUD-01" in selected("开封市")
    assert "G-ECOGOV-01" in selected("石门县")  # a key ecological function zone
    assert "G-FLOW-01" not in selected("务川仡佬族苗族自治县")  # outside any cluster


def test_a_county_on_the_provincial_cloud_is_not_held_back_by_the_cloud_it_does_not_build(world):
    plan = plan_of(world, "务川仡佬族苗族自治县", 1)
    waiting = {u.planned.action.code: u.detail for u in plan.unscheduled if u.reason == "prerequisite_unscheduled"}
    assert not any("I-CLOUD-01" in detail for detail in waiting.values())
    assert "E-AGRI-01" not in waiting  # scheduled, or left out for money: never for a cloud it does not build


def test_costs_scale_with_the_citys_size(world):
    def cost(name):
        planned = next(
            p for p in engine.select_actions(world[0], world[1][name], uniform(1)) if p.action.code == "E-MFG-01"
        )
        return planned.cost

    assert cost("昆山市") > cost("曹县") > cost("平湖市")


def test_every_submitted_demo_city_starts_with_its_specialty():
    call_command("seed_demo", stdout=StringIO())
    for assessment in Assessment.objects.exclude(status="draft").select_related("city"):
        computed = compute_plan(assessment)
        specialties = {s.code for s in assessment.city.specialties.all()}
        selected = [p for ph in computed.plan.phases for p in ph.actions] + [
            u.planned for u in computed.plan.unscheduled
        ]
        if not any(p.action.specialties & specialties and p.entry for p in selected):
            continue  # its answers already sit at the target of every specialty action that could lead
        plan = computed.plan
        path = [p for ph in plan.phases for p in ph.actions if p.tier == engine.ENTRY]
        started = any(p.action.specialties & specialties or p.tier == engine.ENTRY for p in plan.phases[0].actions)
        assert started or not any(year_one_pays_for(plan, p) for p in path), assessment.city.name_zh
