"""Units of number questions in both languages (issue 15, defect 5): the bank file's optional `unit_en`,
the shipped banks, the migration that gives loaded banks their English units, the admin, and every
place that shows a unit (answering page, review, reasons, exports) in the reader's language."""

import importlib
import io
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from assessment.bank_file import clone_version, export_version, import_bank, read_bank_file, validate_bank
from assessment.models import Answer, Question
from assessment.review import display_answer
from tests.assessment.answering_helpers import make_team, question
from tests.factories import bank_data, make_version

pytestmark = pytest.mark.django_db

SHIPPED_BANKS = ("fixtures/questionnaire-smc-2026.yaml", "fixtures/questionnaire-smc-2027.yaml")


def number_question(data) -> dict:
    """I1.1 of the small test bank: the data centre's PUE."""
    return next(q for d in data["dimensions"] for q in d["questions"] if q["code"] == "I1.1")


def problems_of(data) -> list[str]:
    return [str(problem) for problem in validate_bank(data)]


@pytest.mark.parametrize("path", SHIPPED_BANKS)
def test_every_number_question_of_the_shipped_banks_has_an_english_unit(path):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    numbers = [q for d in data["dimensions"] for q in d["questions"] if q["type"] == "number"]
    assert numbers and all(q.get("unit") and q.get("unit_en") for q in numbers)
    units = {q["code"]: (q["unit"], q["unit_en"]) for q in numbers}
    assert units["I1.1"] == ("个/万人", "per 10,000 residents")
    assert units["S1.2"] == ("%", "%")


def test_the_english_unit_is_read_from_the_file_and_written_back():
    data = bank_data()
    number_question(data)["unit_en"] = "PUE ratio"
    version = import_bank(data)
    stored = Question.objects.get(dimension__version=version, code="I1.1")
    assert (stored.unit, stored.unit_en) == ("PUE", "PUE ratio")
    exported = number_question(export_version(version))
    assert (exported["unit"], exported["unit_en"]) == ("PUE", "PUE ratio")
    clone = clone_version(version, code="test-bank-2")
    assert Question.objects.get(dimension__version=clone, code="I1.1").unit_en == "PUE ratio"


def test_a_file_without_english_units_still_imports_and_exports_as_before():
    version = import_bank(bank_data())
    assert set(Question.objects.filter(dimension__version=version).values_list("unit_en", flat=True)) == {""}
    assert "unit_en" not in number_question(export_version(version))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"unit_en": 5}, "dimensions[2].questions[0].unit_en: expected text"),
        ({"unit": "", "unit_en": "per 10,000 residents"}, "unit_en: an English unit needs the Chinese one in unit"),
    ],
)
def test_a_bad_english_unit_is_rejected_by_its_path(change, problem):
    data = bank_data()
    number_question(data).update(change)
    assert any(problem in p for p in problems_of(data)), problems_of(data)


def test_an_english_unit_on_a_question_that_is_not_a_number_is_an_unknown_key():
    data = bank_data()
    data["dimensions"][0]["questions"][0]["unit_en"] = "%"
    assert any("questions[0].unit_en: unknown key" in p for p in problems_of(data))


def test_the_migration_gives_loaded_versions_the_english_of_known_units():
    version = import_bank(read_bank_file(SHIPPED_BANKS[0]), publish=True)
    questions = Question.objects.filter(dimension__version=version, type="number")
    # As loaded before the English units existed (the base manager: a published bank refuses updates).
    Question._base_manager.filter(pk__in=list(questions.values_list("pk", flat=True))).update(unit_en="")
    assert set(questions.values_list("unit_en", flat=True)) == {""}
    migration = importlib.import_module("assessment.migrations.0005_question_unit_en")
    state = MigrationLoader(connection).project_state(("assessment", "0005_question_unit_en"))
    migration.fill_english_units(state.apps, None)  # the models as the migration sees them
    units = dict(questions.values_list("code", "unit_en"))
    assert units["I1.1"] == "per 10,000 residents" and units["S1.2"] == "%" and units["I2.3"] == "PUE"


def test_the_admin_edits_the_english_unit_beside_the_chinese_one(admin_client):
    make_version()
    number = Question.objects.get(code="I1.1")
    url = reverse("admin:assessment_question_change", args=[number.pk])
    page = admin_client.get(url).content.decode()
    assert page.index('name="unit"') < page.index('name="unit_en"')
    form = {
        "dimension": number.dimension_id,
        "code": "I1.1",
        "type": "number",
        "position": 0,
        "text_zh": number.text_zh,
        "text_en": number.text_en,
        "guidance_zh": "",
        "guidance_en": "",
        "weight": 1,
        "unit": "PUE",
        "unit_en": "PUE (ratio)",
        "thresholds": "[1.8, 1.6, 1.5, 1.3]",
        "migration": "null",
        "national": "[]",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Question.objects.get(pk=number.pk).unit_en == "PUE (ratio)"
    response = admin_client.post(url, form | {"unit": ""})
    with translation.override("zh-hans"):  # the admin speaks Chinese
        refusal = gettext("An English unit needs the Chinese unit beside it.")
    assert response.status_code == 200 and refusal in response.content.decode()
    assert Question.objects.get(pk=number.pk).unit == "PUE"


@pytest.fixture
def team():
    """A draft on the real 2026 bank with I1.1 (5G base stations per 10,000 residents) answered."""
    team = make_team(version=import_bank(read_bank_file(SHIPPED_BANKS[0]), publish=True))
    Answer.objects.create(assessment=team.assessment, question=question(team.assessment, "I1.1"), number=21.34)
    return team


def test_the_answering_page_shows_the_unit_in_the_readers_language(team, client, chinese_client):
    url = reverse("assessment_direction", args=[team.assessment.pk, "infrastructure"])
    client.force_login(team.coordinator)
    english = client.get(url).content.decode()
    assert '<span class="input-group-text">per 10,000 residents</span>' in english and "个/万人" not in english
    chinese_client.force_login(team.coordinator)
    chinese = chinese_client.get(url).content.decode()
    assert '<span class="input-group-text">个/万人</span>' in chinese


def test_an_answer_reads_with_its_unit_in_the_readers_language(team):
    i11 = question(team.assessment, "I1.1")
    answer = Answer.objects.get(question=i11)
    with translation.override("en"):
        assert display_answer(answer, i11) == "21.34 per 10,000 residents"
    with translation.override("zh-hans"):
        assert display_answer(answer, i11) == "21.34 个/万人"
    share = question(team.assessment, "S1.2")
    assert display_answer(Answer(question=share, number=66.4), share) == "66.4%"


def test_the_exported_answers_carry_the_unit_in_the_readers_language(team, client):
    client.force_login(team.coordinator)
    response = client.get(reverse("assessment_export", args=[team.assessment.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Answers"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["code"][5] == "unit"
    assert rows["I1.1"][1] == 21.34 and rows["I1.1"][5] == "per 10,000 residents"
    assert rows["S1.1"][5] is None
