"""Exports: one assessment as XLSX (re-imported to the same scores), the portfolio as XLSX and CSV,
with the same limits on who sees what; user text never becomes a formula."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessment.answering import save_answer
from assessment.lifecycle import submit_assessment
from assessment.models import Assessment
from assessment.scores import compute_scores, scores_of
from common.spreadsheet import csv_cell
from plans.catalogue_file import import_catalogue
from tests.assessment.answering_helpers import make_team, question
from tests.factories import make_user
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example/","点我")'


@pytest.fixture
def team():
    team = make_team()
    import_catalogue(SMALL)
    a = team.assessment
    a.city.digital_budget = 100
    a.city.save()
    for code, values in {
        "S1.1": {"level": 2, "comment": INJECTION},
        "S1.2": {"number": 72.5, "comment": "已接入省平台"},
        "G1.1": {"items": []},  # none of these
        "G1.2": {"yes": False},
        "I1.1": {"not_applicable": False, "number": 1.45},
    }.items():
        save_answer(assessment=a, question=question(a, code), values=values, base_revision=0, user=team.coordinator)
    submit_assessment(a, user=team.coordinator)
    return team


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def test_one_assessment_as_xlsx_has_answers_scores_and_plan(client, team):
    client.force_login(team.consultant)
    book = workbook(client.get(reverse("assessment_export", args=[team.assessment.pk])))
    assert book.sheetnames == ["Answers", "Scores", "Plan"]
    answers = {row[0]: row for row in book["Answers"].iter_rows(values_only=True) if row and row[0]}
    assert answers["city"][1] == "昆山市" and answers["year"][1] == 2026
    assert answers["S1.1"][1] == 2 and answers["S1.2"][1] == 72.5
    assert answers["G1.1"][1] == "none" and answers["G1.2"][1] == "no"
    assert answers["S1.1"][2] == INJECTION  # the comment, as text
    cell = next(c for c in book["Answers"]["C"] if c.value == INJECTION)
    assert cell.data_type == "s"  # never a formula
    scores = list(book["Scores"].iter_rows(values_only=True))
    stored = scores_of(team.assessment)
    assert scores[1][3] == round(stored.overall.score, 1) and scores[1][4] == stored.overall.level
    plan = list(book["Plan"].iter_rows(values_only=True))
    assert plan[0][3] == "Action" and {row[3] for row in plan[1:]} >= {"S-ONE-01"}


def test_the_exported_answers_import_again_to_the_same_scores(client, team, tmp_path):
    client.force_login(team.coordinator)
    book = workbook(client.get(reverse("assessment_export", args=[team.assessment.pk])))
    sheet = book["Answers"]
    for row in sheet.iter_rows():
        if row[0].value == "year":
            row[1].value = 2027  # the same answers as next year's draft
    path = tmp_path / "answers.xlsx"
    book.save(path)
    out = StringIO()
    call_command("import_answers", str(path), stdout=out)
    again = Assessment.objects.get(city=team.assessment.city, year=2027)
    before, after = scores_of(team.assessment), compute_scores(again)
    assert after.overall == before.overall
    assert after.directions == before.directions and after.dimensions == before.dimensions
    assert again.answers.get(question__code="S1.1").comment == INJECTION


def test_only_those_who_see_the_assessment_can_export_it(client, team):
    url = reverse("assessment_export", args=[team.assessment.pk])
    for user, status in [
        (team.services, 200),
        (team.consultant, 200),
        (team.admin, 200),
        (make_user(username="js", analyst_province="jiangsu"), 200),
        (make_user(username="gs", analyst_province="gansu"), 404),
        (team.other_official, 404),
        (team.other_consultant, 404),
        (team.stranger, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_portfolio_exports_carry_the_same_limits_and_filters(client, team):
    Assessment.objects.create(
        city=team.other_official.memberships.get().city,
        version=team.assessment.version,
        year=2026,
        status="submitted",
        stored_scores=team.assessment.stored_scores,
    )
    client.force_login(team.consultant)
    book = workbook(client.get(reverse("portfolio_export", args=["xlsx"])))
    assert book.sheetnames == ["Scores by city", "Answers by question", "Planned actions"]
    cities = [row[0] for row in book["Scores by city"].iter_rows(min_row=2, values_only=True)]
    assert cities == ["Kunshan"]  # only the consultant's city (English names in an English session)
    answers = list(book["Answers by question"].iter_rows(min_row=2, values_only=True))
    assert {row[3] for row in answers} == {"S1.1", "S1.2", "G1.1", "G1.2", "I1.1"}
    assert {row[0] for row in book["Planned actions"].iter_rows(min_row=2, values_only=True)} == {"Kunshan"}
    text = client.get(reverse("portfolio_export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "City" and [row[0] for row in rows[1:]] == ["Kunshan"]
    assert rows[1][1:4] == ["Jiangsu", "East", "County-level city"]  # labels, not codes
    assert sum(header.endswith("· score") for header in rows[0]) == 4
    client.force_login(team.admin)
    everything = list(
        csv.reader(io.StringIO(client.get(reverse("portfolio_export", args=["csv"])).content.decode("utf-8-sig")))
    )
    assert len(everything) == 3
    east = client.get(reverse("portfolio_export", args=["csv"]), {"region": "east"}).content.decode("utf-8-sig")
    assert [row[0] for row in list(csv.reader(io.StringIO(east)))[1:]] == ["Kunshan"]
    for user in (team.coordinator, team.stranger):
        client.force_login(user)
        assert client.get(reverse("portfolio_export", args=["xlsx"])).status_code == 404
    assert client.get(reverse("portfolio_export", args=["pdf"])).status_code == 404


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("-2") == "'-2"
    assert csv_cell("昆山市") == "昆山市" and csv_cell(12.5) == 12.5
