"""The profile fields plans and reports read: cluster role, computing cluster, port, own data centre,
villages, enterprises, 12345 seats, specialty products, the running cost of existing systems and
whether the budget is a demo assumption; in the cities file, the admin, the city page and the demo."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from cities.city_file import CityFileError, load_city_file, upsert_cities, validate_cities
from cities.computing import HUB_OF_CLUSTER, ComputingCluster, ComputingHub, hub_of
from cities.models import ESTIMABLE_FIELDS, City
from tests.factories import make_city, make_user

pytestmark = pytest.mark.django_db

PROFILE_KEYS = {
    "cluster_role",
    "computing_cluster",
    "is_port",
    "own_data_centre",
    "villages",
    "enterprises_above_size",
    "hotline_seats",
    "specialty_products",
    "existing_running_cost",
}


def entry(**changes):
    return {"name": {"zh-hans": "曹县", "en": "Caoxian"}, "province": "shandong", "level": "county", **changes}


FULL = {
    "cluster": "central_plains",
    "cluster_role": "node",
    "computing_cluster": None,
    "is_port": False,
    "own_data_centre": None,
    "townships": 27,
    "villages": 800,
    "enterprises_above_size": 320,
    "hotline_seats": 0,
    "specialty_products": [{"zh-hans": "汉服", "en": "Hanfu"}, {"zh-hans": "芦笋"}],
    "digital_budget": 5800,
    "existing_running_cost": None,
    "estimated": ["villages", "enterprises_above_size"],
}


# ---------------------------------------------------------------- the cities file


def test_every_profile_field_is_read_from_the_file_and_a_second_load_changes_nothing():
    assert upsert_cities([entry(**FULL)]) == (1, 0)
    city = City.objects.get()
    assert (city.cluster_role, city.computing_cluster, city.is_port, city.own_data_centre) == ("node", "", False, None)
    assert (city.villages, city.enterprises_above_size, city.hotline_seats) == (800, 320, 0)
    assert city.specialty_products == [{"zh-hans": "汉服", "en": "Hanfu"}, {"zh-hans": "芦笋", "en": ""}]
    assert city.estimated_fields == ["villages", "enterprises_above_size"]
    assert (city.existing_running_cost, city.budget_confirmed) == (None, False)
    assert upsert_cities([entry(**FULL)]) == (0, 0)


def test_a_field_left_out_of_the_file_becomes_unknown_again():
    upsert_cities([entry(**{**FULL, "budget_confirmed": True, "existing_running_cost": 4000})])
    upsert_cities([entry()])
    city = City.objects.get()
    assert (city.cluster_role, city.is_port, city.villages, city.hotline_seats) == ("", None, None, None)
    assert (city.specialty_products, city.estimated_fields, city.budget_confirmed) == ([], [], False)
    assert city.existing_running_cost is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"cluster_role": "node"}, "[0].cluster_role: only a city in a cluster has a role in it"),
        ({"cluster": "central_plains", "cluster_role": "capital"}, "[0].cluster_role: unknown value 'capital'"),
        ({"computing_cluster": "dingxi"}, "[0].computing_cluster: unknown value 'dingxi'"),
        ({"is_port": "yes"}, "[0].is_port: expected true, false or null (unknown)"),
        ({"own_data_centre": 1}, "[0].own_data_centre: expected true, false or null (unknown)"),
        ({"budget_confirmed": "no"}, "[0].budget_confirmed: expected true or false"),
        ({"villages": -1}, "[0].villages: expected a whole number from 0 to 100,000, or null"),
        ({"villages": 12.5}, "[0].villages: expected a whole number from 0 to 100,000, or null"),
        ({"enterprises_above_size": 10**9}, "[0].enterprises_above_size: expected a whole number from 0 to 1,000,000"),
        ({"hotline_seats": True}, "[0].hotline_seats: expected a whole number from 0 to 10,000, or null"),
        ({"hotline_seats": 40_000}, "[0].hotline_seats: expected a whole number from 0 to 10,000, or null"),
        ({"existing_running_cost": "most"}, "[0].existing_running_cost: expected a number from 0 to 99,999,999"),
        ({"existing_running_cost": -5}, "[0].existing_running_cost: expected a number from 0 to 99,999,999"),
        ({"specialty_products": "汉服"}, "[0].specialty_products: expected a list of products"),
        ({"specialty_products": ["汉服"]}, "[0].specialty_products[0]: expected a mapping with zh-hans and en"),
        ({"specialty_products": [{"en": "Hanfu"}]}, "[0].specialty_products[0].zh-hans: is required"),
        ({"specialty_products": [{"zh-hans": "汉服", "fr": "x"}]}, "[0].specialty_products[0].fr: unknown key"),
        ({"specialty_products": [{"zh-hans": "汉" * 31}]}, "[0].specialty_products[0].zh-hans: at most 30 characters"),
        ({"specialty_products": [{"zh-hans": "汉服", "en": 3}]}, "[0].specialty_products[0].en: expected text"),
        (
            {"specialty_products": [{"zh-hans": "汉服"}, {"zh-hans": "汉服"}]},
            "[0].specialty_products[1].zh-hans: 汉服 is named twice",
        ),
        ({"specialty_products": [{"zh-hans": f"品{i}"} for i in range(9)]}, "[0].specialty_products: at most 8"),
        ({"estimated": "villages"}, "[0].estimated: expected a list of field names"),
        ({"estimated": ["name"]}, "[0].estimated: 'name' cannot be an estimate"),
        ({"estimated": ["villages"]}, "[0].estimated: villages has no value to be an estimate"),
    ],
)
def test_a_bad_profile_value_is_named_with_its_path_and_nothing_is_written(changes, problem):
    problems = validate_cities([entry(**changes)])
    assert any(p.startswith(problem) for p in problems), problems
    with pytest.raises(CityFileError):
        upsert_cities([entry(**changes)])
    assert not City.objects.exists()


def test_the_example_of_the_format_documentation_is_a_valid_file():
    text = Path("docs/formats.md").read_text(encoding="utf-8")
    example = text.split("Optional since issue 25", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    entries = yaml.safe_load(example)
    assert validate_cities(entries) == []
    assert set(entries[0]) >= PROFILE_KEYS


WRONG_VALUES = [None, True, -1, 1.5, 10**14, "x", "", [], [None], {}, {"zh-hans": None}, [{"zh-hans": ["汉服"]}]]


@pytest.mark.parametrize("key", sorted({*entry(**FULL), "gdp", "gdp_year", "population", "note", "parent", "demo"}))
def test_a_wrong_value_in_any_place_is_loaded_or_refused_in_one_line(key):
    for value in WRONG_VALUES:
        try:
            upsert_cities([{**entry(**FULL), key: value}])
        except CityFileError as refused:
            assert refused.problems and all("\n" not in p for p in refused.problems)


def test_a_bad_second_city_leaves_the_first_unwritten():
    good = {**entry(**FULL), "name": {"zh-hans": "单县"}}
    with pytest.raises(CityFileError) as raised:
        upsert_cities([good, entry(hotline_seats=-1)])
    assert raised.value.problems == ["[1].hotline_seats: expected a whole number from 0 to 10,000, or null"]
    assert not City.objects.exists()


# ---------------------------------------------------------------- the model and its defaults


@pytest.mark.parametrize(("level", "baseline"), [("prefecture", 500), ("county_city", 600), ("county", 700)])
def test_the_running_cost_of_existing_systems_defaults_to_a_share_of_the_budget_by_level(level, baseline):
    city = make_city(level=level, digital_budget=1000)
    assert (city.baseline_running_cost, city.baseline_is_default, city.headroom) == (baseline, True, 1000 - baseline)


def test_a_recorded_running_cost_replaces_the_default_and_no_budget_means_no_baseline():
    city = make_city(level="county", digital_budget=1000, existing_running_cost=850)
    assert (city.baseline_running_cost, city.baseline_is_default, city.headroom) == (850, False, 150)
    assert make_city(level="county").baseline_running_cost is None
    assert make_city(level="county").headroom is None


def test_an_unconfirmed_budget_and_the_baseline_drawn_from_it_are_demo_assumptions():
    assumed = make_city(digital_budget=1000)
    assert assumed.budget_is_assumption and assumed.baseline_is_assumption
    confirmed = make_city(digital_budget=1000, budget_confirmed=True)
    assert not confirmed.budget_is_assumption and not confirmed.baseline_is_assumption
    recorded = make_city(digital_budget=1000, existing_running_cost=700)
    assert recorded.budget_is_assumption and not recorded.baseline_is_assumption
    recorded.estimated_fields = ["existing_running_cost"]
    assert recorded.baseline_is_assumption
    assert not make_city().budget_is_assumption  # no budget, nothing assumed


def test_villages_are_estimated_from_the_townships_only_where_none_are_recorded():
    assert make_city(townships=10).village_count == 127.0
    assert make_city(townships=10, villages=0).village_count == 0
    assert make_city().village_count is None


def test_a_cluster_role_needs_a_cluster_in_the_model_and_in_the_database():
    city = make_city()
    city.cluster_role = "integrating"
    with pytest.raises(ValidationError) as raised:
        city.full_clean()
    assert "cluster_role" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        city.save()
    city.cluster = "yangtze_river_delta"
    city.full_clean()
    city.save()


def test_only_known_fields_can_be_marked_estimated_and_products_are_checked():
    city = make_city(estimated_fields=["name_zh"], specialty_products=[{"zh-hans": ""}])
    with pytest.raises(ValidationError) as raised:
        city.full_clean()
    assert set(raised.value.message_dict) == {"estimated_fields", "specialty_products"}


def test_the_ten_data_centre_clusters_belong_to_the_eight_hubs():
    assert set(HUB_OF_CLUSTER) == set(ComputingCluster)
    assert set(HUB_OF_CLUSTER.values()) == set(ComputingHub)
    assert hub_of("qingyang") == ComputingHub.GANSU
    assert hub_of("") is None
    assert make_city(computing_cluster="wuhu").computing_hub == ComputingHub.YANGTZE_RIVER_DELTA


# ---------------------------------------------------------------- the admin


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(staff=True))
    return client


def admin_form(**changes):
    data = {
        "name_zh": "曹县",
        "name_en": "Caoxian",
        "province": "shandong",
        "level": "county",
        "cluster": "central_plains",
        "cluster_role": "node",
        "computing_cluster": "",
        "is_port": "false",
        "own_data_centre": "unknown",
        "villages": "800",
        "hotline_seats": "12",
        "digital_budget": "5800",
        "specialty_products": "汉服 | Hanfu\n\n芦笋 | Asparagus\n",
        "estimated_fields": ["villages"],
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "consultant_assignments-TOTAL_FORMS": "0",
        "consultant_assignments-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_admin_edits_every_profile_field(admin_client):
    response = admin_client.post(reverse("admin:cities_city_add"), admin_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    city = City.objects.get()
    assert city.specialty_products == [{"zh-hans": "汉服", "en": "Hanfu"}, {"zh-hans": "芦笋", "en": "Asparagus"}]
    assert (city.cluster_role, city.is_port, city.own_data_centre, city.villages) == ("node", False, None, 800)
    assert (city.estimated_fields, city.budget_confirmed) == (["villages"], False)

    page = admin_client.get(reverse("admin:cities_city_change", args=[city.pk])).content.decode()
    assert "汉服 | Hanfu\n芦笋 | Asparagus" in page
    for field in ("cluster_role", "computing_cluster", "is_port", "own_data_centre", "enterprises_above_size"):
        assert f'name="{field}"' in page
    assert 'name="existing_running_cost"' in page and 'name="budget_confirmed"' in page
    assert "CNY 40.6 million a year: the default, 70 % of the digital budget" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cluster": ""}, "cluster_role", "Only a city in a cluster has a role in it"),
        ({"specialty_products": "汉服 | Hanfu | extra"}, "specialty_products", "One product a line"),
        ({"villages": ""}, "estimated_fields", "no value to be an estimate"),
        ({"hotline_seats": "20000"}, "hotline_seats", "10000"),
    ],
)
def test_the_admin_refuses_an_inconsistent_profile(admin_client, changes, field, message):
    response = admin_client.post(reverse("admin:cities_city_add"), admin_form(**changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors
    assert not City.objects.exists()


def test_the_admin_list_filters_by_the_new_categories(admin_client):
    make_city(cluster="yangtze_river_delta", cluster_role="integrating", is_port=True)
    url = reverse("admin:cities_city_changelist")
    assert admin_client.get(url, {"cluster_role__exact": "integrating", "is_port__exact": "1"}).status_code == 200


# ---------------------------------------------------------------- the city page


def city_page(client, city, language):
    client.force_login(make_user(staff=True))
    client.cookies["django_language"] = language
    return client.get(reverse("city_detail", args=[city.pk])).content.decode()


def test_the_city_page_shows_the_profile_in_both_languages(client):
    city = make_city(
        level="county",
        cluster="central_plains",
        cluster_role="node",
        is_port=True,
        computing_cluster="qingyang",
        villages=800,
        hotline_seats=12,
        digital_budget=1000,
        specialty_products=[{"zh-hans": "汉服", "en": "Hanfu"}],
        estimated_fields=["villages"],
    )
    english = city_page(client, city, "en")
    for text in (
        "Hanfu",
        "Node city",
        "Qingyang cluster · Gansu hub",
        "estimated",
        "demo assumption",
        "CNY 7.0 million",
    ):
        assert text in english, text
    assert "default: 70 % of the budget" in english and "CNY 3.0 million" in english  # the headroom
    chinese = city_page(client, city, "zh-hans")
    for text in ("汉服", "节点城市", "庆阳集群", "估计值", "演示假设", "不详"):
        assert text in chinese, text


def test_a_confirmed_budget_is_not_labelled_an_assumption_and_unknowns_say_so(client):
    city = make_city(digital_budget=1000, budget_confirmed=True, existing_running_cost=900)
    page = city_page(client, city, "en")
    assert "demo assumption" not in page and "as recorded" in page
    assert page.count(">unknown<") + page.count("unknown</dd>") >= 3  # port, data centre, enterprises, seats


# ---------------------------------------------------------------- the demo cities


def demo_entries():
    return load_city_file("fixtures/cities.yaml")


def by_name():
    return {e["name"]["zh-hans"]: e for e in demo_entries()}


def test_every_real_demo_city_has_every_profile_field_or_marks_it_unknown():
    entries = [e for e in demo_entries() if not e.get("demo")]
    assert len(entries) == 53
    for e in entries:
        assert set(e) >= PROFILE_KEYS, e["name"]
        assert e["specialty_products"] and all(p.get("en") for p in e["specialty_products"]), e["name"]
        assert set(e.get("estimated") or []) <= set(ESTIMABLE_FIELDS)
        assert (e["cluster_role"] is None) == (e["cluster"] is None), e["name"]
        assert not e.get("budget_confirmed"), "every budget of the demo is an assumption"


def test_every_generated_city_has_generated_values_and_is_marked_demo():
    generated = [e for e in demo_entries() if e.get("demo")]
    assert len(generated) == 35
    for e in generated:
        numbers = [e["townships"], e["villages"], e["enterprises_above_size"], e["hotline_seats"]]
        assert all(isinstance(n, int) and n > 0 for n in numbers), e["name"]
        assert e["villages"] >= 10 * e["townships"] and e["specialty_products"]


def test_the_design_cities_carry_their_own_facts():
    cities = by_name()
    assert cities["平湖市"]["cluster_role"] == "integrating"
    assert cities["昆山市"]["cluster_role"] != "integrating"
    assert cities["张家港市"]["is_port"] is True
    assert cities["定西市"]["computing_cluster"] is None
    assert all(e["computing_cluster"] is None for e in cities.values())  # none lies in one of the ten
    products = {name: {p["zh-hans"] for p in cities[name]["specialty_products"]} for name in cities}
    assert {"汉服"} <= products["曹县"] and {"马铃薯"} <= products["定西市"]
    assert {"仡佬族文化旅游"} <= products["务川仡佬族苗族自治县"] and {"柑橘", "茶叶"} <= products["石门县"]


def test_the_seeded_demo_cities_have_the_profile_in_the_database():
    upsert_cities(demo_entries())
    caoxian = City.objects.get(name_zh="曹县")
    with translation.override("zh-hans"):
        assert caoxian.product_names[0] == "汉服"
    with translation.override("en"):
        assert caoxian.product_names[0] == "Hanfu"
    assert caoxian.townships == 27
    assert caoxian.baseline_running_cost == 4060 and caoxian.budget_is_assumption
    assert City.objects.filter(is_demo=True, villages__isnull=True).count() == 0
