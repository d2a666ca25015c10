"""Numbers typed with a Chinese input method (１２．５, ７２％, １，２３４) are read as numbers everywhere a
number is typed or imported: the answering page, the batch save, answers files (YAML and XLSX)."""

import json

import pytest
import yaml
from django.urls import reverse
from openpyxl import Workbook

from assessment.answers_file import import_answers, read_answers_file
from common.numbers import read_number
from tests.assessment.answering_helpers import make_team, save_url, stored
from tests.factories import make_city, make_version


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("１２．５", 12.5),
        ("７２％", 72.0),
        ("72.5 %", 72.5),
        ("１，２３４", 1234.0),
        ("1,234,567.5", 1234567.5),
        ("－３", -3.0),
        ("１２。５", 12.5),  # the decimal point of Chinese punctuation mode
        (" ４２ ", 42.0),
        (".5", 0.5),
        ("1e3", 1000.0),
    ],
)
def test_a_number_as_people_type_it_is_read(text, number):
    assert read_number(text) == number


@pytest.mark.parametrize("text", ["", "%", ".", "1,5", "12,34", "1.2.3", "abc", "１２ａ", "inf", "nan", "1e999", "--3"])
def test_what_shows_no_number_is_refused(text):
    assert read_number(text) is None


@pytest.mark.django_db
def test_the_answering_page_saves_full_width_digits_and_percent_as_a_number(client):
    team = make_team()
    client.force_login(team.services)
    response = client.post(
        save_url(team.assessment, "S1.2"),
        {"revision": 0, "number": "７２．５％"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.content
    assert stored(team.assessment, "S1.2").number == 72.5


@pytest.mark.django_db
def test_a_batch_saves_full_width_numbers_and_still_refuses_what_is_no_number(client):
    team = make_team()
    client.force_login(team.services)
    url = reverse("answers_save_batch", args=[team.assessment.pk, "services"])
    body = {"answers": [{"question": "S1.2", "revision": 0, "number": "６６，４"}]}  # a decimal comma: refused
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.json()["answers"][0]["status"] == "invalid"
    body["answers"][0]["number"] = "６６．４％"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.json()["answers"][0]["status"] == "saved"
    assert stored(team.assessment, "S1.2").number == 66.4


@pytest.mark.django_db
def test_an_answers_file_reads_full_width_numbers_in_yaml_and_in_a_workbook(tmp_path):
    make_version(publish=True)
    make_city(name="昆山市")
    document = {
        "city": "昆山市",
        "year": 2026,
        "questionnaire": "test-bank",
        "answers": {"S1.2": "７２％", "I1.1": "１．２５"},
    }
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assessment = import_answers(read_answers_file(path))
    assert {a.question.code: a.number for a in assessment.answers.select_related("question")} == {
        "S1.2": 72.0,
        "I1.1": 1.25,
    }
    workbook = Workbook()
    for row in [
        ("city", "昆山市"),
        ("year", "２０２６"),
        ("questionnaire", "test-bank"),
        ("code", "answer", "comment"),
        ("S1.2", "６８．５ ％"),
        ("I1.1", "1,234.5"),  # a thousands separator, not two checklist items
        ("G1.1", "a，b"),  # checklist items separated by a full-width comma
    ]:
        workbook.active.append(row)
    workbook.save(tmp_path / "answers.xlsx")
    assessment = import_answers(read_answers_file(tmp_path / "answers.xlsx"))
    answers = {a.question.code: a for a in assessment.answers.select_related("question")}
    assert (answers["S1.2"].number, answers["I1.1"].number, answers["G1.1"].items) == (68.5, 1234.5, ["a", "b"])
