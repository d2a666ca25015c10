"""Answers checked as they are given (issue 26): findings beside the questions on the answering page,
in every save's reply, on the overview and the submit page; submitting waits for each warning."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.consistency_file import import_rules
from assessment.lifecycle import submit_assessment
from tests.assessment.answering_helpers import make_team, post_answer

pytestmark = pytest.mark.django_db

MESSAGE = {"zh-hans": "S1.1为{S1.1}，但没有数据目录", "en": "S1.1 is {S1.1}, but there is no data catalogue"}
RULES = [
    {
        "code": "one-stop-without-catalogue",
        "kind": "cross",
        "severity": "warning",
        "when": {"question": "S1.1", "level": {"min": 4}},
        "expect": {"question": "G1.2", "answer": True},
        "message": MESSAGE,
    },
    {
        "code": "pue-range",
        "kind": "range",
        "severity": "notice",
        "question": "I1.1",
        "min": 1.0,
        "max": 3.0,
        "message": {"zh-hans": "PUE为{I1.1}", "en": "PUE of {I1.1}"},
    },
]


@pytest.fixture
def team():
    team = make_team()
    import_rules({"questionnaire": team.assessment.version.code, "rules": RULES})
    return team


def checks(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    return response.json()["checks"]


def test_a_save_brings_back_the_findings_of_the_rules_that_name_its_question(client, team):
    client.force_login(team.coordinator)
    assert checks(post_answer(client, team.assessment, "G1.2", {"yes": "no"})) == {
        "rules": ["one-stop-without-catalogue"],
        "findings": [],
    }
    found = checks(post_answer(client, team.assessment, "S1.1", {"level": "4"}))
    assert found["rules"] == ["one-stop-without-catalogue"]
    assert found["findings"] == [
        {
            "rule": "one-stop-without-catalogue",
            "questions": ["S1.1", "G1.2"],
            "codes": "S1.1, G1.2",
            "severity": "warning",
            "label": "Warning",
            "message": "S1.1 is L4, but there is no data catalogue",
            "explained_by": None,
        }
    ]
    explained = checks(
        post_answer(client, team.assessment, "G1.2", {"yes": "no", "comment": "目录正在编制"}, revision=1)
    )
    assert explained["findings"][0]["explained_by"] == "G1.2"
    resolved = checks(post_answer(client, team.assessment, "S1.1", {"level": "3"}, revision=1))
    assert resolved == {"rules": ["one-stop-without-catalogue"], "findings": []}


def test_a_finding_never_stops_a_save(client, team):
    client.force_login(team.coordinator)
    response = post_answer(client, team.assessment, "I1.1", {"number": "0.5"})
    assert response.json()["status"] == "saved"
    assert [f["rule"] for f in checks(response)["findings"]] == ["pue-range"]


def test_a_save_no_rule_names_checks_nothing(client, team):
    client.force_login(team.coordinator)
    assert checks(post_answer(client, team.assessment, "S1.2", {"number": "55"})) == {"rules": [], "findings": []}


def test_a_batch_save_checks_the_rules_naming_its_answers_once(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "G1.2", {"yes": "no"})
    url = reverse("answers_save_batch", args=[team.assessment.pk, "services"])
    body = {
        "answers": [{"question": "S1.1", "revision": 0, "level": 5}, {"question": "S1.2", "revision": 0, "number": 7}]
    }
    found = checks(client.post(url, json.dumps(body), content_type="application/json"))
    assert found["rules"] == ["one-stop-without-catalogue"]
    assert [(f["rule"], f["message"]) for f in found["findings"]] == [
        ("one-stop-without-catalogue", "S1.1 is L5, but there is no data catalogue")
    ]


def test_the_answering_page_shows_each_finding_beside_every_question_it_names(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "G1.2", {"yes": "no"})
    post_answer(client, team.assessment, "S1.1", {"level": "4"})
    for direction, code in (("services", "S1.1"), ("governance", "G1.2")):
        page = client.get(reverse("assessment_direction", args=[team.assessment.pk, direction])).content.decode()
        card = page[page.index(f'id="question-{code}"') :]
        box = card[card.index('class="findings"') : card.index("</form>")]
        assert 'data-rule="one-stop-without-catalogue"' in box
        assert "S1.1 is L4, but there is no data catalogue" in box
        assert "If the answers are right, say why in the comment of S1.1, G1.2." in box


def test_the_answering_page_speaks_chinese_by_default(chinese_client, team):
    chinese_client.force_login(team.coordinator)
    post_answer(chinese_client, team.assessment, "G1.2", {"yes": "no"})
    found = checks(post_answer(chinese_client, team.assessment, "S1.1", {"level": "4"}))
    assert found["findings"][0]["message"] == "S1.1为L4，但没有数据目录"
    assert found["findings"][0]["label"] == "警告"
    assert found["findings"][0]["codes"] == "S1.1、G1.2"


def test_submitting_waits_for_each_warning_to_be_resolved_or_explained_and_never_for_a_notice(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "G1.2", {"yes": "no"})
    post_answer(client, team.assessment, "S1.1", {"level": "4"})
    post_answer(client, team.assessment, "I1.1", {"number": "0.5"})  # a notice
    page = client.get(reverse("assessment_submit", args=[team.assessment.pk])).content.decode()
    assert "1 warning is neither resolved nor explained" in page
    assert re.search(r'<button type="submit" class="btn btn-success"[^>]* disabled', page)
    response = client.post(reverse("assessment_submit", args=[team.assessment.pk]), follow=True)
    assert "1 warning is neither resolved nor explained (S1.1/G1.2)" in response.content.decode()
    team.assessment.refresh_from_db()
    assert team.assessment.is_draft
    post_answer(client, team.assessment, "S1.1", {"level": "4", "comment": "省目录已覆盖本市各部门"}, revision=1)
    page = client.get(reverse("assessment_submit", args=[team.assessment.pk])).content.decode()
    assert "Explained in the comment of S1.1. “省目录已覆盖本市各部门”" in page
    assert "neither resolved nor explained" not in page
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    team.assessment.refresh_from_db()
    assert not team.assessment.is_draft


def test_the_lifecycle_refuses_a_submission_with_an_unexplained_warning(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "G1.2", {"yes": "no"})
    post_answer(client, team.assessment, "S1.1", {"level": "5"})
    with pytest.raises(ValidationError, match="neither resolved nor explained"):
        submit_assessment(team.assessment, user=team.coordinator)


def test_the_overview_lists_the_findings_with_links_to_their_questions(client, team):
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "4"})
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "G1.2", {"yes": "no"})
    page = client.get(reverse("assessment_overview", args=[team.assessment.pk])).content.decode()
    section = page[page.index('id="findings"') :]
    governance = reverse("assessment_direction", args=[team.assessment.pk, "governance"])
    assert f'href="{governance}#question-G1.2"' in section
    assert "S1.1 is L4, but there is no data catalogue" in section
    assert "Not explained yet" in section


def count_save(client, assessment, code, data, revision) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = post_answer(client, assessment, code, data, revision=revision)
    assert response.json()["status"] == "saved"
    return len(queries)


def test_checks_cost_a_save_no_query_unless_a_rule_names_its_question_and_then_one(client):
    team = make_team()
    client.force_login(team.coordinator)
    for code, value in (("S1.2", {"number": "40"}), ("S1.1", {"level": "2"})):
        count_save(client, team.assessment, code, value, 0)
    without_rules = {
        "S1.2": count_save(client, team.assessment, "S1.2", {"number": "41"}, 1),
        "S1.1": count_save(client, team.assessment, "S1.1", {"level": "3"}, 1),
    }
    import_rules({"questionnaire": team.assessment.version.code, "rules": RULES})
    count_save(client, team.assessment, "S1.2", {"number": "42"}, 2)  # the rules are read once per process
    assert count_save(client, team.assessment, "S1.2", {"number": "43"}, 3) == without_rules["S1.2"]
    assert count_save(client, team.assessment, "S1.1", {"level": "2"}, 2) == without_rules["S1.1"] + 1
