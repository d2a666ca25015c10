"""The demo province: every county-level unit of Jiangsu, generated profiles marked as demo, each with
a submitted assessment, so the provincial analyst's portfolio has a whole province to look at."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessment.demo import DEMO_PROVINCE
from assessment.models import Assessment, AssessmentStatus
from cities.city_file import load_city_file, validate_cities
from cities.models import City

pytestmark = pytest.mark.django_db

# Jiangsu's county-level units (2023): 21 county-level cities and 19 counties; no autonomous county.
JIANGSU_COUNTY_CITIES = 21
JIANGSU_COUNTIES = 19


def test_the_file_holds_every_county_level_unit_of_the_province_once():
    entries = [e for e in load_city_file("fixtures/cities.yaml") if e["province"] == DEMO_PROVINCE]
    levels = Counter(e["level"] for e in entries if e["level"] != "prefecture")
    assert levels == {"county_city": JIANGSU_COUNTY_CITIES, "county": JIANGSU_COUNTIES}
    generated = [e for e in entries if e.get("demo")]
    assert len(generated) == len(entries) - 5  # the five with sourced figures are not marked
    assert all(e["parent"]["zh-hans"].endswith("市") and e["population"] and e["gdp"] for e in generated)


def test_demo_must_be_true_or_false():
    entry = {"name": {"zh-hans": "某县"}, "province": "jiangsu", "level": "county", "demo": "yes"}
    assert validate_cities([entry]) == ["[0].demo: expected true or false"]


def test_every_city_of_the_province_is_assessed_and_the_analyst_sees_them_all(client):
    call_command("seed_demo", stdout=StringIO())
    cities = City.objects.filter(province=DEMO_PROVINCE)
    assert cities.count() == JIANGSU_COUNTY_CITIES + JIANGSU_COUNTIES
    assert cities.filter(is_demo=True).count() == 35
    submitted = Assessment.objects.filter(city__in=cities, status=AssessmentStatus.SUBMITTED)
    assert submitted.values("city").distinct().count() == cities.count()
    levels = Counter(a.stored_scores["overall"]["level"] for a in submitted.filter(year=2026))
    assert len(levels) >= 3  # a province of one level would show nothing

    client.force_login(get_user_model().objects.get(username="jiangsu-analyst"))
    page = client.get(reverse("portfolio"))
    assert {row.city_id for row, _cells in page.context["table"]} == {city.pk for city in cities}
    page = page.content.decode()
    assert "定西" not in page
    shuyang, kunshan = City.objects.get(name_zh="沭阳县"), City.objects.get(name_zh="昆山市")
    client.cookies["django_language"] = "en"
    assert "Demo profile" in client.get(reverse("city_detail", args=[shuyang.pk])).content.decode()
    assert "Demo profile" not in client.get(reverse("city_detail", args=[kunshan.pk])).content.decode()
