"""The portfolio: who sees which cities, what the page shows, and its queries at 50 and 500 cities."""

import pytest
from django.urls import reverse

from assessment.lifecycle import submit_assessment
from assessment.models import Assessment, AssessmentStatus
from cities.models import City
from portfolio import rules
from portfolio.rows import portfolio_rows
from tests.assessment.answering_helpers import make_team, post_answer, save_url
from tests.factories import make_city, make_user

pytestmark = pytest.mark.django_db


def scores(overall, levels=(3, 3, 3, 3)):
    directions = {
        name: {"score": overall + i, "level": level, "weakest_level": level, "dropped": None}
        for i, (name, level) in enumerate(zip(rules.DIRECTIONS, levels, strict=True))
    }
    return {
        "overall": {"score": overall, "level": max(1, min(5, int(overall // 20) + 1)), "weakest_level": min(levels)},
        "directions": directions,
        "dimensions": {},
        "completeness": {"questions": 10, "answered": 8, "not_applicable": 1, "with_evidence": 2},
        "engine": "test",
        "question_scores": {},
    }


def submitted(city, version, year, overall, levels=(3, 3, 3, 3)):
    return Assessment.objects.create(
        city=city,
        version=version,
        year=year,
        status=AssessmentStatus.SUBMITTED,
        stored_scores=scores(overall, levels),
    )


@pytest.fixture
def world():
    team = make_team()  # 昆山市 (Jiangsu) with a draft 2026; 定西市 (Gansu)
    kunshan = team.assessment.city
    dingxi = City.objects.get(name_zh="定西市")
    version = team.assessment.version
    submitted(kunshan, version, 2024, 40.0)
    submitted(kunshan, version, 2025, 52.5, levels=(3, 4, 2, 3))
    submitted(dingxi, version, 2025, 30.0, levels=(2, 2, 1, 2))
    suzhou_county = make_city(name="太仓市", province="jiangsu", level="county_city")
    submitted(suzhou_county, version, 2025, 61.0, levels=(4, 4, 3, 4))
    team.jiangsu_analyst = make_user(username="jiangsu-analyst", analyst_province="jiangsu")
    team.gansu_analyst = make_user(username="gansu-analyst", analyst_province="gansu")
    return team


def names(response) -> list[str]:
    """The Chinese names of the cities on the page, in its order."""
    chinese = dict(City.objects.values_list("pk", "name_zh"))
    return [chinese[row.city_id] for row, _ in response.context["table"]]


# Who sees what -----------------------------------------------------------------------------


def test_each_role_sees_only_its_cities_in_the_portfolio(client, world):
    expected = {
        "consultant": ["昆山市"],
        "other_consultant": ["定西市"],
        "jiangsu_analyst": ["太仓市", "昆山市"],
        "gansu_analyst": ["定西市"],
        "admin": ["太仓市", "定西市", "昆山市"],
    }
    for role, cities in expected.items():
        client.force_login(getattr(world, role))
        response = client.get(reverse("portfolio"))
        assert response.status_code == 200, role
        assert sorted(names(response)) == sorted(cities), role
    for role in ("coordinator", "services", "other_official", "stranger"):
        client.force_login(getattr(world, role))
        assert client.get(reverse("portfolio")).status_code == 404, role
    client.logout()
    assert client.get(reverse("portfolio")).status_code == 302


def test_an_analyst_reads_the_assessments_of_the_province_and_changes_nothing(client, world):
    a = world.assessment
    client.force_login(world.jiangsu_analyst)
    for url in (reverse("assessment_overview", args=[a.pk]), reverse("city_detail", args=[a.city_id])):
        assert client.get(url).status_code == 200
    response = client.post(save_url(a, "S1.1"), {"revision": 0, "level": "4"}, headers={"Accept": "application/json"})
    assert response.status_code == 404
    client.force_login(world.gansu_analyst)
    assert client.get(reverse("assessment_overview", args=[a.pk])).status_code == 404


# What the page shows ---------------------------------------------------------------------


def test_the_row_holds_the_latest_submitted_scores_and_the_trend(world):
    rows = {row.city_id: row for row in portfolio_rows(world.admin)}
    rows = {City.objects.get(pk=pk).name_zh: row for pk, row in rows.items()}
    kunshan = rows["昆山市"]
    assert (kunshan.year, kunshan.overall.score, kunshan.weakest_level) == (2025, 52.5, 2)
    assert kunshan.cell("governance").level == 4 and kunshan.trend == "up"
    assert kunshan.completeness == pytest.approx(0.9)
    assert rows["太仓市"].trend is None
    assert kunshan.across_versions is False
    earlier = {City.objects.get(pk=r.city_id).name_zh: r for r in portfolio_rows(world.admin, year=2024)}
    assert earlier["昆山市"].overall.score == 40.0 and not earlier["太仓市"].assessed


def test_filters_sorting_distribution_and_average_on_the_page(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("portfolio"), {"sort": "overall", "order": "desc"})
    assert names(response) == ["太仓市", "昆山市", "定西市"]
    assert response.context["average"]["overall"] == pytest.approx((61.0 + 52.5 + 30.0) / 3)
    distribution = dict(response.context["distribution"])
    assert distribution["Governance"][4] == 2 and distribution["Governance"][2] == 1
    east = client.get(reverse("portfolio"), {"region": "east"})
    assert sorted(names(east)) == ["太仓市", "昆山市"]
    tier = client.get(reverse("portfolio"), {"tier": "prefecture"})
    assert names(tier) == ["定西市"]
    year = client.get(reverse("portfolio"), {"year": "2024"})
    assert names(year) == ["昆山市"]
    bad = client.get(reverse("portfolio"), {"level": "banana", "sort": "nonsense"})
    assert bad.status_code == 200 and len(names(bad)) == 3  # a bad value is left out, never an error
    body = response.content.decode()
    assert "L4 <small>61</small>" in body or "L4</span> <small>61</small>" in body  # level in text, not colour only


def test_a_submitted_assessment_appears_as_it_was_submitted(client, world):
    client.force_login(world.coordinator)
    post_answer(client, world.assessment, "S1.1", {"level": "5"})
    a = world.assessment
    a.year = 2026
    submit_assessment(a, user=world.coordinator)
    rows = {City.objects.get(pk=r.city_id).name_zh: r for r in portfolio_rows(world.consultant)}
    assert rows["昆山市"].year == 2026 and rows["昆山市"].cell("services").level is not None


# Rules -------------------------------------------------------------------------------------------


def row(name, overall=None, cluster="", level=None, **extra):
    return rules.CityRow(
        city_id=hash(name) % 1000,
        name=name,
        province="jiangsu",
        region="east",
        tier="county",
        cluster=cluster,
        specialties=(),
        assessment_id=1 if overall is not None else None,
        overall=rules.Cell(overall, level),
        **extra,
    )


def test_rows_without_a_value_sort_last_either_way():
    rows = [row("乙", 30.0), row("甲"), row("丙", 50.0)]
    assert [r.name for r in rules.sort_rows(rows, "overall")] == ["乙", "丙", "甲"]
    assert [r.name for r in rules.sort_rows(rows, "overall", descending=True)] == ["丙", "乙", "甲"]


def test_trend_needs_a_point_of_change():
    assert row("a", 50.0, previous_overall=49.5).trend == "steady"
    assert row("a", 50.0, previous_overall=48.9).trend == "up"
    assert row("a", 50.0, previous_overall=51.0).trend == "down"
    assert row("a", 50.0).trend is None


def test_the_cluster_filter_can_ask_for_cities_outside_every_cluster():
    rows = [row("in", 50.0, cluster="yangtze_river_delta"), row("out", 40.0)]
    assert [r.name for r in rules.select(rows, rules.Filters(cluster=rules.NO_CLUSTER))] == ["out"]
    assert [r.name for r in rules.select(rows, rules.Filters(cluster="yangtze_river_delta"))] == ["in"]


def test_average_and_distribution_ignore_cities_without_scores():
    rows = [row("a", 40.0, level=3), row("b", 60.0, level=4), row("c")]
    assert rules.group_average(rows)["overall"] == 50.0
    assert rules.distribution(rows)["overall"] == {1: 0, 2: 0, 3: 1, 4: 1, 5: 0, None: 1}
    assert rules.group_average([])["overall"] is None


# Queries --------------------------------------------------------------------------------------


def province_of(count, version, start=0):
    """`count` county-level cities of Henan, each with two submitted assessments."""
    cities = City.objects.bulk_create(
        City(name_zh=f"豫县{i}", province="henan", region="central", level="county")
        for i in range(start, start + count)
    )
    Assessment.objects.bulk_create(
        Assessment(city=city, version=version, year=year, status=AssessmentStatus.SUBMITTED, stored_scores=scores(40.0))
        for city in cities
        for year in (2025, 2026)
    )


def count_page_queries(client, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portfolio"), {"sort": "overall"})
    assert response.status_code == 200 and len(response.context["table"]) == count
    return len(queries)


def test_the_page_takes_the_same_queries_for_50_and_500_cities(client, world):
    analyst = make_user(username="henan-analyst", analyst_province="henan")
    client.force_login(analyst)
    province_of(50, world.assessment.version)
    fifty = count_page_queries(client, 50)
    province_of(450, world.assessment.version, start=50)
    five_hundred = count_page_queries(client, 500)
    assert fifty == five_hundred <= 10, (fifty, five_hundred)


def test_the_group_is_set_beside_the_national_values(client, world):
    from assessment.models import Answer, Question

    s12 = Question.objects.get(dimension__version=world.assessment.version, code="S1.2")
    for name, number in (("昆山市", 70.0), ("太仓市", 50.0)):
        latest = Assessment.objects.filter(city__name_zh=name, status=AssessmentStatus.SUBMITTED).latest("year")
        Answer.objects.create(assessment=latest, question=s12, number=number)
    client.force_login(world.jiangsu_analyst)
    response = client.get(reverse("portfolio"))
    item = next(i for i in response.context["national"] if i.indicator.question == "S1.2")
    assert (item.mean, item.cities, item.indicator.value) == (60.0, 2, 66.4)
    assert "66.4" in response.content.decode()


def test_the_page_title_is_plain_text(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("portfolio")).content.decode()
    title = body[body.index("<title>") : body.index("</title>")]
    assert "Portfolio" in title and "<table" not in title and "&lt;" not in title


def test_a_trend_across_bank_versions_is_marked(client, world):
    from tests.factories import make_version

    newer = make_version(publish=True, code="test-bank-2")
    kunshan = City.objects.get(name_zh="昆山市")
    submitted(kunshan, newer, 2027, 58.0)
    rows = {r.city_id: r for r in portfolio_rows(world.admin)}
    assert rows[kunshan.pk].trend == "up" and rows[kunshan.pk].across_versions
    client.force_login(world.admin)
    assert "<sup" in client.get(reverse("portfolio")).content.decode()


def test_generated_demo_profiles_are_marked_in_the_table(client, world):
    City.objects.filter(name_zh="昆山市").update(is_demo=True)
    client.force_login(world.jiangsu_analyst)
    page = client.get(reverse("portfolio")).content.decode()
    assert page.count("†") == 2  # the mark beside the city and its explanation under the table
    City.objects.update(is_demo=False)
    assert "†" not in client.get(reverse("portfolio")).content.decode()
