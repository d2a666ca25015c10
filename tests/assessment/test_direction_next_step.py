"""The end of a direction page says where to go next, so a phone user never hits a dead end."""

import pytest
from django.urls import reverse

from assessment.answering import assign_directions
from tests.assessment.answering_helpers import make_team, post_answer

pytestmark = pytest.mark.django_db


def page(client, team, direction) -> str:
    return client.get(reverse("assessment_direction", args=[team.assessment.pk, direction])).content.decode()


def test_a_respondent_is_sent_on_to_their_next_unfinished_direction(client):
    team = make_team()
    mine = {"services": [team.services], "infrastructure": [team.services]}
    assign_directions(assessment=team.assessment, assignments=mine)
    client.force_login(team.services)
    body = page(client, team, "services")
    assert reverse("assessment_direction", args=[team.assessment.pk, "infrastructure"]) + '"' in body
    assert "Next: Infrastructure" in body and reverse("assessment_overview", args=[team.assessment.pk]) in body


def test_with_one_direction_only_the_overview_is_offered(client):
    team = make_team()
    client.force_login(team.governance)
    body = page(client, team, "governance")
    assert "Back to the overview" in body and "Next:" not in body


def test_a_reader_moves_through_all_directions_and_is_not_told_to_add_evidence(client):
    team = make_team()
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    client.force_login(team.consultant)
    body = page(client, team, "services")
    assert "Next: Governance" in body
    assert "still missing" not in body and "answered by the officials assigned to it" in body
