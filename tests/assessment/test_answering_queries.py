"""The direction page and a save use the same number of SQL queries with 20 questions as with 120."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.bank_file import import_bank
from assessment.lifecycle import start_assessment
from assessment.models import Answer, Question
from cities.models import MembershipRole
from tests.factories import bank_with_questions, make_city, make_official

pytestmark = pytest.mark.django_db


def setup_assessment(count, code):
    version = import_bank(bank_with_questions(count, code=code), publish=True)
    city = make_city()
    coordinator = make_official(city, role=MembershipRole.COORDINATOR)
    assessment = start_assessment(city=city, year=2026, user=coordinator)
    questions = Question.objects.filter(dimension__version=version).order_by("pk")
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, not_applicable=False, level=None, comment="已答")
        for q in questions[: count // 2]
    )
    return assessment, coordinator, questions


def count_queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def measure(client, count):
    # The version is the current one for start_assessment: publish the bank just before.
    assessment, coordinator, questions = setup_assessment(count, code=f"bank-{count}")
    client.force_login(coordinator)
    page = count_queries(client, "get", reverse("assessment_direction", args=[assessment.pk, "services"]))
    level_question = next(q for q in questions[count // 2 :] if q.type == "level")
    save = count_queries(
        client, "post", reverse("answer_save", args=[assessment.pk, level_question.pk]), {"revision": 0, "level": "3"}
    )
    return page, save


def test_query_counts_do_not_grow_with_the_number_of_questions(client):
    small = measure(client, 20)
    large = measure(client, 120)
    assert small == large, f"direction page and save: {small} queries with 20 questions, {large} with 120"
    page, save = large
    assert page <= 15 and save <= 20
