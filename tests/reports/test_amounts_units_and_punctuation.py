"""Amounts, units and punctuation as a reader reads them (issue 15, defects 5 and 6): every amount with
its unit in the reader's language, answer units translated on report pages and the portfolio, and
Chinese text joined with full-width "；" and "：", English with ASCII."""

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assessment.lifecycle import submit_assessment
from assessment.models import Answer, Question
from assessment.review import display_answer
from plans.compute import adjusted_plan, compute_plan, describe_unscheduled
from plans.models import PlanAdjustment
from portfolio.report import report_content
from portfolio.rows import portfolio_rows
from tests.factories import make_user
from tests.portfolio.test_portfolio import world  # noqa: F401 — the fixture
from tests.reports.test_plan_report_v2 import caoxian  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db

REMARK = "先与省级平台对接"
ASCII_JOINS = re.compile(r"[;:]")  # ASCII separators: never inside Chinese text


def visible_text(html: str) -> str:
    """The page's text, without scripts, styles and tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("reason", "english", "chinese"),
    [
        ("too_expensive", "costs about CNY 56.8 million, which", "约需5,678万元，"),
        ("beyond_five_years", "(about CNY 56.8 million)", "（约5,678万元）"),
    ],
)
def test_an_unscheduled_action_names_its_cost_with_the_unit(reason, english, chinese):
    item = SimpleNamespace(planned=SimpleNamespace(cost=5678.0), reason=reason, detail="")
    with translation.override("en"):
        assert english in describe_unscheduled(item) and "10,000 CNY" not in describe_unscheduled(item)
    with translation.override("zh-hans"):
        assert chinese in describe_unscheduled(item)


def test_the_plan_page_reads_the_budget_and_the_remark_naturally_in_both_languages(
    caoxian,  # noqa: F811 — the fixture imported above
    client,
    chinese_client,
):
    first = compute_plan(caoxian.assessment).plan.phases[0].actions[0].action.code
    PlanAdjustment.objects.create(assessment=caoxian.assessment, action_code=first, remark=REMARK)
    url = reverse("assessment_plan", args=[caoxian.assessment.pk])
    client.force_login(caoxian.consultant)
    english = visible_text(client.get(url).content.decode())
    assert "Annual digital budget: CNY 58.0 million" in english
    assert f"Consultant: {REMARK}" in english
    chinese_client.force_login(caoxian.consultant)
    chinese = visible_text(chinese_client.get(url).content.decode())
    assert "年度数字化预算：5,800万元" in chinese
    assert f"顾问：{REMARK}" in chinese and "顾问:" not in chinese


def test_the_report_gives_the_consultants_remark_after_a_full_width_colon(
    caoxian,  # noqa: F811
    chinese_client,
):
    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)
    first = compute_plan(a).plan.phases[0].actions[0].action.code
    PlanAdjustment.objects.create(assessment=a, action_code=first, remark=REMARK)
    chinese_client.force_login(caoxian.consultant)
    page = visible_text(chinese_client.get(reverse("assessment_report", args=[a.pk])).content.decode())
    assert f"顾问：{REMARK}" in page and "顾问:" not in page


def test_the_city_page_gives_the_budget_with_its_unit(caoxian, client, chinese_client):  # noqa: F811
    url = reverse("city_detail", args=[caoxian.assessment.city_id])
    client.force_login(caoxian.consultant)
    assert "CNY 58.0 million" in visible_text(client.get(url).content.decode())
    chinese_client.force_login(caoxian.consultant)
    assert "5,800万元" in visible_text(chinese_client.get(url).content.decode())


def test_the_reasons_join_with_full_width_marks_in_chinese_and_ascii_in_english(caoxian):  # noqa: F811
    for language, joins in (("zh-hans", "；"), ("en", "; ")):
        with translation.override(language):
            phases, _hidden = adjusted_plan(caoxian.assessment, compute_plan(caoxian.assessment))
            reasons = [item.why for phase in phases for item in phase.items]
        assert any(joins in why for why in reasons)
        if language == "zh-hans":
            assert not [why for why in reasons if ASCII_JOINS.search(why)]
        else:
            assert any("the city's entry point: its own specialty" in why for why in reasons)


def test_a_checklist_answer_joins_its_items_in_the_readers_punctuation(caoxian):  # noqa: F811
    checklist = Question.objects.get(dimension__version=caoxian.assessment.version, code="S3.3")
    codes = [item.code for item in checklist.checklist_items.all()][:2]
    answer = Answer(question=checklist, items=codes)
    with translation.override("zh-hans"):
        chinese = display_answer(answer, checklist)
    with translation.override("en"):
        english = display_answer(answer, checklist)
    assert "；" in chinese and not ASCII_JOINS.search(chinese)
    assert "; " in english


def test_the_english_report_and_portfolio_give_units_in_english(caoxian, client, chinese_client):  # noqa: F811
    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)  # I1.1 answered 8 (5G base stations)
    client.force_login(caoxian.consultant)
    report = visible_text(client.get(reverse("assessment_report", args=[a.pk])).content.decode())
    assert "8 per 10,000 residents" in report and "个/万人" not in report
    analyst = make_user(username="shandong-analyst", analyst_province="shandong")
    client.force_login(analyst)
    portfolio = visible_text(client.get(reverse("portfolio")).content.decode())
    assert "8.0 per 10,000 residents" in portfolio and "个/万人" not in portfolio
    chinese_client.force_login(analyst)
    assert "8.0 个/万人" in visible_text(chinese_client.get(reverse("portfolio")).content.decode())


def test_the_portfolio_report_lists_the_cities_behind_in_the_readers_punctuation(world):  # noqa: F811
    rows = portfolio_rows(world.jiangsu_analyst)
    for language, joined in (("zh-hans", ")；"), ("en", "); ")):
        with translation.override(language):
            html = render_to_string(
                "portfolio/portfolio_pdf.html", {**report_content(rows), "today": timezone.localdate()}
            )
        behind = re.search(r'<section class="part" id="behind">(.*?)</section>', html, re.S).group(1)
        assert joined in behind and (language == "en" or ";" not in behind)
