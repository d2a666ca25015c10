"""Every assessment view and download, visited as every role (SPEC §8): the allowed see it, others get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.answering import save_answer
from assessment.models import Assessment
from tests.assessment.answering_helpers import make_team, question

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "services",
    "governance",
    "consultant",
    "admin",
    "other_official",
    "other_consultant",
    "stranger",
]
SEES = {"coordinator", "services", "governance", "consultant", "admin"}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = make_team()
    answer = save_answer(
        assessment=team.assessment,
        question=question(team.assessment, "S1.1"),
        values={"level": 3},
        base_revision=0,
        user=team.services,
        evidence_file=SimpleUploadedFile("p.pdf", b"%PDF-1.4"),
    ).answer
    return team, answer


def read_urls(assessment, answer):
    pk = assessment.pk
    return {
        "overview": reverse("assessment_overview", args=[pk]),
        "services page": reverse("assessment_direction", args=[pk, "services"]),
        "governance page": reverse("assessment_direction", args=[pk, "governance"]),
        "evidence": reverse("answer_evidence", args=[pk, answer.pk]),
        "scores API": reverse("api_assessment_scores", args=[pk]),
        "city": reverse("city_detail", args=[assessment.city_id]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_reading_views_as_every_role(client, world, role):
    team, answer = world
    client.force_login(getattr(team, role))
    for name, url in read_urls(team.assessment, answer).items():
        status = client.get(url).status_code
        assert status == (200 if role in SEES else 404), f"{role} → {name}: {status}"


WRITES = {
    # view: roles allowed to use it on a draft
    "save services answer": {"coordinator", "services", "admin"},
    "save governance answer": {"coordinator", "governance", "admin"},
    "assign": {"coordinator", "admin"},
    "submit page": {"coordinator", "admin"},
    "start": {"coordinator", "admin"},
}


def write_request(client, team, name):
    a = team.assessment
    if name == "save services answer":
        url = reverse("answer_save", args=[a.pk, question(a, "S1.2").pk])
        return client.post(url, {"revision": 0, "number": "10"}, headers={"Accept": "application/json"})
    if name == "save governance answer":
        url = reverse("answer_save", args=[a.pk, question(a, "G1.2").pk])
        return client.post(url, {"revision": 0, "yes": "yes"}, headers={"Accept": "application/json"})
    if name == "assign":
        return client.post(reverse("assessment_assign", args=[a.pk]), {"services": [team.services.pk]})
    if name == "submit page":
        return client.get(reverse("assessment_submit", args=[a.pk]))
    return client.get(reverse("assessment_start", args=[a.city_id]))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITES))
def test_changing_views_as_every_role(client, world, role, name):
    team, _ = world
    client.force_login(getattr(team, role))
    status = write_request(client, team, name).status_code
    allowed = role in WRITES[name]
    assert (status in (200, 302)) == allowed, f"{role} → {name}: {status}"
    if not allowed:
        assert status == 404


@pytest.mark.parametrize("role", ROLES)
def test_reopen_as_every_role(client, world, role):
    team, _ = world
    Assessment.objects.filter(pk=team.assessment.pk).update(status="submitted")
    client.force_login(getattr(team, role))
    response = client.post(reverse("assessment_reopen", args=[team.assessment.pk]), {"reason": "复核"})
    allowed = role in {"consultant", "admin"}
    assert response.status_code == (302 if allowed else 404), role
    assert Assessment.objects.get(pk=team.assessment.pk).is_draft == allowed


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, world):
    team, answer = world
    for name, url in read_urls(team.assessment, answer).items():
        response = client.get(url)
        if name == "scores API":
            assert response.status_code == 404
        else:
            assert response.status_code == 302 and reverse("login") in response["Location"], name


def test_another_citys_question_cannot_be_saved_through_this_assessment(client, world):
    team, _ = world
    from tests.factories import make_version

    foreign = make_version(publish=True, code="foreign-bank")
    foreign_question = foreign.dimensions.first().questions.first()
    client.force_login(team.coordinator)
    url = reverse("answer_save", args=[team.assessment.pk, foreign_question.pk])
    assert client.post(url, {"revision": 0, "level": "3"}).status_code == 404


def test_evidence_of_another_assessment_is_not_reachable_through_this_one(client, world):
    team, answer = world
    from assessment.lifecycle import start_assessment

    other = start_assessment(city=team.other_official.memberships.get().city, year=2026, user=team.admin)
    client.force_login(team.other_official)
    assert client.get(reverse("answer_evidence", args=[other.pk, answer.pk])).status_code == 404
