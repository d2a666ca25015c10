"""The question bank importer and exporter (FORMATS.md): whole or nothing, problems by path."""

import copy
import json

import pytest

from assessment.bank_file import (
    BankFileError,
    dump_bank,
    export_version,
    import_bank,
    parse_bank_text,
    validate_bank,
)
from assessment.models import ChecklistItem, Dimension, LevelStatement, Question, QuestionnaireVersion
from tests.factories import bank_data

pytestmark = pytest.mark.django_db


def problems_of(data):
    return [str(problem) for problem in validate_bank(data)]


def test_a_good_file_is_imported_with_every_part():
    version = import_bank(bank_data())
    assert version.code == "test-bank"
    assert version.title_zh == "测试问卷"
    assert version.direction_weights == {"services": 2, "governance": 1, "industry": 1, "infrastructure": 1}
    assert not version.is_published
    assert list(version.dimensions.values_list("code", flat=True)) == ["S1", "G1", "I1"]
    level_question = Question.objects.get(code="S1.1")
    assert level_question.evidence is True
    assert [s.text_en for s in level_question.level_statements.all()] == [f"Level {k}" for k in range(1, 6)]
    assert Question.objects.get(code="I1.1").thresholds == [1.8, 1.6, 1.5, 1.3]
    items = ChecklistItem.objects.filter(question__code="G1.1")
    assert [(i.code, i.weight) for i in items] == [("a", 2), ("b", 1)]
    assert Question.objects.get(code="G1.1").allow_na is True


def test_defaults_apply_when_optional_keys_are_missing():
    data = bank_data()
    del data["direction_weights"]
    version = import_bank(data)
    assert version.direction_weights == {"services": 1, "governance": 1, "industry": 1, "infrastructure": 1}
    question = Question.objects.get(code="G1.2")
    assert (question.allow_na, question.evidence, question.text_en) == (False, False, "")
    assert Dimension.objects.get(code="G1").weight == 1


def test_publish_flag_publishes_the_version():
    assert import_bank(bank_data(), publish=True).is_published


def _break(path_setter):
    data = bank_data()
    path_setter(data)
    return data


