"""Scores out: stored on submission, show_scores and the API (FORMATS.md), permissions (SPEC §8)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.bank_file import clone_version
from assessment.lifecycle import submit_assessment
from assessment.models import Answer, Assessment, Question
from assessment.scores import scores_document
from cities.models import MembershipRole
from tests.factories import assign_consultant, make_city, make_official, make_user, make_version

pytestmark = pytest.mark.django_db


def answer(assessment, code, **values):
    question = Question.objects.get(dimension__version=assessment.version, code=code)
    return Answer.objects.create(assessment=assessment, question=question, **values)


@pytest.fixture
def assessment():
    """Hand-computed: S1.1 level 2 → 25, S1.2 72.5 with [20, 40, 60, 80] → 75, S1 = (25 + 75)/2 = 50 (L3);
    G1: checklist a ticked = 2/3 → 66.67 (w1), yes → 100 (w0.5) → (66.67 + 50)/1.5 = 77.78 (L4);
    I1: PUE 1.45 with [1.8, 1.6, 1.5, 1.3] → 75 (L4); industry has no dimension: left out.
    Overall = (2×50 + 1×77.78 + 1×75)/4 = 63.19 (L4); weakest level = min(3, 4, 4) = 3."""
    version = make_version(publish=True)
    city = make_city(name="昆山市")
    assessment = Assessment.objects.create(city=city, version=version, year=2026)
    answer(assessment, "S1.1", level=2, evidence_url="https://zwfw.example.gov.cn")
    answer(assessment, "S1.2", number=72.5)
    answer(assessment, "G1.1", items=["a"])
    answer(assessment, "G1.2", yes=True)
    answer(assessment, "I1.1", number=1.45)
    return assessment


EXPECTED = {
    "city": "昆山市",
    "year": 2026,
    "questionnaire": "test-bank",
    "engine": "1",
    "overall": {"score": 63.2, "level": 4, "weakest_level": 3, "completeness": 1.0},
    "directions": {
        "services": {"score": 50.0, "level": 3, "weakest_level": 3},
        "governance": {"score": 77.8, "level": 4, "weakest_level": 4},
        "industry": {"score": None, "level": None, "weakest_level": None},
        "infrastructure": {"score": 75.0, "level": 4, "weakest_level": 4},
    },
    "dimensions": {
        "S1": {"score": 50.0, "level": 3},
        "G1": {"score": 77.8, "level": 4},
        "I1": {"score": 75.0, "level": 4},
    },
}


def test_scores_document_matches_hand_computed_numbers(assessment):
    assert scores_document(assessment) == {"assessment": assessment.pk, **EXPECTED}


def show_scores(assessment_id):
    out = StringIO()
    call_command("show_scores", str(assessment_id), stdout=out)
    return json.loads(out.getvalue())


def test_show_scores_scores_a_draft_on_the_fly(assessment):
    assert show_scores(assessment.pk) == {"assessment": assessment.pk, **EXPECTED}
    Answer.objects.filter(question__code="S1.1").update(level=5)
    assert show_scores(assessment.pk)["dimensions"]["S1"]["score"] == 87.5  # (100 + 75)/2


def test_show_scores_of_an_unknown_assessment_fails_cleanly():
    with pytest.raises(CommandError, match="No assessment with id 999999"):
        show_scores(999999)


def test_submission_stores_scores_with_version_and_engine(assessment):
    submitted = submit_assessment(assessment)
    assert submitted.status == "submitted" and submitted.engine_version == "1"
    assert submitted.stored_scores["overall"]["level"] == 4
    assert submitted.stored_scores["overall"]["score"] == pytest.approx(63.19444, abs=1e-4)


def test_stored_scores_never_change_after_submission(assessment):
    submit_assessment(assessment)
    # Even if answers were changed behind the app's back, or the bank cloned and edited:
    Answer.objects.filter(assessment=assessment).update(level=1, number=0, yes=False, items=[])
    clone_version(assessment.version, code="test-bank-2")
    Question.objects.filter(dimension__version__code="test-bank-2").update(weight=9)
    assert show_scores(assessment.pk) == {"assessment": assessment.pk, **EXPECTED}


def test_show_scores_of_a_stored_assessment_uses_at_most_five_queries(assessment, django_assert_max_num_queries):
    submit_assessment(assessment)
    with django_assert_max_num_queries(5):
        show_scores(assessment.pk)


def test_an_assessment_cannot_be_submitted_twice(assessment):
    from django.core.exceptions import ValidationError

    submit_assessment(assessment)
    with pytest.raises(ValidationError):
        submit_assessment(assessment)


# API ---------------------------------------------------------------------------------


def api_url(assessment):
    return reverse("api_assessment_scores", args=[assessment.pk])


@pytest.fixture
def other_assessment():
    version = make_version(publish=True, code="other-bank")
    return Assessment.objects.create(city=make_city(name="定西市"), version=version, year=2026)


def roles(assessment, other_assessment):
    """Every role, with whether it may read `assessment` (not `other_assessment`)."""
    city = assessment.city
    consultant = make_user(consultant=True)
    assign_consultant(consultant, city)
    other_consultant = make_user(consultant=True)
    assign_consultant(other_consultant, other_assessment.city)
    return {
        "administrator": (make_user(staff=True), True),
        "coordinator": (make_official(city, role=MembershipRole.COORDINATOR), True),
        "respondent": (make_official(city, role=MembershipRole.RESPONDENT), True),
        "assigned consultant": (consultant, True),
        "consultant of another city": (other_consultant, False),
        "official of another city": (make_official(other_assessment.city), False),
        "user without a city": (make_user(), False),
    }


def test_api_answers_every_role_that_may_see_the_city_and_404s_the_rest(client, assessment, other_assessment):
    for role, (user, allowed) in roles(assessment, other_assessment).items():
        client.force_login(user)
        response = client.get(api_url(assessment))
        if allowed:
            assert response.status_code == 200, role
            assert response.json() == {"assessment": assessment.pk, **EXPECTED}, role
        else:
            assert response.status_code == 404, role
            assert response.json() == {"detail": "Not found."}, role


def test_api_is_404_for_anonymous_visitors(client, assessment):
    response = client.get(api_url(assessment))
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_api_is_read_only(client, assessment):
    client.force_login(make_user(staff=True))
    assert client.post(api_url(assessment)).status_code == 405


def test_api_serves_chinese_unescaped(client, assessment):
    client.force_login(make_user(staff=True))
    assert "昆山市" in client.get(api_url(assessment)).content.decode()


@pytest.mark.parametrize("submitted", [False, True])
def test_api_uses_a_constant_number_of_queries(client, assessment, submitted, django_assert_max_num_queries):
    consultant = make_user(consultant=True)
    assign_consultant(consultant, assessment.city)
    if submitted:
        submit_assessment(assessment)
    client.force_login(consultant)
    with django_assert_max_num_queries(7 if not submitted else 3):
        assert client.get(api_url(assessment)).status_code == 200
