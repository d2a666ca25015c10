"""Evidence is encouraged: a question that expects it says so beside the answer, progress shows
the evidenced share, and submitting with little evidence names the questions without it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.scores import compute_scores
from tests.assessment.answering_helpers import make_team, post_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def direction_page(client, team, direction="services") -> str:
    return client.get(reverse("assessment_direction", args=[team.assessment.pk, direction])).content.decode()


def test_a_question_expecting_evidence_says_so_beside_the_answer(client, team):
    client.force_login(team.services)
    page = direction_page(client, team)
    assert "Evidence expected: a link or a file that shows this answer" in page
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    assert "Evidence expected and still missing" in direction_page(client, team)
    post_answer(client, team.assessment, "S1.1", {"level": "3", "evidence_url": "https://x.gov.cn/a"}, revision=1)
    assert "still missing" not in direction_page(client, team)


def test_progress_shows_the_share_of_answers_with_evidence(client, team):
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "3", "evidence_url": "https://x.gov.cn/a"})
    response = post_answer(client, team.assessment, "S1.2", {"number": "50"})
    assert response.json()["progress"]["overall"]["evidence_percent"] == 50
    assert '<span class="overall-evidence">50</span>%' in direction_page(client, team)


def test_not_applicable_answers_do_not_count_against_the_evidence_share(client, team):
    client.force_login(team.governance)
    post_answer(client, team.assessment, "G1.1", {"not_applicable": "on"})
    response = post_answer(client, team.assessment, "G1.2", {"yes": "yes", "evidence_url": "https://x.gov.cn/b"})
    assert response.json()["progress"]["overall"]["evidence_percent"] == 100


def test_submitting_with_little_evidence_names_the_questions_without_it(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    post_answer(client, team.assessment, "S1.2", {"number": "50"})
    page = client.get(reverse("assessment_submit", args=[team.assessment.pk])).content.decode()
    assert "1 question that expects evidence has none" in page and 'id="without-evidence"' in page
    assert "Less than half of the answers have evidence. Questions that expect evidence and have none: S1.1." in page
    assert 'id="little-evidence"' in page


def test_enough_evidence_asks_the_plain_confirmation(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "3", "evidence_url": "https://x.gov.cn/a"})
    page = client.get(reverse("assessment_submit", args=[team.assessment.pk])).content.decode()
    assert "without-evidence" not in page and "little-evidence" not in page
    assert "Submit now? The answers become read-only" in page


def test_the_confirmation_counts_the_unanswered_and_names_directions_with_no_answer(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "3", "evidence_url": "https://x.gov.cn/a"})
    page = client.get(reverse("assessment_submit", args=[team.assessment.pk])).content.decode()
    assert "4 questions are unanswered and will not count in the scores." in page
    assert "No answer at all in: Governance, Infrastructure." in page


def test_an_uploaded_file_counts_as_evidence_in_the_scores_as_in_the_progress(client, team):
    client.force_login(team.services)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"}, files={"evidence_file": pdf})
    assert response.status_code == 200, response.content
    assert response.json()["progress"]["overall"]["evidence_percent"] == 100
    assert compute_scores(team.assessment).completeness.with_evidence == 1
