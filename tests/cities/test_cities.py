"""City profiles: region from the province, peers, who may see which city."""

import pytest
from django.urls import reverse

from cities.city_file import CityFileError, upsert_cities
from cities.geography import REGION_OF_PROVINCE, Province, Region
from cities.models import City, MembershipRole
from tests.factories import assign_consultant, make_city, make_official, make_user

pytestmark = pytest.mark.django_db


def test_every_province_has_a_region_and_the_four_regions_match_nbs():
    assert set(REGION_OF_PROVINCE) == set(Province.values)
    counts = {region: list(REGION_OF_PROVINCE.values()).count(region) for region in Region}
    assert counts == {Region.EAST: 10, Region.CENTRAL: 6, Region.WEST: 12, Region.NORTHEAST: 3}


def test_region_is_derived_from_the_province_on_every_save():
    city = make_city(province="gansu")
    assert city.region == Region.WEST
    city.province = "liaoning"
    city.save(update_fields=["province"])
    city.refresh_from_db()
    assert city.region == Region.NORTHEAST


def test_peers_share_region_and_level():
    city = make_city(province="jiangsu", level="county_city")
    peer = make_city(province="zhejiang", level="county_city")
    make_city(province="zhejiang", level="county")
    make_city(province="anhui", level="county_city")
    assert list(City.objects.peers_of(city)) == [peer]


def test_city_file_is_rejected_whole_with_every_problem():
    entries = [
        {"name": {"zh-hans": "甲市"}, "province": "atlantis", "level": "county_city", "specialties": ["mining"]},
        {"name": {"zh-hans": "乙县"}, "province": "henan", "level": "village", "population": -3},
    ]
    with pytest.raises(CityFileError) as raised:
        upsert_cities(entries)
    assert raised.value.problems == [
        "[0].province: unknown value 'atlantis'",
        "[0].specialties: unknown specialty 'mining'",
        "[1].level: unknown value 'village'",
        "[1].population: expected a number of 0 or more, or null",
    ]
    assert not City.objects.exists()


@pytest.fixture
def two_cities():
    return make_city(name="甲市"), make_city(name="乙市")


def test_officials_see_their_own_city_only(client, two_cities):
    mine, other = two_cities
    client.force_login(make_official(mine, role=MembershipRole.COORDINATOR))
    assert client.get(reverse("city_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("city_detail", args=[other.pk])).status_code == 404


def test_consultants_see_assigned_cities_only(client, two_cities):
    mine, other = two_cities
    consultant = make_user(consultant=True)
    assign_consultant(consultant, mine)
    client.force_login(consultant)
    assert client.get(reverse("city_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("city_detail", args=[other.pk])).status_code == 404


def test_administrators_see_every_city(client, two_cities):
    client.force_login(make_user(staff=True))
    for city in two_cities:
        assert client.get(reverse("city_detail", args=[city.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, two_cities):
    response = client.get(reverse("city_detail", args=[two_cities[0].pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_city_that_does_not_exist_is_404(client):
    client.force_login(make_user(staff=True))
    assert client.get(reverse("city_detail", args=[999999])).status_code == 404


def test_city_admin_lists_filters_and_searches(client, two_cities):
    client.force_login(make_user(staff=True))
    url = reverse("admin:cities_city_changelist")
    assert client.get(url, {"region__exact": "east", "q": "甲"}).status_code == 200


def test_the_specialty_rows_match_the_specialty_codes():
    from cities.models import Specialty, SpecialtyIndustry

    assert set(SpecialtyIndustry.objects.values_list("code", flat=True)) == set(Specialty.values)
