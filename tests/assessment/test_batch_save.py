"""Saving many answers of a direction in one request, and the SQL queries one save and one batch take."""

import json

import pytest
from django.urls import reverse

from assessment.bank_file import import_bank
from assessment.lifecycle import start_assessment, submit_assessment
from assessment.models import Answer, Question
from cities.models import MembershipRole
from tests.assessment.answering_helpers import make_team, post_answer, stored
from tests.factories import bank_with_questions, make_city, make_official

pytestmark = pytest.mark.django_db


def batch_url(assessment, direction="services"):
    return reverse("answers_save_batch", args=[assessment.pk, direction])


def post_batch(client, assessment, answers, direction="services"):
    body = json.dumps({"answers": answers})
    return client.post(batch_url(assessment, direction), body, content_type="application/json")


def outcome(response) -> dict:
    return {entry["question"]: entry for entry in response.json()["answers"]}


# What a batch saves -----------------------------------------------------------------------


def test_a_batch_saves_every_kind_of_answer_and_reports_progress(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    response = post_batch(
        client,
        a,
        [
            {"question": "S1.1", "revision": 0, "level": 4, "comment": "一网通办"},
            {"question": "S1.2", "revision": 0, "number": 55},
        ],
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "saved"
    assert [entry["status"] for entry in data["answers"]] == ["saved"] * 2
    assert stored(a, "S1.1").level == 4 and stored(a, "S1.1").comment == "一网通办"
    assert stored(a, "S1.2").number == 55
    assert outcome(response)["S1.1"]["answer"]["revision"] == 1
    assert data["progress"]["overall"]["answered"] == 2
    assert data["progress"]["directions"]["services"] == {"answered": 2, "total": 2, "percent": 100}
    assert stored(a, "S1.1").answered_by == team.services


def test_yes_no_checklist_and_not_applicable_are_read_like_the_page_posts_them(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.governance)
    checklist = Question.objects.get(dimension__version=a.version, code="G1.1")
    yes_no = Question.objects.get(dimension__version=a.version, code="G1.2")
    item = checklist.checklist_items.order_by("position").first()
    response = post_batch(
        client,
        a,
        [
            {"question": yes_no.code, "revision": 0, "yes": False},
            {"question": checklist.code, "revision": 0, "items": [item.code]},
        ],
        direction="governance",
    )
    assert response.json()["status"] == "saved", response.content
    assert stored(a, yes_no.code).yes is False
    assert stored(a, checklist.code).items == [item.code]
    post_batch(client, a, [{"question": checklist.code, "revision": 1, "not_applicable": True}], direction="governance")
    assert stored(a, checklist.code).not_applicable and stored(a, checklist.code).items is None
    post_batch(client, a, [{"question": checklist.code, "revision": 2, "items": []}], direction="governance")
    assert stored(a, checklist.code).items == []  # "none of these" is an answer


def test_a_stale_answer_is_a_conflict_and_not_written_while_the_others_are(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "2"})  # revision 1 now
    post_answer(client, a, "S1.1", {"level": "3"}, revision=1)  # a colleague: revision 2
    response = post_batch(
        client,
        a,
        [
            {"question": "S1.1", "revision": 1, "level": 5},
            {"question": "S1.2", "revision": 0, "number": 30},
        ],
    )
    results = outcome(response)
    assert response.json()["status"] == "partial"
    assert results["S1.1"]["status"] == "conflict"
    assert results["S1.1"]["theirs"]["level"] == 3 and results["S1.1"]["theirs"]["display"].startswith("L3")
    assert stored(a, "S1.1").level == 3 and stored(a, "S1.1").revision == 2
    assert results["S1.2"]["status"] == "saved" and stored(a, "S1.2").number == 30


def test_resending_what_is_already_stored_is_no_conflict(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "2"})
    response = post_batch(client, a, [{"question": "S1.1", "revision": 0, "level": 2}])
    assert outcome(response)["S1.1"]["status"] == "saved"
    assert stored(a, "S1.1").revision == 1  # nothing written twice


