"""Two respondents saving at the same moment, through real connections in parallel threads."""

import threading

import pytest
from django.db import connections
from django.test import Client

from assessment.models import Answer
from tests.assessment.answering_helpers import make_team, save_url, stored

pytestmark = pytest.mark.django_db(transaction=True)


def save_together(requests):
    """Post all (user, url, data) at once, each from its own thread and database connection."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, user, url, data):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            results[index] = client.post(url, data, headers={"Accept": "application/json"}).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_respondents_saving_different_questions_at_once_both_keep_their_answers():
    team = make_team()
    a = team.assessment
    for _ in range(5):
        Answer.objects.filter(assessment=a).delete()
        results = save_together(
            [
                (team.services, save_url(a, "S1.1"), {"revision": 0, "level": "4"}),
                (team.governance, save_url(a, "G1.2"), {"revision": 0, "yes": "yes"}),
            ]
        )
        assert results == [200, 200]
        assert stored(a, "S1.1").level == 4 and stored(a, "G1.2").yes is True


def test_two_saving_the_same_question_at_once_one_wins_and_the_other_is_told():
    team = make_team()
    a = team.assessment
    for _ in range(5):
        Answer.objects.filter(assessment=a).delete()
        results = save_together(
            [
                (team.services, save_url(a, "S1.2"), {"revision": 0, "number": "30"}),
                (team.coordinator, save_url(a, "S1.2"), {"revision": 0, "number": "70"}),
            ]
        )
        assert sorted(results) == [200, 409]
        winner = stored(a, "S1.2")
        assert winner.revision == 1
        assert winner.number == (30 if results[0] == 200 else 70)
