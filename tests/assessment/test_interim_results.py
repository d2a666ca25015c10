"""A draft shows what its answers score so far: on the overview and, until submission, on the
report page instead of a dead end; clearly provisional, with what it rests on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.bank_file import import_bank
from assessment.lifecycle import start_assessment
from cities.models import MembershipRole
from tests.assessment.answering_helpers import make_team, post_answer
from tests.factories import bank_with_questions, make_city, make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def overview(client, team) -> str:
    return client.get(reverse("assessment_overview", args=[team.assessment.pk])).content.decode()


def test_a_drafts_overview_shows_provisional_scores_levels_and_radar(client, team):
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "4", "evidence_url": "https://example.gov.cn/plan"})
    post_answer(client, team.assessment, "S1.2", {"number": "30"})
    page = overview(client, team)
    assert 'id="interim-results"' in page and "Provisional" in page
    assert "Based on 2 of 5 questions (40 %); 50 % of the answers have evidence." in page
    # S1.1 at L4 scores 75, S1.2 at 30 % scores 25 (L2 band): services is their mean, 50.0, L3
    assert "<svg" in page and "50.0" in page
    assert "What the levels, the weakest link and completeness mean" in page


def test_a_draft_with_no_answers_says_results_appear_with_the_first_answers(client, team):
    client.force_login(team.coordinator)
    page = overview(client, team)
    assert 'id="interim-empty"' in page and "<svg" not in page


def test_a_submitted_assessment_shows_its_stored_results_not_provisional_ones(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "4"})
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    page = overview(client, team)
    assert 'id="interim-results"' not in page and "Provisional" not in page
    assert 'id="stored-results"' in page and "Stored on submission" in page and "<svg" in page


def test_the_report_page_of_a_draft_offers_the_preview(client, team):
    client.force_login(team.consultant)
    post_answer_as(client, team, "S1.1", {"level": "2"})
    client.force_login(team.consultant)
    page = client.get(reverse("assessment_report", args=[team.assessment.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="report-not-ready"' in body and 'id="interim-results"' in body
    assert reverse("assessment_plan", args=[team.assessment.pk]) in body


def post_answer_as(client, team, code, data):
    client.force_login(team.services)
    post_answer(client, team.assessment, code, data)


@pytest.mark.parametrize("who", ["other_official", "other_consultant", "stranger"])
def test_nobody_else_sees_a_drafts_provisional_results(client, team, who):
    post_answer_as(client, team, "S1.1", {"level": "2"})
    client.force_login(getattr(team, who))
    assert client.get(reverse("assessment_report", args=[team.assessment.pk])).status_code == 404
    assert client.get(reverse("assessment_overview", args=[team.assessment.pk])).status_code == 404


def test_the_overview_links_each_direction_to_its_first_unanswered_question(client, team):
    post_answer_as(client, team, "S1.1", {"level": "2"})
    client.force_login(team.coordinator)
    page = overview(client, team)
    services = reverse("assessment_direction", args=[team.assessment.pk, "services"])
    assert f'href="{services}#question-S1.2"' in page


def test_the_assignment_form_is_a_visible_step_not_folded(client, team):
    client.force_login(team.coordinator)
    page = overview(client, team)
    assert 'id="assign"' in page and '<details class="mb-3"' not in page
    team.assessment.assignments.all().delete()
    assert 'id="assign-first"' in overview(client, team)


def test_the_whole_unanswered_list_can_be_shown(client):
    import_bank(bank_with_questions(40), publish=True)
    city = make_city(name="沭阳县", level="county")
    coordinator = make_official(city, role=MembershipRole.COORDINATOR, username="coordinator")
    assessment = start_assessment(city=city, year=2026, user=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("assessment_overview", args=[assessment.pk])).content.decode()
    assert "40 questions still unanswered" in page and 'id="unanswered-rest"' in page
    for i in range(40):
        assert f'#question-Q{i}"' in page


def overview_queries(client, questions: int) -> int:
    import_bank(bank_with_questions(questions, code=f"bank-{questions}"), publish=True)
    city = make_city(name=f"城{questions}", level="county")
    coordinator = make_official(city, role=MembershipRole.COORDINATOR, username=f"coordinator{questions}")
    assessment = start_assessment(city=city, year=2026, user=coordinator)
    client.force_login(coordinator)
    client.get(reverse("assessment_overview", args=[assessment.pk]))  # the session, once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("assessment_overview", args=[assessment.pk])).status_code == 200
    return len(queries)


def test_the_overview_with_its_results_takes_the_same_queries_for_any_bank(client):
    small, large = overview_queries(client, 8), overview_queries(client, 80)
    assert small == large and small <= 20, (small, large)
