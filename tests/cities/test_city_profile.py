"""The profile fields that shape a plan: terrain, townships and project capacity in the cities file."""

import pytest

from cities.city_file import CityFileError, load_city_file, upsert_cities, validate_cities
from cities.models import City

pytestmark = pytest.mark.django_db


def entry(**changes):
    return {"name": {"zh-hans": "务川仡佬族苗族自治县"}, "province": "guizhou", "level": "autonomous_county", **changes}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"terrain": "coastal"}, "[0].terrain: unknown value 'coastal'"),
        ({"townships": 0}, "[0].townships: expected a whole number"),
        ({"townships": 12.5}, "[0].townships: expected a whole number"),
        ({"project_capacity": "many"}, "[0].project_capacity: expected a whole number"),
    ],
)
def test_a_bad_profile_value_is_named(changes, problem):
    assert problem in " ".join(validate_cities([entry(**changes)]))
    with pytest.raises(CityFileError):
        upsert_cities([entry(**changes)])
    assert not City.objects.exists()


def test_the_profile_fields_are_loaded_and_optional():
    upsert_cities([entry(terrain="mountainous", townships=16, project_capacity=4)])
    city = City.objects.get()
    assert (city.terrain, city.townships, city.project_capacity, city.projects_per_year) == ("mountainous", 16, 4, 4)
    upsert_cities([entry()])
    city.refresh_from_db()
    assert (city.terrain, city.townships, city.project_capacity) == ("", None, None)


def test_every_demo_city_has_a_terrain():
    entries = load_city_file("fixtures/cities.yaml")
    assert validate_cities(entries) == []
    assert all(e.get("terrain") for e in entries)
    wuchuan = next(e for e in entries if e["name"]["zh-hans"] == "务川仡佬族苗族自治县")
    assert wuchuan["functional_zone"] is None and wuchuan["terrain"] == "mountainous"
