"""Results read through the national framework (assessment.framework), from the stored question scores."""

import pytest

from assessment.bank_file import import_bank
from assessment.framework import MappedQuestion, framework_view
from assessment.lifecycle import submit_assessment
from assessment.models import Answer, Assessment, Question
from assessment.scores import scores_document
from tests.assessment.test_bank_mapping import FRAMEWORK, next_bank
from tests.factories import make_city, make_version


def test_indicator_scores_are_weighted_means_of_the_questions_that_measure_them():
    questions = [
        MappedQuestion("S1.1", 2, ("L1P1",)),
        MappedQuestion("S1.2", 1, ("L1P1",)),
        MappedQuestion("G1.1", 1, ("L5P1",)),
        MappedQuestion("S1.3", 1, ("L8",)),
        MappedQuestion("I1.1", 1, ()),
    ]
    scores = {"S1.1": 25.0, "S1.2": 100.0, "G1.1": None, "S1.3": 100.0, "I1.1": 75.0}
    view = framework_view(FRAMEWORK, questions, scores)
    services, resources, experience = view.indicators
    government, transport = services.children
    assert government.score == pytest.approx(50.0) and government.level == 3  # (2×25 + 100)/3
    assert government.questions == ("S1.1", "S1.2")
    assert transport.score is None and not transport.covered
    assert services.score == pytest.approx(50.0)  # the mean of its scored children
    assert resources.score is None and resources.covered  # measured, but G1.1 is unanswered
    assert experience.score == 100.0 and experience.level == 5
    assert [i.code for i in view.not_covered] == ["L1P2"]
    document = view.to_json_dict()
    assert document["not_covered"] == ["L1P2"]
    assert document["indicators"][0]["children"][0] == {
        "code": "L1P1",
        "title": {"zh-hans": "政务服务"},
        "score": 50.0,
        "level": 3,
        "questions": ["S1.1", "S1.2"],
    }


@pytest.mark.django_db
def test_the_scores_json_carries_the_view_for_a_version_that_maps_one():
    make_version(publish=True)
    version = import_bank(next_bank(), publish=True)
    assessment = Assessment.objects.create(city=make_city(), version=version, year=2026)
    for code, values in {"S1.1": {"level": 5}, "S1.2": {"number": 90}, "S1.3": {"yes": True}}.items():
        Answer.objects.create(
            assessment=assessment, question=Question.objects.get(dimension__version=version, code=code), **values
        )
    submit_assessment(assessment, user=None)
    assessment.refresh_from_db()
    document = scores_document(assessment)["national_framework"]
    assert document["code"] == "GB/T 33356-2022"
    government = document["indicators"][0]["children"][0]
    assert government["score"] == 100.0 and government["questions"] == ["S1.1", "S1.2"]
    assert document["indicators"][2]["score"] == 100.0  # L8 through S1.3
