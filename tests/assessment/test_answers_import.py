"""import_answers (FORMATS.md): YAML, JSON and XLSX; rejected whole with every problem listed."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessment.answers_file import AnswersFileError, import_answers, read_answers_file
from assessment.lifecycle import submit_assessment
from assessment.models import Answer, Assessment
from tests.factories import make_city, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return make_version(publish=True)


@pytest.fixture
def city():
    return make_city(name="昆山市", name_en="Kunshan")


def answers_data(**overrides):
    data = {
        "city": "昆山市",
        "year": 2026,
        "questionnaire": "test-bank",
        "answers": {"S1.1": 3, "S1.2": 72.5, "G1.1": ["a"], "G1.2": "yes", "I1.1": 1.45},
        "comments": {"S1.1": "已上线市级一网通办平台"},
    }
    data.update(overrides)
    return data


def write(tmp_path, data, name="answers.yaml"):
    path = tmp_path / name
    text = json.dumps(data, ensure_ascii=False) if name.endswith(".json") else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path):
    out = StringIO()
    call_command("import_answers", str(path), stdout=out)
    return int(out.getvalue().strip())


def stored_values(assessment):
    return {
        a.question.code: (a.level, a.yes, a.items, a.number, a.not_applicable, a.comment)
        for a in assessment.answers.select_related("question")
    }


def test_a_yaml_file_creates_a_draft_and_prints_its_id(tmp_path, version, city):
    assessment_id = run_import(write(tmp_path, answers_data()))
    assessment = Assessment.objects.get(pk=assessment_id)
    assert (assessment.city, assessment.year, assessment.version, assessment.is_draft) == (city, 2026, version, True)
    assert stored_values(assessment) == {
        "S1.1": (3, None, None, None, False, "已上线市级一网通办平台"),
        "S1.2": (None, None, None, 72.5, False, ""),
        "G1.1": (None, None, ["a"], None, False, ""),
        "G1.2": (None, True, None, None, False, ""),
        "I1.1": (None, None, None, 1.45, False, ""),
    }


def test_json_and_city_by_id_work_too(tmp_path, version, city):
    assessment_id = run_import(write(tmp_path, answers_data(city=city.pk), name="answers.json"))
    assert Assessment.objects.get(pk=assessment_id).city == city


def test_yes_no_accepts_true_false_and_yaml_booleans(tmp_path, version, city):
    path = tmp_path / "a.yaml"
    path.write_text("city: 昆山市\nyear: 2026\nquestionnaire: test-bank\nanswers:\n  G1.2: no\n", encoding="utf-8")
    assessment = Assessment.objects.get(pk=run_import(path))
    assert stored_values(assessment)["G1.2"][1] is False
    run_import(write(tmp_path, answers_data(answers={"G1.2": True})))
    assert stored_values(assessment)["G1.2"][1] is True


def test_not_applicable_where_allowed(tmp_path, version, city):
    assessment = Assessment.objects.get(pk=run_import(write(tmp_path, answers_data(answers={"G1.1": "na"}))))
    assert stored_values(assessment)["G1.1"] == (None, None, None, None, True, "")


def test_a_second_import_updates_the_same_draft_and_keeps_other_answers(tmp_path, version, city):
    first = run_import(write(tmp_path, answers_data()))
    second = run_import(write(tmp_path, answers_data(answers={"S1.1": 4}, comments={})))
    assert first == second
    values = stored_values(Assessment.objects.get(pk=first))
    assert values["S1.1"][0] == 4 and values["S1.1"][5] == "已上线市级一网通办平台"
    assert values["S1.2"][3] == 72.5
    assert Answer.objects.count() == 5


def test_an_xlsx_file_with_one_row_per_question(tmp_path, version, city):
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ("city", "昆山市"),
        ("year", 2026),
        ("questionnaire", "test-bank"),
        (),
        ("code", "answer", "comment"),
        ("S1.1", 3, "平台已上线"),
        ("S1.2", 72.5),
        ("G1.1", "a, b"),
        ("G1.2", "no"),
        ("I1.1", "1.3"),
    ]:
        sheet.append(row)
    path = tmp_path / "answers.xlsx"
    workbook.save(path)
    values = stored_values(Assessment.objects.get(pk=run_import(path)))
    assert values == {
        "S1.1": (3, None, None, None, False, "平台已上线"),
        "S1.2": (None, None, None, 72.5, False, ""),
        "G1.1": (None, None, ["a", "b"], None, False, ""),
        "G1.2": (None, False, None, None, False, ""),
        "I1.1": (None, None, None, 1.3, False, ""),
    }


def test_a_broken_xlsx_file_is_named(tmp_path, version, city):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(AnswersFileError, match="not a readable XLSX workbook"):
        read_answers_file(path)


BAD = {
    "unknown city": ({"city": "不存在市"}, "city: unknown city '不存在市'"),
    "year missing": ({"year": None}, "year: is required"),
    "year nonsense": ({"year": "soon"}, "year: expected a year from 2000 to 2100, got 'soon'"),
    "unknown questionnaire": ({"questionnaire": "nope"}, "questionnaire: no published questionnaire version 'nope'"),
    "unknown question": ({"answers": {"X9.9": 3}}, "answers.X9.9: unknown question code 'X9.9' in test-bank"),
    "level outside 1-5": ({"answers": {"S1.1": 7}}, "answers.S1.1: a level must be a whole number from 1 to 5, got 7"),
    "level 0": ({"answers": {"S1.1": 0}}, "answers.S1.1: a level must be a whole number from 1 to 5, got 0"),
    "number not a number": ({"answers": {"S1.2": "many"}}, "answers.S1.2: expected a number, got 'many'"),
    "N/A not allowed": ({"answers": {"S1.1": "na"}}, "answers.S1.1: S1.1 may not be answered 'not applicable'"),
    "unknown checklist item": ({"answers": {"G1.1": ["a", "z"]}}, "answers.G1.1: unknown checklist item 'z'"),
    "yes/no nonsense": ({"answers": {"G1.2": "perhaps"}}, "answers.G1.2: expected yes or no, got 'perhaps'"),
    "comment on unknown question": ({"comments": {"Q0": "x"}}, "comments.Q0: unknown question code 'Q0'"),
    "unknown top key": ({"town": "x"}, "town: unknown key"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_file_is_rejected_whole(tmp_path, version, city, case):
    overrides, expected = BAD[case]
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_answers", str(write(tmp_path, answers_data(**overrides))), stderr=err)
    assert expected in str(raised.value) + err.getvalue()
    assert not Assessment.objects.exists() and not Answer.objects.exists()


def test_every_problem_is_listed(tmp_path, version, city):
    data = answers_data(answers={"S1.1": 9, "S1.2": "x", "G1.1": ["q"], "X1": 1})
    with pytest.raises(AnswersFileError) as raised:
        import_answers(read_answers_file(write(tmp_path, data)))
    assert len(raised.value.problems) == 4


def test_a_bad_file_does_not_touch_an_existing_draft(tmp_path, version, city):
    assessment_id = run_import(write(tmp_path, answers_data()))
    with pytest.raises(CommandError):
        run_import(write(tmp_path, answers_data(answers={"S1.1": 1, "S1.2": "x"})))
    assert stored_values(Assessment.objects.get(pk=assessment_id))["S1.1"][0] == 3


def test_a_submitted_assessment_is_never_changed_by_an_import(tmp_path, version, city):
    assessment = Assessment.objects.get(pk=run_import(write(tmp_path, answers_data())))
    submit_assessment(assessment)
    with pytest.raises(CommandError, match="submitted; an import never changes it"):
        run_import(write(tmp_path, answers_data(answers={"S1.1": 1})))
    assert stored_values(assessment)["S1.1"][0] == 3


def test_a_draft_question_bank_cannot_be_answered(tmp_path, city):
    make_version()
    with pytest.raises(CommandError, match="no published questionnaire version 'test-bank'"):
        run_import(write(tmp_path, answers_data()))


def test_a_file_of_the_wrong_kind_is_refused(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("S1.1,3", encoding="utf-8")
    with pytest.raises(CommandError, match="expected a .yaml, .yml, .json or .xlsx file"):
        run_import(path)
