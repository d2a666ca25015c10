"""Question bank 2027 (fixtures/questionnaire-smc-2027.yaml): observable top levels, thresholds with
their year and source, citizen experience and reform, a full mapping to 2026 and to GB/T 33356."""

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from assessment.bank_file import import_bank, read_bank_file, validate_bank

BANK_2026 = Path("fixtures/questionnaire-smc-2026.yaml")
BANK_2027 = Path("fixtures/questionnaire-smc-2027.yaml")
NEW = yaml.safe_load(BANK_2027.read_text(encoding="utf-8"))
OLD = yaml.safe_load(BANK_2026.read_text(encoding="utf-8"))
QUESTIONS = [q for d in NEW["dimensions"] for q in d["questions"]]
OLD_QUESTIONS = {q["code"]: q for d in OLD["dimensions"] for q in d["questions"]}

# Words that make a statement rest on recognition or rank instead of a capability anyone can check.
AWARD_WORDS_ZH = (
    "示范",
    "推广",
    "前列",
    "领先",
    "标杆",
    "先进",
    "典型",
    "获奖",
    "表彰",
    "排名",
    "一流",
    "试点",
    "样板",
    "榜",
    "优秀",
)
AWARD_WORDS_EN = (
    "award",
    "rank",
    "leading",
    "leader",
    "top ",
    "pioneer",
    "model",
    "demonstration",
    "promoted",
    "exemplary",
    "best",
    "benchmark",
    "pilot",
    "first-class",
    "showcase",
)


def test_the_2026_bank_stays_untouched():
    """Published: nothing changes but the English units added beside the Chinese ones (issue 15)."""
    lines = BANK_2026.read_bytes().splitlines(keepends=True)
    as_published = b"".join(line for line in lines if not line.strip().startswith(b"unit_en:"))
    digest = hashlib.sha256(as_published).hexdigest()
    assert digest == "6830d10cfd4f74eae5bc20528c907a3d706a7555ca18310bfe3ca84ba2d55674"


@pytest.mark.django_db
def test_bank_2027_imports_after_2026_and_publishes():
    import_bank(read_bank_file(BANK_2026), publish=True)
    version = import_bank(read_bank_file(BANK_2027), publish=True)
    assert version.is_published and version.previous_version.code == "smc-2026"
    assert validate_bank(read_bank_file(BANK_2027)) == []


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q["type"] == "level"], ids=lambda q: q["code"])
def test_no_top_level_statement_rests_on_an_award_or_a_ranking(question):
    for statement in question["levels"][3:]:
        zh, en = statement["zh-hans"], statement.get("en", "").lower()
        assert not [w for w in AWARD_WORDS_ZH if w in zh], (question["code"], zh)
        assert not [w for w in AWARD_WORDS_EN if re.search(rf"\b{w.strip()}", en)], (question["code"], en)


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q["type"] == "number"], ids=lambda q: q["code"])
def test_every_threshold_carries_a_year_and_a_source(question):
    zh, en = question["guidance"]["zh-hans"], question["guidance"]["en"]
    assert re.search(r"20\d\d年", zh), question["code"]
    assert re.search(r"《[^》]+》|国家统计局|工业和信息化部|GB/T", zh), question["code"]
    assert re.search(r"\b20\d\d\b", en), question["code"]
    if question.get("unit") == "%":
        assert max(question["thresholds"]) <= 100


def test_thresholds_follow_the_latest_national_values():
    by_code = {q["code"]: q for q in QUESTIONS}
    assert by_code["I1.1"]["thresholds"][-1] >= 30  # 5G per 10,000 people passed ~30 in 2024
    assert by_code["I1.2"]["thresholds"][0] >= 80  # over 90 % of villages had 5G by 2024
    assert "2022年" in by_code["E2.3"]["guidance"]["zh-hans"] and "25.4" in by_code["E2.3"]["guidance"]["zh-hans"]


def test_citizen_experience_and_reform_are_dimensions_of_their_own():
    dimensions = {d["code"]: d for d in NEW["dimensions"]}
    experience = " ".join(
        q["text"]["zh-hans"] + q.get("guidance", {}).get("zh-hans", "") for q in dimensions["S6"]["questions"]
    )
    for topic in ("满意度", "12345", "老年", "数字包容"):
        assert topic in experience, topic
    assert dimensions["S6"]["direction"] == "services" and dimensions["G6"]["direction"] == "governance"
    reform = " ".join(q["text"]["zh-hans"] for q in dimensions["G6"]["questions"])
    assert "首席数据官" in reform and "授权运营" in reform


def test_every_question_says_what_it_continues_and_continuing_questions_keep_code_and_type():
    for question in QUESTIONS:
        migration = question["migration"]
        for code in migration.get("from", []):
            old = OLD_QUESTIONS[code]
            if migration["how"] in ("same", "split", "merged") and code == question["code"]:
                assert old["type"] == question["type"], code
        if question["code"] in OLD_QUESTIONS and migration["how"] != "new":
            assert question["code"] in migration["from"], question["code"]  # a kept code continues itself


def test_every_question_is_in_both_languages():
    for question in QUESTIONS:
        assert question["text"].get("en") and question["guidance"].get("en"), question["code"]
        for statement in question.get("levels", []):
            assert statement.get("en"), question["code"]
        for item in question.get("items", []):
            assert item["text"].get("en"), question["code"]


def test_every_dimension_reads_into_the_national_framework_or_says_it_does_not():
    for dimension in NEW["dimensions"]:
        assert "national" in dimension, dimension["code"]
    measured = {c for d in NEW["dimensions"] for c in d["national"]} | {
        c for q in QUESTIONS for c in q.get("national", [])
    }
    assert {"L1P1", "L2P1", "L6P1", "L7P1", "L8P1"} <= measured
