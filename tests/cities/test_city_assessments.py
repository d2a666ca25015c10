"""The city page lists the city's assessments, past ones included, for everyone who may see it."""

import pytest
from django.urls import reverse

from tests.assessment.answering_helpers import make_team, post_answer

pytestmark = pytest.mark.django_db


def test_the_city_page_links_every_assessment_with_its_status_and_report(client):
    team = make_team()
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    for user in (team.services, team.consultant):
        client.force_login(user)
        page = client.get(reverse("city_detail", args=[team.assessment.city_id])).content.decode()
        assert 'id="city-assessments"' in page
        assert reverse("assessment_overview", args=[team.assessment.pk]) in page
        assert reverse("assessment_report", args=[team.assessment.pk]) in page


def test_nobody_else_reaches_the_city_page(client):
    team = make_team()
    for user in (team.other_official, team.other_consultant, team.stranger):
        client.force_login(user)
        assert client.get(reverse("city_detail", args=[team.assessment.city_id])).status_code == 404
