"""The levels explained in plain words where they first appear, with the method one click away."""

import pytest
from django.urls import reverse

from tests.assessment.answering_helpers import make_team, post_answer

pytestmark = pytest.mark.django_db

EXPLANATION = "What the levels, the weakest link and completeness mean"


def test_the_method_page_explains_levels_weakest_link_completeness_and_evidence(client, chinese_client):
    team = make_team()
    client.force_login(team.services)
    page = client.get(reverse("method")).content.decode()
    for words in ("Just starting", "Leading:", "Weakest link", "Completeness", "expect evidence", "L2 from 20"):
        assert words in page
    chinese_client.force_login(team.services)
    assert "短板等级" in chinese_client.get(reverse("method")).content.decode()


def test_the_method_page_needs_a_login(client):
    assert client.get(reverse("method")).status_code == 302


def test_the_answering_page_the_overview_and_the_report_explain_the_levels(client):
    team = make_team()
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    method = reverse("method")
    for url in (
        reverse("assessment_direction", args=[team.assessment.pk, "services"]),
        reverse("assessment_overview", args=[team.assessment.pk]),
    ):
        page = client.get(url).content.decode()
        assert EXPLANATION in page and f'href="{method}"' in page
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    report = client.get(reverse("assessment_report", args=[team.assessment.pk])).content.decode()
    assert EXPLANATION in report and f'href="{method}"' in report