def test_invalid_answers_are_reported_one_by_one_and_the_valid_ones_saved(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    response = post_batch(
        client,
        a,
        [
            {"question": "S1.1", "revision": 0, "level": 9},
            {"question": "S1.2", "revision": 0, "number": 1e308},
            {"question": "G1.2", "revision": 0, "yes": True},
        ],
    )
    results = outcome(response)
    assert response.status_code == 200 and response.json()["status"] == "partial"
    assert results["S1.1"]["status"] == "invalid" and "level" in results["S1.1"]["errors"]
    assert results["S1.2"]["status"] == "invalid" and "number" in results["S1.2"]["errors"]
    assert results["G1.2"]["status"] == "invalid"  # another direction than the batch's
    unknown_field = {"question": "S1.2", "revision": 0, "colour": "blue", "number": 2}
    response = post_batch(client, a, [{"question": "S1.1", "level": 3}, unknown_field])
    results = outcome(response)
    assert "revision" in results["S1.1"]["errors"]
    assert "colour" in results["S1.2"]["errors"]["question"][0]
    assert not Answer.objects.filter(assessment=a).exists()
    no_revision = {"question": "S1.2", "number": 1}
    response = post_batch(client, a, [{"question": "S1.1", "revision": 0, "level": 3}, no_revision])
    assert [r["status"] for r in response.json()["answers"]] == ["saved", "invalid"]
    assert set(Answer.objects.filter(assessment=a).values_list("question__code", flat=True)) == {"S1.1"}


def test_the_comment_and_link_are_kept_when_an_entry_leaves_them_out(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "2", "comment": "见附件", "evidence_url": "https://example.org/a"})
    post_batch(client, a, [{"question": "S1.1", "revision": 1, "level": 3}])
    answer = stored(a, "S1.1")
    assert (answer.level, answer.comment, answer.evidence_url) == (3, "见附件", "https://example.org/a")


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", "not JSON"),
        (b'{"answers": []}', "at least one answer"),
        (b"[1, 2]", "at least one answer"),
        (b'{"answers": [{"revision": 0}]}', "names no question"),
        (b'{"answers": [{"question": "S1.1", "revision": 0}, {"question": "S1.1", "revision": 0}]}', "twice"),
        (b"[" * 10000 + b"]" * 10000, "not JSON"),
    ],
)
def test_a_body_that_is_not_a_batch_gets_a_clear_message_and_saves_nothing(client, body, message):
    team = make_team()
    client.force_login(team.services)
    response = client.post(batch_url(team.assessment), body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["errors"]["batch"][0]
    assert not Answer.objects.filter(assessment=team.assessment).exists()


# Who may save a batch ---------------------------------------------------------------------


def test_only_those_who_may_answer_the_direction_can_save_a_batch(client):
    team = make_team()
    a = team.assessment
    answers = [{"question": "S1.1", "revision": 0, "level": 4}]
    for user in (team.governance, team.consultant, team.other_official, team.other_consultant, team.stranger):
        client.force_login(user)
        assert post_batch(client, a, answers).status_code == 404, user
    client.logout()
    assert post_batch(client, a, answers).status_code == 401
    assert not Answer.objects.filter(assessment=a).exists()
    for user in (team.services, team.coordinator, team.admin):
        client.force_login(user)
        answers = [{"question": "S1.1", "revision": stored(a, "S1.1").revision if stored(a, "S1.1") else 0, "level": 4}]
        assert post_batch(client, a, answers).json()["status"] == "saved", user


def test_a_submitted_assessment_takes_no_batch(client):
    team = make_team()
    submit_assessment(team.assessment, user=team.coordinator)
    client.force_login(team.coordinator)
    response = post_batch(client, team.assessment, [{"question": "S1.1", "revision": 0, "level": 4}])
    assert response.status_code == 409 and response.json()["status"] == "submitted"  # JSON the page understands
    assert not Answer.objects.filter(assessment=team.assessment).exists()


def test_an_unknown_direction_is_not_found(client):
    team = make_team()
    client.force_login(team.coordinator)
    assert post_batch(client, team.assessment, [{"question": "S1.1", "revision": 0}], direction="x").status_code == 404


# Queries ------------------------------------------------------------------------------------


def big_assessment(count=480):
    """A bank of `count` questions (120 per direction for 480), a respondent and a coordinator."""
    version = import_bank(bank_with_questions(count, code=f"bank-{count}"), publish=True)
    city = make_city()
    coordinator = make_official(city, role=MembershipRole.COORDINATOR)
    assessment = start_assessment(city=city, year=2026, user=coordinator)
    questions = list(Question.objects.filter(dimension__version=version, dimension__direction="services"))
    return assessment, coordinator, questions


def entry_for(question, revision=0):
    """A value for `question`; another one for each revision, so that every save changes the answer."""
    changed = revision % 2
    value = {
        "level": {"level": 3 + changed},
        "yes_no": {"yes": not changed},
        "checklist": {"items": ["b"] if changed else ["a"]},
        "number": {"number": 42 + changed},
    }
    return {"question": question.code, "revision": revision, **value[question.type]}


@pytest.mark.parametrize("kind", ["level", "yes_no", "checklist", "number"])
def test_one_save_takes_at_most_ten_queries_new_or_changed(client, kind, django_assert_max_num_queries):
    assessment, coordinator, questions = big_assessment(40)
    question = next(q for q in questions if q.type == kind)
    client.force_login(coordinator)
    client.get(reverse("assessment_direction", args=[assessment.pk, "services"]))  # the bank is read once
    url = reverse("answer_save", args=[assessment.pk, question.pk])
    for revision in (0, 1):  # new, then changed
        data = {"level": {"level": str(3 + revision)}, "yes_no": {"yes": ["yes", "no"][revision]}}
        data |= {"checklist": {"items": "ab"[revision], "answered": "1"}, "number": {"number": str(42 + revision)}}
        with django_assert_max_num_queries(10):
            response = client.post(url, {"revision": revision, **data[kind]}, headers={"Accept": "application/json"})
        assert response.json()["status"] == "saved"
    assert Answer.objects.get(assessment=assessment, question=question).revision == 2


def test_a_batch_of_120_answers_takes_at_most_fifteen_queries(client, django_assert_max_num_queries):
    assessment, coordinator, questions = big_assessment(480)
    assert len(questions) == 120
    client.force_login(coordinator)
    post_batch(client, assessment, [entry_for(q) for q in questions[:60]])  # half stored already
    client.get(reverse("assessment_direction", args=[assessment.pk, "services"]))
    batch = [entry_for(q, revision=1 if i < 60 else 0) for i, q in enumerate(questions)]
    with django_assert_max_num_queries(15):
        response = post_batch(client, assessment, batch)
    assert response.json()["status"] == "saved"
    assert Answer.objects.filter(assessment=assessment).count() == 120
    assert set(Answer.objects.filter(assessment=assessment).values_list("revision", flat=True)) == {1, 2}
    assert response.json()["progress"]["directions"]["services"] == {"answered": 120, "total": 120, "percent": 100}
