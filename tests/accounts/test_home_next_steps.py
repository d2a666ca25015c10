"""A respondent's home says what to do next: each assigned direction with its progress and a
button to the first question still unanswered."""

import pytest
from django.urls import reverse

from assessment.answering import assign_directions
from tests.assessment.answering_helpers import make_team, post_answer

pytestmark = pytest.mark.django_db


def test_each_assigned_direction_shows_progress_and_continues_at_the_first_unanswered(client):
    team = make_team()
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    page = client.get(reverse("home")).content.decode()
    services = reverse("assessment_direction", args=[team.assessment.pk, "services"])
    assert "1 of 2 answered" in page
    assert f'href="{services}#question-S1.2"' in page and "Continue" in page


def test_a_finished_direction_offers_a_review_and_an_untouched_one_a_start(client):
    team = make_team()
    mine = {"services": [team.services], "infrastructure": [team.services]}
    assign_directions(assessment=team.assessment, assignments=mine)
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    post_answer(client, team.assessment, "S1.2", {"number": "50"})
    page = client.get(reverse("home")).content.decode()
    assert "All answered: review" in page and "2 of 2 answered" in page
    infrastructure = reverse("assessment_direction", args=[team.assessment.pk, "infrastructure"])
    assert f'href="{infrastructure}#question-I1.1"' in page and "Start answering" in page


def test_a_submitted_assessments_directions_are_no_longer_listed(client):
    team = make_team()
    client.force_login(team.coordinator)
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    client.force_login(team.services)
    assert 'id="assignments"' not in client.get(reverse("home")).content.decode()


def test_the_home_page_queries_do_not_grow_with_the_assignments(client, django_assert_max_num_queries):
    team = make_team()
    client.force_login(team.services)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("home"))
    every = {d: [team.services] for d in ("services", "governance", "infrastructure")}
    assign_directions(assessment=team.assessment, assignments=every)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("home"))
