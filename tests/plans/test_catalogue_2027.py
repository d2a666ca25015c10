"""Action catalogue 2027: complete costs, leads and targets, policy references, profile rules; the format's
new keys validated, old files still importable."""

import copy

import pytest

from plans.catalogue_file import CatalogueFileError, import_catalogue, read_catalogue_file, validate_catalogue
from plans.models import Action, ActionCatalogue, FundingSource
from tests.plans.test_catalogue_and_plan import SMALL, action, catalogue

CATALOGUE = read_catalogue_file("fixtures/actions-2027.yaml")
ACTIONS = {a["code"]: a for a in CATALOGUE["actions"]}


def test_the_2027_catalogue_is_valid_and_keeps_every_2026_action():
    assert validate_catalogue(CATALOGUE) == []
    old = read_catalogue_file("fixtures/actions-2026.yaml")
    assert {a["code"] for a in old["actions"]} <= set(ACTIONS)
    assert len(ACTIONS) >= 90


@pytest.mark.parametrize("code", sorted(ACTIONS))
def test_every_action_has_a_lead_a_measurable_target_running_cost_and_funding(code):
    entry = ACTIONS[code]
    for key in ("lead", "kpi"):
        assert entry[key]["zh-hans"] and entry[key]["en"], key
    assert any(ch.isdigit() for ch in entry["kpi"]["zh-hans"]), "a KPI target names a number"
    assert isinstance(entry["running_cost"], int)
    low, high = entry["cost_range"]
    # Operation and maintenance is typically 10-20 % of the build cost; one-off work (plans, training) runs at 0.
    assert entry["running_cost"] == 0 or 0.04 <= entry["running_cost"] / ((low + high) / 2) <= 0.21
    assert entry["funding"] and set(entry["funding"]) <= set(FundingSource.values)
    assert entry["stage"] in ("foundation", "standard", "advanced")


def test_policy_references_are_the_real_documents():
    assert "国办发〔2020〕53号" in ACTIONS["S-HOT-01"]["policy"]["zh-hans"]
    assert "信息化和工业化深度融合发展规划" in ACTIONS["E-MFG-04"]["policy"]["zh-hans"]
    assert "国办函〔2022〕102号" in ACTIONS["G-DATA-02"]["policy"]["zh-hans"]


def test_counties_use_provincial_platforms_and_only_prefectures_build_a_cloud():
    assert ACTIONS["I-CLOUD-01"]["suits"]["levels"] == ["prefecture"]
    assert "prefecture" not in ACTIONS["I-CLOUD-02"]["suits"]["levels"]
    assert "regions" not in ACTIONS["I-CLOUD-02"]["suits"]
    assert "省级一体化政务数据平台" in ACTIONS["G-DATA-02"]["title"]["zh-hans"]
    for code in ("G-OPS-01", "I-IOT-01", "I-SEC-02", "I-CIM-01", "I-LINK-03"):
        assert ["I-CLOUD-01", "I-CLOUD-02"] in ACTIONS[code]["prerequisites"], code


def test_east_data_west_computing_only_in_the_national_hub_provinces():
    suits = ACTIONS["I-EDWC-01"]["suits"]
    assert set(suits["provinces"]) == {"neimenggu", "guizhou", "gansu", "ningxia", "sichuan", "chongqing"}
    assert "regions" not in suits


def test_forest_fire_and_geohazard_monitoring_stays_off_the_plains_and_the_twin_needs_a_large_city():
    assert "plain" not in ACTIONS["G-ECO-03"]["suits"]["terrains"]
    assert ACTIONS["I-TWIN-01"]["suits"]["min_population"] >= 100
    assert ACTIONS["I-TWIN-01"]["stage"] == "advanced"


def test_stretch_actions_for_leading_cities_and_the_new_governance_actions():
    stretch = {code for code, a in ACTIONS.items() if a["stage"] == "advanced"}
    assert {"E-BRAIN-01", "E-IDN-01", "S-AI-01", "G-DATA-06"} <= stretch
    assert ACTIONS["G-FLOW-01"]["suits"] == {"cluster": True}
    assert ACTIONS["G-ECOGOV-01"]["suits"] == {"functional_zones": ["key_ecological"]}


def test_every_specialty_has_an_entry_action_for_cities_at_l1_to_l3():
    """A near-horizon, non-stretch specialty action triggered below L4: so that a city whose specialty is
    not yet at L4 always has one of its own actions to start with."""
    for specialty in ("agriculture", "manufacturing", "ecommerce", "culture_tourism", "digital_industry", "ecology"):
        entries = [
            a
            for a in ACTIONS.values()
            if specialty in a.get("suits", {}).get("specialties", [])
            and a["horizon"] == "near"
            and a["stage"] != "advanced"
            and any(t["below"] >= 4 for t in a["triggers"])
        ]
        assert entries, specialty


# --- the format ---------------------------------------------------------------------------------------------------


