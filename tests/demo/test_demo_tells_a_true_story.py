"""The demo answers tell a true story (issue 26): consistent with each other and with each city's profile,
every warning explained where a real city would explain it."""

import random
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from assessment.consistency import CityProfile, rule_book
from assessment.demo_checks import settle, unexplained_warnings
from assessment.findings import assessment_findings, blocking, rule_set_in_force
from assessment.models import Assessment

RULES_2027 = rule_book(yaml.safe_load(Path("fixtures/checks-smc-2027.yaml").read_text(encoding="utf-8"))["rules"])
BANK_2027 = yaml.safe_load(Path("fixtures/questionnaire-smc-2027.yaml").read_text(encoding="utf-8"))
QUESTIONS = {q["code"]: q for d in BANK_2027["dimensions"] for q in d["questions"]}
ITEMS = {code: [i["code"] for i in q.get("items", [])] for code, q in QUESTIONS.items()}
ALLOW_NA = frozenset(code for code, q in QUESTIONS.items() if q.get("allow_na"))


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_no_demo_assessment_has_an_unexplained_warning(seeded):
    assessments = Assessment.objects.select_related("city", "version")
    assert assessments.count() > 40
    for assessment in assessments:
        assert rule_set_in_force(assessment) is not None
        held = blocking(assessment_findings(assessment))
        assert held == [], (assessment, [f.finding.rule for f in held])


def test_caoxian_answers_as_a_major_agricultural_zone_with_a_strong_hanfu_e_commerce(seeded):
    for assessment in Assessment.objects.filter(city__name_zh="曹县"):
        answers = {a.question.code: a for a in assessment.answers.select_related("question")}
        assert not any(answers[code].not_applicable for code in ("E2.1", "E2.2", "E2.3"))
        assert answers["E4.1"].level >= 4 and answers["S2.1"].level >= 3
        found = assessment_findings(assessment)
        explained = [f for f in found if f.explanation is not None]
        assert [(f.finding.rule, f.explanation.question) for f in explained] == [
            ("important-data-list-without-catalogue", "G2.2")
        ]
        assert "菏泽市大数据局" in explained[0].explanation.comment


def test_kaifeng_answers_the_zhengzhou_kaifeng_integration(seeded):
    for assessment in Assessment.objects.filter(city__name_zh="开封市"):
        answers = {a.question.code: a for a in assessment.answers.select_related("question")}
        assert answers["S1.4"].yes and answers["I5.2"].yes


def random_answers(seed: int) -> dict:
    rng = random.Random(seed)
    values = {}
    for code, q in QUESTIONS.items():
        fields = {"level": None, "yes": None, "items": None, "number": None, "not_applicable": False, "comment": ""}
        if q.get("allow_na") and rng.random() < 0.3:
            fields["not_applicable"] = True
        elif q["type"] == "level":
            fields["level"] = rng.randint(1, 5)
        elif q["type"] == "yes_no":
            fields["yes"] = rng.random() < 0.5
        elif q["type"] == "checklist":
            fields["items"] = [i for i in ITEMS[code] if rng.random() < 0.5]
        else:
            fields["number"] = round(rng.uniform(0, 120 if q.get("unit") != "%" else 100), 2)
        values[code] = fields
    return values


@pytest.mark.parametrize("seed", range(8))
def test_settling_random_answers_leaves_no_unexplained_warning_and_keeps_the_story(seed):
    city = CityProfile(specialties=frozenset({"agriculture"}), functional_zone="major_agricultural")
    values = random_answers(seed)
    values["G3.1"] = {**values["G3.1"], "level": 5}  # the story: an operations platform in daily use ...
    values["I3.1"] = {**values["I3.1"], "level": 1, "comment": "传感器由省平台统一接入，本市尚未计数"}  # ... explained
    rng = random.Random(seed)

    def anew(code):
        kind = QUESTIONS[code]["type"]
        return {
            "level": {"level": rng.randint(1, 5)},
            "yes_no": {"yes": True},
            "checklist": {"items": ITEMS[code][:2]},
            "number": {"number": 50.0},
        }[kind] | {"not_applicable": False}

    settled = settle(
        values, rules=RULES_2027.rules, city=city, items=ITEMS, allow_na=ALLOW_NA, anew=anew, fixed=frozenset({"G3.1"})
    )
    assert unexplained_warnings(settled, RULES_2027.rules, city) == []
    assert settled["G3.1"]["level"] == 5 and settled["I3.1"]["level"] == 1  # explained: left as it is
    assert not settled["E2.1"]["not_applicable"] or not settled["E2.3"]["not_applicable"]
