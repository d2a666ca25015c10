"""Demo respondents answer the directions their departments stand for (README, demo accounts)."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessment.models import Assessment, Direction

pytestmark = pytest.mark.django_db


def directions_of(assessment, username):
    return set(assessment.assignments.filter(respondent__username=username).values_list("direction", flat=True))


def test_kunshan_services_answers_services_and_kunshan_industry_answers_industry():
    call_command("seed_demo", stdout=StringIO())
    draft = Assessment.objects.get(city__name_zh="昆山市", year=2026)
    assert directions_of(draft, "kunshan-services") == {"services", "governance"}
    assert directions_of(draft, "kunshan-industry") == {"industry", "infrastructure"}


def test_a_city_with_one_demo_respondent_gives_them_every_direction():
    call_command("seed_demo", stdout=StringIO())
    draft = Assessment.objects.get(city__name_zh="定西市", year=2026)
    assert directions_of(draft, "dingxi-respondent") == set(Direction.values)
