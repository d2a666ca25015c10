"""The two worked examples of docs/methodology.md, number by number."""

import pytest

from assessment.scoring import Answer, DimensionSpec, QuestionnaireSpec, QuestionSpec, score_assessment

THRESHOLDS_ONLINE = (40, 60, 75, 90)
THRESHOLDS_GDP_SHARE = (3, 6, 9, 12)
THRESHOLDS_PUE = (1.8, 1.6, 1.5, 1.3)
THRESHOLDS_5G = (5, 12, 20, 26)

SERVICES = (
    DimensionSpec(
        "S1",
        "services",
        2,
        (
            QuestionSpec("S1.1", "level", weight=2),
            QuestionSpec("S1.2", "number", thresholds=THRESHOLDS_ONLINE),
            QuestionSpec("S1.3", "yes_no", allow_na=True),
        ),
    ),
    DimensionSpec(
        "S2",
        "services",
        1,
        (
            QuestionSpec("S2.1", "checklist", items=(("a", 2), ("b", 1), ("c", 1))),
            QuestionSpec("S2.2", "level"),
        ),
    ),
)
OTHERS = (
    DimensionSpec("G1", "governance", 1, (QuestionSpec("G1.1", "yes_no"), QuestionSpec("G1.2", "level"))),
    DimensionSpec(
        "E1",
        "industry",
        2,
        (
            QuestionSpec("E1.1", "level"),
            QuestionSpec("E1.2", "number", thresholds=THRESHOLDS_GDP_SHARE),
        ),
    ),
    DimensionSpec(
        "E2",
        "industry",
        1,
        (
            QuestionSpec("E2.1", "level", allow_na=True),
            QuestionSpec("E2.2", "yes_no", allow_na=True),
        ),
    ),
    DimensionSpec("E3", "industry", 1, (QuestionSpec("E3.1", "level"), QuestionSpec("E3.2", "yes_no"))),
    DimensionSpec(
        "I1",
        "infrastructure",
        1,
        (
            QuestionSpec("I1.1", "number", thresholds=THRESHOLDS_PUE),
            QuestionSpec("I1.2", "number", thresholds=THRESHOLDS_5G),
        ),
    ),
)
WEIGHTS = {"services": 1, "governance": 1, "industry": 1, "infrastructure": 1}

SERVICE_ANSWERS = {
    "S1.1": Answer(level=3),
    "S1.2": Answer(number=66.4),
    "S1.3": Answer(yes=True),
    "S2.1": Answer(items=frozenset({"a", "c"})),
    "S2.2": Answer(level=2),
}
OTHER_ANSWERS = {
    "G1.1": Answer(yes=False),
    "G1.2": Answer(level=2),
    "E1.1": Answer(level=4),
    "E1.2": Answer(number=9.9),
    "E2.1": Answer(not_applicable=True),
    "E2.2": Answer(not_applicable=True),
    "E3.1": Answer(level=1),
    "E3.2": Answer(yes=True),
    "I1.1": Answer(number=1.5),
    "I1.2": Answer(number=26),
}


def test_example_1_public_services():
    scores = score_assessment(QuestionnaireSpec("example", WEIGHTS, SERVICES), SERVICE_ANSWERS)
    assert scores.question_scores == {"S1.1": 50, "S1.2": 50, "S1.3": 100, "S2.1": 75, "S2.2": 25}
    assert (scores.dimensions["S1"].score, scores.dimensions["S1"].level) == (62.5, 4)
    assert (scores.dimensions["S2"].score, scores.dimensions["S2"].level) == (50.0, 3)
    services = scores.directions["services"]
    assert services.score == pytest.approx(175 / 3)
    assert round(services.score, 1) == 58.3
    assert (services.level, services.weakest_level) == (3, 3)


def test_example_2_not_applicable_less_is_better_and_the_weakest_link():
    scores = score_assessment(QuestionnaireSpec("example", WEIGHTS, SERVICES + OTHERS), SERVICE_ANSWERS | OTHER_ANSWERS)
    governance, industry, infrastructure = (scores.directions[d] for d in ("governance", "industry", "infrastructure"))
    assert (scores.dimensions["G1"].score, governance.level, governance.weakest_level) == (12.5, 1, 1)
    assert scores.dimensions["E1"].score == 75.0
    assert scores.dimensions["E2"].score is None and scores.dimensions["E2"].dropped == "not_applicable"
    assert scores.dimensions["E3"].score == 50.0
    assert industry.score == pytest.approx(200 / 3) and round(industry.score, 1) == 66.7
    assert (industry.level, industry.weakest_level) == (4, 3)
    assert scores.question_scores["I1.1"] == 75  # 1.5 is exactly where level 4 begins
    assert (scores.dimensions["I1"].score, infrastructure.level) == (87.5, 5)
    assert scores.overall.score == pytest.approx(56.25)
    assert scores.to_json_dict()["overall"]["score"] == 56.3  # shown rounded half up
    assert (scores.overall.level, scores.overall.weakest_level) == (3, 1)
