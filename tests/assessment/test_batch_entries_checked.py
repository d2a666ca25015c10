"""A batch entry of the wrong type, or N/A where it is not allowed, is refused and the stored answer kept."""

import json

import pytest
from django.urls import reverse

from tests.assessment.answering_helpers import make_team, post_answer, question, stored

pytestmark = pytest.mark.django_db


def post_batch(client, assessment, answers, direction="services"):
    url = reverse("answers_save_batch", args=[assessment.pk, direction])
    return client.post(url, json.dumps({"answers": answers}), content_type="application/json")


@pytest.fixture
def answered(client):
    """A governance respondent logged in, with G1.2 (yes/no) answered yes and G1.1 (checklist) ['a']."""
    team = make_team()
    client.force_login(team.governance)
    post_answer(client, team.assessment, "G1.2", {"yes": "yes"})
    post_answer(client, team.assessment, "G1.1", {"items": "a", "answered": "1"})
    return team.assessment


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"question": "G1.2", "yes": "yes"}, "yes"),
        ({"question": "G1.2", "yes": 1}, "yes"),
        ({"question": "G1.2", "level": 3}, "level"),
        ({"question": "G1.2", "number": 5}, "number"),
        ({"question": "G1.1", "items": "a"}, "items"),
        ({"question": "G1.1", "items": [1]}, "items"),
        ({"question": "G1.1", "not_applicable": "yes"}, "not_applicable"),
        ({"question": "G1.2", "comment": 7}, "comment"),
        ({"question": "G1.2", "evidence_url": ["https://example.org"]}, "evidence_url"),
        ({"question": "G1.2", "confirm": "yes"}, "confirm"),
    ],
)
def test_an_entry_of_the_wrong_type_is_invalid_and_the_stored_answer_stays(client, answered, entry, field):
    before = stored(answered, entry["question"])
    response = post_batch(client, answered, [{"revision": 1, **entry}], direction="governance")
    result = response.json()["answers"][0]
    assert result["status"] == "invalid" and field in result["errors"], result
    after = stored(answered, entry["question"])
    assert (after.yes, after.items, after.revision) == (before.yes, before.items, 1)


def test_not_applicable_where_the_question_does_not_allow_it_is_refused(client, answered):
    assert not question(answered, "G1.2").allow_na
    response = post_batch(client, answered, [{"question": "G1.2", "revision": 1, "not_applicable": True}], "governance")
    result = response.json()["answers"][0]
    assert result["status"] == "invalid" and "not applicable" in " ".join(sum(result["errors"].values(), []))
    assert stored(answered, "G1.2").yes is True
    # The single save refuses it the same way.
    response = post_answer(client, answered, "G1.2", {"not_applicable": "on"}, revision=1)
    assert response.status_code == 400 and stored(answered, "G1.2").yes is True


def test_a_number_may_come_as_text_as_the_page_sends_it(client):
    team = make_team()
    client.force_login(team.services)
    response = post_batch(client, team.assessment, [{"question": "S1.2", "revision": 0, "number": "55.5"}])
    assert response.json()["answers"][0]["status"] == "saved"
    assert stored(team.assessment, "S1.2").number == 55.5
