"""Shared set-up for the answering tests: a city with a coordinator, respondents and a draft."""

from dataclasses import dataclass

from django.urls import reverse

from assessment.answering import assign_directions
from assessment.lifecycle import start_assessment
from assessment.models import Answer, Assessment, Question
from cities.models import MembershipRole
from tests.factories import assign_consultant, make_city, make_official, make_user, make_version


@dataclass
class Team:
    assessment: Assessment
    coordinator: object
    services: object  # respondent assigned to services
    governance: object  # respondent assigned to governance
    consultant: object
    other_official: object  # of another city
    other_consultant: object
    admin: object
    stranger: object  # a user without any city


def make_team(*, version=None) -> Team:
    version = version or make_version(publish=True)
    city = make_city(name="昆山市", name_en="Kunshan")
    other = make_city(name="定西市", name_en="Dingxi", province="gansu", level="prefecture")
    coordinator = make_official(city, role=MembershipRole.COORDINATOR, username="coordinator")
    services = make_official(city, username="services")
    governance = make_official(city, username="governance")
    consultant = make_user(consultant=True, username="consultant")
    assign_consultant(consultant, city)
    other_consultant = make_user(consultant=True, username="other-consultant")
    assign_consultant(other_consultant, other)
    assessment = start_assessment(city=city, year=2026, user=coordinator)
    assign_directions(assessment=assessment, assignments={"services": [services], "governance": [governance]})
    return Team(
        assessment=assessment,
        coordinator=coordinator,
        services=services,
        governance=governance,
        consultant=consultant,
        other_official=make_official(other, username="other-official"),
        other_consultant=other_consultant,
        admin=make_user(staff=True, username="admin"),
        stranger=make_user(username="stranger"),
    )


def question(assessment, code) -> Question:
    return Question.objects.get(dimension__version=assessment.version, code=code)


def save_url(assessment, code) -> str:
    return reverse("answer_save", args=[assessment.pk, question(assessment, code).pk])


def post_answer(client, assessment, code, data, *, revision=0, json=True, files=None):
    payload = {"revision": revision, **data, **(files or {})}
    headers = {"Accept": "application/json"} if json else {}
    return client.post(save_url(assessment, code), payload, headers=headers)


def stored(assessment, code) -> Answer | None:
    return Answer.objects.filter(assessment=assessment, question__code=code).first()
