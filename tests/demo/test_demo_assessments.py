"""Demo assessments: deterministic, plausible, and the numbers land in the intended level."""

import random

import pytest

from assessment.demo import DEMO_ASSESSMENTS, value_at_level
from assessment.models import Assessment
from assessment.scoring import Answer, QuestionSpec, answer_score


@pytest.mark.parametrize("thresholds", [(20, 40, 60, 80), (40, 60, 75, 90), (1.8, 1.6, 1.5, 1.3), (5, 12, 20, 26)])
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_demo_number_scores_at_the_level_it_was_made_for(thresholds, level):
    question = QuestionSpec("N", "number", thresholds=thresholds)
    rng = random.Random(level)
    for _ in range(20):
        assert answer_score(question, Answer(number=value_at_level(thresholds, level, rng))) == (level - 1) * 25


@pytest.mark.parametrize("thresholds", [(50, 70, 85, 95), (30, 50, 70, 90)])
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_demo_share_stays_within_100_percent_and_at_its_level(thresholds, level):
    question = QuestionSpec("P", "number", thresholds=thresholds)
    rng = random.Random(level)
    for _ in range(50):
        value = value_at_level(thresholds, level, rng, ceiling=100.0)
        assert 0 <= value <= 100
        assert answer_score(question, Answer(number=value)) == (level - 1) * 25


@pytest.mark.django_db
def test_seed_demo_gives_a_peer_group_two_years_and_drafts():
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    submitted = Assessment.objects.exclude(status="draft").select_related("city")
    peers = [a for a in submitted if (a.city.region, a.city.level) == ("east", "county_city") and a.year == 2026]
    assert len(peers) >= 5
    assert Assessment.objects.filter(city__name_zh="昆山市").count() == 2
    assert Assessment.objects.filter(status="draft").count() == sum(not d.submitted for d in DEMO_ASSESSMENTS)
    kunshan = Assessment.objects.get(city__name_zh="昆山市", year=2025)
    assert kunshan.stored_scores["overall"]["level"] in {2, 3, 4}
    agriculture = kunshan.answers.get(question__code="E2.1")
    assert agriculture.not_applicable  # Kunshan has no agricultural specialty