def with_changes(**changes):
    data = copy.deepcopy(SMALL)
    data["actions"][1].update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"prerequisites": [["S-ONE-01"]]}, "lists of two or more codes"),
        ({"prerequisites": [["S-ONE-01", "X-NONE-01"]]}, "prerequisites: expected codes"),
        ({"running_cost": -5}, "running_cost"),
        ({"running_cost": 2.5}, "running_cost"),
        ({"scales_with": "gdp"}, "scales_with"),
        ({"stage": "pilot"}, "stage"),
        ({"funding": ["lottery"]}, "funding"),
        ({"lead": {"en": "no Chinese"}}, "lead.zh-hans"),
        ({"suits": {"terrains": ["coastal"]}}, "suits.terrains"),
        ({"suits": {"min_population": "big"}}, "suits.min_population"),
        ({"suits": {"levels": ["district"]}}, "suits.levels"),
    ],
)
def test_a_bad_2027_key_is_named(changes, problem):
    problems = validate_catalogue(with_changes(**changes))
    assert any(problem in p for p in problems), problems


def test_a_standard_action_cannot_wait_for_a_stretch_action():
    data = catalogue(
        action("S-ONE-01", stage="advanced"),
        action("S-ONE-02", prerequisites=[["S-ONE-01", "G-DATA-01"]]),
        action("G-DATA-01", direction="governance", dimension="G1"),
    )
    assert any("cannot wait for a stretch action (S-ONE-01)" in p for p in validate_catalogue(data))


def test_a_circle_through_an_alternative_is_refused():
    data = catalogue(
        action("S-ONE-01", prerequisites=[["S-ONE-02", "G-DATA-01"]]),
        action("S-ONE-02", prerequisites=["S-ONE-01"]),
        action("G-DATA-01", direction="governance", dimension="G1"),
    )
    assert any("form a circle" in p for p in validate_catalogue(data))


@pytest.mark.django_db
def test_a_2026_file_still_imports_with_the_defaults():
    imported = import_catalogue(read_catalogue_file("fixtures/actions-2026.yaml"))
    one = imported.actions.get(code="S-ONE-01")
    assert (one.stage, one.running_cost, one.scales_with, one.funding, one.lead_zh, one.kpi_zh) == (
        "standard",
        0,
        "",
        [],
        "",
        "",
    )


@pytest.mark.django_db
def test_the_2027_file_imports_every_new_field():
    imported = import_catalogue(CATALOGUE)
    cloud = imported.actions.get(code="I-IOT-01")
    assert cloud.prerequisites == [["I-CLOUD-01", "I-CLOUD-02"]]
    twin = imported.actions.get(code="I-TWIN-01")
    assert (twin.stage, twin.suits_min_population, twin.scales_with) == ("advanced", 100, "population")
    hot = imported.actions.get(code="S-HOT-01")
    assert hot.lead_zh and hot.kpi_en and hot.running_cost > 0 and hot.funding == ["local_budget"]
    assert imported.actions.get(code="I-EDWC-01").suits_provinces == [
        "neimenggu",
        "guizhou",
        "gansu",
        "ningxia",
        "sichuan",
        "chongqing",
    ]
    assert Action.objects.filter(catalogue=imported).count() == len(ACTIONS)
    with pytest.raises(CatalogueFileError, match="already exists"):
        import_catalogue(CATALOGUE)
    assert ActionCatalogue.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_edits_the_2027_fields_and_filters_by_stage_and_terrain(client):
    from django.urls import reverse

    from tests.factories import make_user

    imported = import_catalogue(CATALOGUE)
    client.force_login(make_user(staff=True))
    changelist = reverse("admin:plans_action_changelist")
    body = client.get(changelist, {"terrain": "mountainous"}).content.decode()
    assert "G-ECO-03" in body and "S-ONE-01" not in body
    body = client.get(changelist, {"stage__exact": "advanced"}).content.decode()
    assert "E-BRAIN-01" in body and "S-ONE-01" not in body
    action = imported.actions.get(code="S-HOT-01")
    page = client.get(reverse("admin:plans_action_change", args=[action.pk])).content.decode()
    for field in (
        "lead_zh",
        "kpi_en",
        "running_cost",
        "scales_with",
        "funding",
        "suits_terrains",
        "suits_min_population",
    ):
        assert f'name="{field}"' in page, field


@pytest.mark.django_db
def test_a_city_sets_its_capacity_in_the_admin_or_gets_the_default(client):
    from django.urls import reverse

    from cities.models import City
    from tests.factories import make_city, make_user

    county = make_city(name="务川仡佬族苗族自治县", level="autonomous_county", province="guizhou")
    county.population = 30.8
    county.save()
    assert county.projects_per_year == 3  # engine 3: step by step, year one the fewest
    county.population = 138.4
    assert county.projects_per_year == 4  # one more from a million residents
    prefecture = City(level="prefecture", population=252.4)
    assert prefecture.projects_per_year == 6
    county.project_capacity = 2
    assert county.projects_per_year == 2
    client.force_login(make_user(staff=True))
    page = client.get(reverse("admin:cities_city_change", args=[county.pk])).content.decode()
    assert 'name="project_capacity"' in page and 'name="terrain"' in page and 'name="townships"' in page


def test_townships_are_estimated_from_the_population_when_not_recorded():
    from cities.models import City

    assert City(population=73).township_count == 20.0
    assert City(population=30.8, townships=16).township_count == 16
    assert City().township_count is None
