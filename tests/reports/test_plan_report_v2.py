"""The plan JSON of FORMATS.md (engine v2 fields), reasons phrased by question type, and a report that
argues: executive summary, action cards, national comparison without peers."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessment.answering import save_answer
from assessment.bank_file import import_bank, read_bank_file
from assessment.lifecycle import submit_assessment
from plans.catalogue_file import import_catalogue, read_catalogue_file
from plans.compute import _not_yet_zh, compute_plan
from plans.models import PlanAdjustment
from reports import delivery
from reports.report_data import build_report
from tests.assessment.answering_helpers import make_team, question
from tests.reports.test_report import pdf_text

pytestmark = pytest.mark.django_db

ANSWERS = {
    "S1.1": {"level": 1},
    "S1.2": {"number": 43},
    "S2.1": {"level": 1},
    "S2.3": {"yes": False},
    "G1.2": {"yes": False},
    "G2.1": {"level": 1},
    "G2.2": {"yes": False},
    "G2.4": {"items": []},
    "E4.1": {"level": 2},
    "E3.1": {"level": 2},
    "I1.1": {"number": 8},
    "I4.1": {"level": 1},
}


@pytest.fixture
def caoxian(settings, tmp_path):
    """A county on the real catalogue 2027, with no peer city: e-commerce and manufacturing, in a cluster."""
    settings.MEDIA_ROOT = tmp_path
    team = make_team(version=import_bank(read_bank_file("fixtures/questionnaire-smc-2026.yaml"), publish=True))
    import_catalogue(read_catalogue_file("fixtures/actions-2027.yaml"))
    city = team.assessment.city
    city.name_zh, city.name_en, city.province, city.level = "曹县", "Caoxian", "shandong", "county"
    city.population, city.digital_budget, city.cluster, city.terrain = 138.4, 5800, "central_plains", "plain"
    city.save()
    from cities.models import SpecialtyIndustry

    city.specialties.set(SpecialtyIndustry.objects.filter(code__in=["ecommerce", "manufacturing"]))
    a = team.assessment
    for code, values in ANSWERS.items():
        save_answer(assessment=a, question=question(a, code), values=values, base_revision=0, user=team.services)
    return team


def show_plan(assessment):
    out = StringIO()
    call_command("show_plan", str(assessment.pk), stdout=out)
    return json.loads(out.getvalue())


def test_the_plan_json_follows_formats_md(caoxian):
    plan = show_plan(caoxian.assessment)
    assert {"assessment", "annual_budget", "phases", "unscheduled"} <= set(plan)
    placed = {}
    for index, phase in enumerate(plan["phases"]):
        assert {"phase", "years", "budget", "cost", "running_cost", "capacity", "actions"} <= set(phase)
        start, end = phase["years"]
        assert phase["budget"] == plan["annual_budget"] * (end - start)
        assert phase["cost"] + phase["running_cost"] <= phase["budget"]
        assert len(phase["actions"]) <= phase["capacity"]
        for action in phase["actions"]:
            assert {
                "code",
                "title",
                "direction",
                "dimension",
                "priority",
                "cost",
                "cost_range",
                "running_cost",
                "prerequisites",
                "why",
                "lead",
                "kpi",
                "funding",
            } <= set(action)
            assert action["cost_range"][0] <= action["cost"] <= action["cost_range"][1]
            assert action["lead"] and action["kpi"] and action["funding"]
            for prerequisite in action["prerequisites"]:
                assert isinstance(prerequisite, str) or (
                    isinstance(prerequisite, list) and all(isinstance(code, str) for code in prerequisite)
                )
            placed[action["code"]] = index
    assert sum(len(p["actions"]) for p in plan["phases"]) == len(placed)  # each at most once
    for item in plan["unscheduled"]:
        assert {"code", "why"} <= set(item) and item["why"] and item["code"] not in placed
    iot = next((a for p in plan["phases"] for a in p["actions"] if a["code"] == "I-IOT-01"), None)
    if iot:
        assert ["I-CLOUD-01", "I-CLOUD-02"] in iot["prerequisites"]


def test_the_phase_running_cost_is_that_of_everything_built_so_far(caoxian):
    plan = show_plan(caoxian.assessment)
    yearly = 0
    for phase in plan["phases"]:
        yearly += sum(a["running_cost"] for a in phase["actions"])
        start, end = phase["years"]
        assert phase["running_cost"] == pytest.approx(yearly * (end - start), abs=0.2)


def test_reasons_are_phrased_by_question_type(caoxian):
    with translation.override("zh-hans"):
        computed = compute_plan(caoxian.assessment)
        why = {p.action.code: computed.why(p) for ph in computed.plan.phases for p in ph.actions}
        why.update({u.planned.action.code: computed.why(u.planned) for u in computed.plan.unscheduled})
    assert "S2.3 尚未建立政务服务“好差评”制度" in why["S-HOT-03"]
    assert "S1.2 为 43%，未达到 L3 所需的 60%" in why["S-ONE-01"] or "S1.2" not in why["S-ONE-01"]
    assert "G2.4 所列措施落实较少" in why["G-DATA-03"]
    assert "维度 S1（政务服务“一网通办”）为 L1，低于 L3" in why["S-ONE-01"]
    assert "的答案为" not in "".join(why.values())
    assert "G2.1 处于 L1，低于 L3" in why["G-DATA-02"]
    assert "；" in why["S-ONE-01"] and ";" not in why["S-ONE-01"]
    with translation.override("en"):
        computed = compute_plan(caoxian.assessment)
        hot = next(p for ph in computed.plan.phases for p in ph.actions if p.action.code == "S-HOT-03")
        assert "S2.3 is not yet in place (answered “no”)" in computed.why(hot)


@pytest.mark.parametrize(
    ("question_text", "missing"),
    [
        (
            "本市是否设立了数字化转型的统筹机构（如数据局或大数据中心），并明确其职责？",
            "尚未设立数字化转型的统筹机构，并明确其职责",
        ),
        ("电子政务外网是否已覆盖全部乡镇（街道）和村（社区）？", "电子政务外网尚未覆盖全部乡镇和村"),
        ("本市数字化水平如何？", ""),
    ],
)
def test_a_yes_no_question_turns_into_what_is_missing(question_text, missing):
    assert _not_yet_zh(question_text) == missing


def test_the_report_summary_names_the_entry_point_and_the_first_year_cost(caoxian):
    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)
    with translation.override("zh-hans"):
        report = build_report(a, language="zh-hans")
        summary = "".join(report.summary)
    first = report.first_priorities
    assert any(item.planned.entry == "specialty" for item in first)
    assert "规划从本市的特色产业电子商务切入" in summary or "规划从本市的特色产业制造业切入" in summary
    assert "第一年安排" in summary and "万元" in summary and "5,800万元" in summary
    with translation.override("en"):
        summary = " ".join(build_report(a, language="en").summary)
    assert "The plan starts from the city's own strength" in summary and "Year one holds" in summary
    assert "CNY 58.0 million" in summary


def test_the_first_three_steps_follow_the_consultants_changes(caoxian):
    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)
    with translation.override("zh-hans"):
        first = build_report(a, language="zh-hans").first_priorities
    PlanAdjustment.objects.create(assessment=a, action_code=first[0].planned.action.code, phase="long")
    PlanAdjustment.objects.create(assessment=a, action_code=first[1].planned.action.code, hidden=True)
    with translation.override("zh-hans"):
        adjusted = [i.planned.action.code for i in build_report(a, language="zh-hans").first_priorities]
    assert first[0].planned.action.code not in adjusted and first[1].planned.action.code not in adjusted
    assert adjusted[0] == first[2].planned.action.code


def test_without_peers_the_pdf_compares_with_national_values_and_carries_action_cards(caoxian):
    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)
    text = pdf_text(delivery.report_pdf(a, "zh-hans").file.read())
    assert "改为将本市指标与全国数值比较" in text
    assert "县域政务服务在线办事率" in text and "66.4" in text
    for label in ("具体内容", "为何值得做", "目标", "牵头部门", "每年运行维护", "资金来源"):
        assert label in text, label
    english = pdf_text(delivery.report_pdf(a, "en").file.read())
    assert "Countygovernmentservices" in english  # table cells wrap and interleave: compare without spaces
    assert "Lead department" in english and "a year to run" in english


def test_the_plan_page_shows_running_costs_capacity_and_targets(caoxian, chinese_client):
    chinese_client.force_login(caoxian.consultant)
    body = chinese_client.get(reverse("assessment_plan", args=[caoxian.assessment.pk])).content.decode()
    assert "运行维护" in body and "新项目" in body and "切入点" in body and "牵头部门" in body
    assert "万元" in body


def test_the_national_reference_file_is_complete_and_matches_the_bank():
    import yaml

    from reports.national import INDICATOR_FILE, indicators_for

    raw = yaml.safe_load(INDICATOR_FILE.read_text(encoding="utf-8"))
    bank = yaml.safe_load(INDICATOR_FILE.with_name("questionnaire-smc-2026.yaml").read_text(encoding="utf-8"))
    numbers = {q["code"] for d in bank["dimensions"] for q in d["questions"] if q["type"] == "number"}
    for entry in raw["indicators"]:
        assert set(entry) == {"question", "name", "value", "year", "kind", "source"}, entry
        assert set(entry["name"]) == {"zh-hans", "en"} and set(entry["source"]) == {"zh-hans", "en"}, entry
        assert entry["question"] in numbers and entry["kind"] in ("value", "target")
    with translation.override("en"):
        assert "5G base stations per 10,000 people" in [i.label for i in indicators_for("smc-2026")]


def test_the_first_page_names_the_entry_point_and_the_first_year_cost(caoxian, tmp_path):
    import subprocess

    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)
    path = tmp_path / "report.pdf"
    path.write_bytes(delivery.report_pdf(a, "zh-hans").file.read())
    first_page = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    with translation.override("zh-hans"):
        report = build_report(a, language="zh-hans")
    assert f"切入点：{report.entry_item.action.title_zh}" in first_page.replace("\n", "")
    assert "第一年：" in first_page and "万元" in first_page and "预算 5,800万元" in first_page


def test_the_summary_says_when_the_team_not_the_money_bounds_year_one(caoxian):
    city = caoxian.assessment.city
    city.digital_budget, city.project_capacity = 100000, 2
    city.save()
    a = submit_assessment(caoxian.assessment, user=caoxian.coordinator)
    summary = " ".join(build_report(a, language="en").summary)
    assert "bounded by what the team can run, not by money" in summary
    city.digital_budget, city.project_capacity = 900, None
    city.save()
    summary = " ".join(build_report(a, language="en").summary)
    assert "bounded by what the team can run" not in summary