BAD_FILES = {
    "unknown direction": (
        lambda d: d["dimensions"][1].update(direction="economy"),
        "dimensions[1].direction: unknown direction 'economy'",
    ),
    "four levels instead of five": (
        lambda d: d["dimensions"][0]["questions"][0]["levels"].pop(),
        "dimensions[0].questions[0].levels: expected 5, got 4",
    ),
    "duplicate question code": (
        lambda d: d["dimensions"][1]["questions"][1].update(code="S1.1"),
        "dimensions[1].questions[1].code: duplicate code 'S1.1' (first used at dimensions[0].questions[0].code)",
    ),
    "duplicate dimension code": (
        lambda d: d["dimensions"][2].update(code="G1"),
        "dimensions[2].code: duplicate code 'G1'",
    ),
    "thresholds not monotonic": (
        lambda d: d["dimensions"][0]["questions"][1].update(thresholds=[20, 60, 40, 80]),
        "dimensions[0].questions[1].thresholds: thresholds must be strictly ascending",
    ),
    "thresholds with a tie": (
        lambda d: d["dimensions"][0]["questions"][1].update(thresholds=[20, 40, 40, 80]),
        "dimensions[0].questions[1].thresholds: thresholds must be strictly",
    ),
    "three thresholds": (
        lambda d: d["dimensions"][0]["questions"][1].update(thresholds=[20, 40, 60]),
        "dimensions[0].questions[1].thresholds: expected 4 thresholds, got 3",
    ),
    "threshold not a number": (
        lambda d: d["dimensions"][0]["questions"][1].update(thresholds=[20, "forty", 60, 80]),
        "dimensions[0].questions[1].thresholds: every threshold must be a number",
    ),
    "unknown question type": (
        lambda d: d["dimensions"][1]["questions"][1].update(type="slider"),
        "dimensions[1].questions[1].type: unknown question type 'slider'",
    ),
    "missing Chinese text": (
        lambda d: d["dimensions"][1]["questions"][1].update(text={"en": "English only"}),
        "dimensions[1].questions[1].text.zh-hans: is required",
    ),
    "unknown language": (
        lambda d: d["dimensions"][0]["title"].update(fr="Services"),
        "dimensions[0].title.fr: unknown key",
    ),
    "negative weight": (
        lambda d: d["dimensions"][0].update(weight=-1),
        "dimensions[0].weight: expected a number of 0 or more, got -1",
    ),
    "weight that is text": (
        lambda d: d["dimensions"][1]["questions"][1].update(weight="heavy"),
        "dimensions[1].questions[1].weight: expected a number of 0 or more, got 'heavy'",
    ),
    "checklist without items": (
        lambda d: d["dimensions"][1]["questions"][0].update(items=[]),
        "dimensions[1].questions[0].items: expected at least one entry",
    ),
    "duplicate checklist item": (
        lambda d: d["dimensions"][1]["questions"][0]["items"][1].update(code="a"),
        "dimensions[1].questions[0].items[1].code: duplicate code 'a'",
    ),
    "levels on a yes/no question": (
        lambda d: d["dimensions"][1]["questions"][1].update(levels=[]),
        "dimensions[1].questions[1].levels: unknown key",
    ),
    "number question without thresholds": (
        lambda d: d["dimensions"][0]["questions"][1].pop("thresholds"),
        "dimensions[0].questions[1].thresholds: is required",
    ),
    "allow_na that is not a flag": (
        lambda d: d["dimensions"][1]["questions"][1].update(allow_na="sometimes"),
        "dimensions[1].questions[1].allow_na: expected true or false",
    ),
    "dimension without questions": (
        lambda d: d["dimensions"][2].update(questions=[]),
        "dimensions[2].questions: expected at least one entry",
    ),
    "no dimensions": (lambda d: d.update(dimensions=[]), "dimensions: expected at least one entry"),
    "missing code": (lambda d: d.pop("code"), "code: is required"),
    "typo in a key": (
        lambda d: d["dimensions"][0]["questions"][0].update(gudiance={"zh-hans": "x"}),
        "dimensions[0].questions[0].gudiance: unknown key",
    ),
    "unknown direction weight": (
        lambda d: d["direction_weights"].update(economy=1),
        "direction_weights.economy: unknown key",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_file_is_rejected_whole_with_the_problem_path(case):
    breaker, expected = BAD_FILES[case]
    data = _break(breaker)
    with pytest.raises(BankFileError) as raised:
        import_bank(data)
    assert any(str(p).startswith(expected) for p in raised.value.problems), raised.value.problems
    assert not QuestionnaireVersion.objects.exists()
    assert not Dimension.objects.exists() and not Question.objects.exists()


def test_every_problem_is_listed_not_just_the_first():
    data = bank_data()
    data["dimensions"][0]["questions"][0]["levels"].pop()
    data["dimensions"][1]["direction"] = "economy"
    data["dimensions"][2]["questions"][0]["thresholds"] = [1, 2]
    found = problems_of(data)
    assert len(found) == 3, found


def test_an_existing_code_is_rejected_and_nothing_written():
    import_bank(bank_data())
    with pytest.raises(BankFileError) as raised:
        import_bank(bank_data())
    assert str(raised.value.problems[0]) == "code: a questionnaire version with code 'test-bank' already exists"
    assert QuestionnaireVersion.objects.count() == 1
    assert LevelStatement.objects.count() == 5


def test_descending_thresholds_are_accepted():
    assert problems_of(bank_data()) == []  # I1.1 uses [1.8, 1.6, 1.5, 1.3]


def test_parse_rejects_broken_yaml_and_json_with_the_file_name():
    with pytest.raises(BankFileError, match=r"bank.yaml: not valid YAML"):
        parse_bank_text("code: [unclosed", name="bank.yaml")
    with pytest.raises(BankFileError, match=r"bank.json: not valid JSON"):
        parse_bank_text("{", name="bank.json")
    with pytest.raises(BankFileError, match="expected a .yaml, .yml or .json file"):
        parse_bank_text("code: x", name="bank.txt")
    with pytest.raises(BankFileError, match="expected a mapping"):
        parse_bank_text("- just\n- a list\n", name="bank.yml")


def test_yaml_and_json_of_the_same_bank_give_the_same_data():
    data = bank_data()
    assert parse_bank_text(dump_bank(data, fmt="yaml"), name="b.yaml") == data
    assert parse_bank_text(json.dumps(data), name="b.json") == data


def test_export_then_import_gives_an_identical_version():
    original = export_version(import_bank(bank_data()))
    QuestionnaireVersion.objects.all().delete()
    for fmt in ("yaml", "json"):
        text = dump_bank(original, fmt=fmt)
        version = import_bank(parse_bank_text(text, name=f"bank.{fmt}"))
        assert export_version(version) == original
        version.delete()


def test_export_writes_the_file_format_with_defaults_spelled_out():
    exported = export_version(import_bank(bank_data()))
    question = exported["dimensions"][1]["questions"][1]
    assert question == {
        "code": "G1.2",
        "type": "yes_no",
        "text": {"zh-hans": "有数据目录吗"},
        "weight": 0.5,
        "allow_na": False,
        "evidence": False,
    }
    assert problems_of(copy.deepcopy(exported)) == []


def test_export_uses_a_constant_number_of_queries(django_assert_max_num_queries):
    version = import_bank(bank_data())
    with django_assert_max_num_queries(4):
        export_version(version)
