"""Saving again what is stored changes nothing: not the author, the time or the revision, and never a
carried answer's review flag; a carried answer is confirmed only when the user says so."""

import json

import pytest
from django.urls import reverse

from assessment.bank_file import import_bank
from assessment.lifecycle import carry_over, submit_assessment
from assessment.models import Answer
from tests.assessment.answering_helpers import make_team, post_answer, stored
from tests.assessment.test_bank_mapping import next_bank

pytestmark = pytest.mark.django_db


def post_batch(client, assessment, answers, direction="services"):
    url = reverse("answers_save_batch", args=[assessment.pk, direction])
    return client.post(url, json.dumps({"answers": answers}), content_type="application/json")


def record(assessment) -> dict:
    return {
        a.question.code: (a.revision, a.answered_by_id, a.answered_at, a.needs_review)
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }


def test_a_batch_equal_to_the_stored_answers_changes_no_revision_author_or_time(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "3", "comment": "见附件"})
    post_answer(client, a, "S1.2", {"number": "40", "evidence_url": "https://example.org/s"})
    before = record(a)
    client.force_login(team.coordinator)  # a colleague clicks "Save all" on the unchanged page
    response = post_batch(
        client,
        a,
        [
            {"question": "S1.1", "revision": 1, "level": 3, "comment": "见附件", "evidence_url": ""},
            {"question": "S1.2", "revision": 1, "number": "40", "comment": "", "evidence_url": "https://example.org/s"},
        ],
    )
    assert response.json()["status"] == "saved"
    assert [r["answer"]["revision"] for r in response.json()["answers"]] == [1, 1]
    assert record(a) == before
    assert stored(a, "S1.1").answered_by == team.services


def test_an_unchanged_single_save_is_not_written_either(client):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "3"})
    before = record(a)
    client.force_login(team.coordinator)
    response = post_answer(client, a, "S1.1", {"level": "3"}, revision=1)
    assert response.json()["status"] == "saved" and response.json()["answer"]["by"] == str(team.services)
    assert record(a) == before


@pytest.fixture
def carried(client):
    """A 2026 draft on the next bank, carried from a submitted 2025 assessment: S1.1 and G1.2 flagged."""
    team = make_team()
    source = team.assessment
    client.force_login(team.coordinator)
    post_answer(client, source, "S1.1", {"level": "4"})
    post_answer(client, source, "S1.2", {"number": "72.5"})
    submit_assessment(source, user=team.coordinator)
    successor = import_bank(next_bank(), publish=True)
    draft = carry_over(source, version=successor, year=2027, user=team.coordinator)
    assert stored(draft, "S1.1").needs_review
    return draft


def test_saving_the_carried_answers_as_they_stand_leaves_every_review_flag(client, carried):
    before = record(carried)
    s11, s12 = stored(carried, "S1.1"), stored(carried, "S1.2")
    entries = [
        {"question": "S1.1", "revision": s11.revision, "level": s11.level, "comment": s11.comment},
        {"question": "S1.2", "revision": s12.revision, "number": s12.number, "comment": s12.comment},
    ]
    response = post_batch(client, carried, entries)
    assert response.json()["status"] == "saved"
    assert response.json()["answers"][0]["answer"]["needs_review"] is True
    assert record(carried) == before


def test_a_carried_answer_is_confirmed_only_when_asked(client, carried):
    s11 = stored(carried, "S1.1")
    entry = {"question": "S1.1", "revision": s11.revision, "level": s11.level, "confirm": True}
    response = post_batch(client, carried, [entry])
    assert response.json()["answers"][0]["answer"]["needs_review"] is False
    confirmed = stored(carried, "S1.1")
    assert not confirmed.needs_review and confirmed.revision == s11.revision + 1 and confirmed.level == s11.level


def test_the_cards_confirm_button_confirms_a_carried_answer_without_javascript_too(client, carried):
    s11 = stored(carried, "S1.1")
    url = reverse("answer_save", args=[carried.pk, s11.question.pk])
    client.post(url, {"revision": s11.revision, "level": str(s11.level), "confirm": "1"})
    confirmed = stored(carried, "S1.1")
    assert not confirmed.needs_review and confirmed.level == s11.level


def test_a_save_after_submission_without_javascript_says_so_on_the_page(client):
    team = make_team()
    submit_assessment(team.assessment, user=team.coordinator)
    client.force_login(team.coordinator)
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"}, json=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "has been submitted: answers can no longer be changed" in page
    assert stored(team.assessment, "S1.1") is None
