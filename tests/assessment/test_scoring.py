"""Hand-computed examples for the scoring engine (SPEC.md §4). Plain Python: no database."""

import json
import math

import pytest

from assessment.scoring import (
    DIRECTIONS,
    ENGINE_VERSION,
    Answer,
    Completeness,
    DimensionSpec,
    NodeScore,
    QuestionnaireSpec,
    QuestionSpec,
    answer_score,
    maturity_level,
    score_assessment,
)

ASCENDING = (20, 40, 60, 80)
DESCENDING = (80, 60, 40, 20)


def level_q(code, weight=1, allow_na=False):
    return QuestionSpec(code, "level", weight=weight, allow_na=allow_na)


def dim(code, *questions, direction="services", weight=1):
    return DimensionSpec(code, direction, weight, tuple(questions))


def bank(*dimensions, direction_weights=None):
    return QuestionnaireSpec("test-bank", direction_weights or {}, tuple(dimensions))


def lvl(k, evidence=False):
    return Answer(level=k, has_evidence=evidence)


NA = Answer(not_applicable=True)


# --- one answer -------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "score"), [(1, 0), (2, 25), (3, 50), (4, 75), (5, 100)])
def test_level_k_scores_k_minus_one_times_25(level, score):
    assert answer_score(level_q("Q"), lvl(level)) == score


def test_yes_scores_100_and_no_scores_0():
    question = QuestionSpec("Q", "yes_no")
    assert answer_score(question, Answer(yes=True)) == 100
    assert answer_score(question, Answer(yes=False)) == 0


@pytest.mark.parametrize(
    ("ticked", "score"),
    [(set(), 0), ({"a"}, 25), ({"b"}, 75), ({"c"}, 0), ({"a", "c"}, 25), ({"b", "c"}, 75), ({"a", "b", "c"}, 100)],
)
def test_checklist_scores_the_weighted_share_of_ticked_items(ticked, score):
    question = QuestionSpec("Q", "checklist", items=(("a", 1), ("b", 3), ("c", 0)))
    assert answer_score(question, Answer(items=frozenset(ticked))) == score


def test_checklist_whose_items_all_weigh_zero_has_no_score():
    question = QuestionSpec("Q", "checklist", items=(("a", 0), ("b", 0)))
    assert answer_score(question, Answer(items=frozenset({"a"}))) is None


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (-5, 0),
        (19.999, 0),
        (20, 25),
        (39.999, 25),
        (40, 50),
        (59.999, 50),
        (60, 75),
        (79.999, 75),
        (80, 100),
        (1e9, 100),
    ],
)
def test_number_with_ascending_thresholds_starts_each_band_at_its_threshold(value, score):
    assert answer_score(QuestionSpec("Q", "number", thresholds=ASCENDING), Answer(number=value)) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (1e9, 0),
        (80.001, 0),
        (80, 25),
        (60.001, 25),
        (60, 50),
        (40.001, 50),
        (40, 75),
        (20.001, 75),
        (20, 100),
        (-3, 100),
    ],
)
def test_number_with_descending_thresholds_reaches_a_band_at_or_below_its_threshold(value, score):
    assert answer_score(QuestionSpec("Q", "number", thresholds=DESCENDING), Answer(number=value)) == score


def test_not_applicable_has_no_score():
    assert answer_score(level_q("Q", allow_na=True), NA) is None


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (level_q("Q"), lvl(0)),
        (level_q("Q"), lvl(6)),
        (level_q("Q"), Answer(level=True)),
        (level_q("Q"), Answer(level=2.5)),
        (level_q("Q"), Answer(yes=True)),
        (level_q("Q"), Answer()),
        (level_q("Q"), Answer(level=3, number=4)),
        (level_q("Q"), NA),
        (level_q("Q", allow_na=True), Answer(level=3, not_applicable=True)),
        (QuestionSpec("Q", "yes_no"), Answer(yes=1)),
        (QuestionSpec("Q", "yes_no"), Answer(level=5)),
        (QuestionSpec("Q", "checklist", items=(("a", 1),)), Answer(items=frozenset({"a", "z"}))),
        (QuestionSpec("Q", "checklist", items=(("a", 1),)), Answer(items=["a"])),
        (QuestionSpec("Q", "checklist", items=(("a", 1), ("a", 2))), Answer(items=frozenset({"a"}))),
        (QuestionSpec("Q", "checklist", items=(("a", -1),)), Answer(items=frozenset({"a"}))),
        (QuestionSpec("Q", "number", thresholds=ASCENDING), Answer(number=math.nan)),
        (QuestionSpec("Q", "number", thresholds=ASCENDING), Answer(number=math.inf)),
        (QuestionSpec("Q", "number", thresholds=ASCENDING), Answer(number="50")),
        (QuestionSpec("Q", "number", thresholds=(20, 40, 60)), Answer(number=50)),
        (QuestionSpec("Q", "number", thresholds=(20, 40, 40, 80)), Answer(number=50)),
        (QuestionSpec("Q", "number", thresholds=(20, 60, 40, 80)), Answer(number=50)),
        (QuestionSpec("Q", "essay"), Answer(level=3)),
    ],
)
def test_an_answer_that_does_not_fit_its_question_raises_value_error(question, answer):
    with pytest.raises(ValueError, match="Q"):
        answer_score(question, answer)


@pytest.mark.parametrize(
    ("questionnaire", "answers"),
    [
        (bank(dim("S1", level_q("S1.1"))), {"X9.9": lvl(3)}),
        (bank(dim("S1", level_q("S1.1", weight=-1))), {}),
        (bank(dim("S1", level_q("S1.1"), weight=-1)), {}),
        (bank(dim("S1", level_q("S1.1"), weight=math.nan)), {}),
        (bank(dim("S1", level_q("S1.1"), direction="culture")), {}),
        (bank(dim("S1", level_q("S1.1"), level_q("S1.1"))), {}),
        (bank(dim("S1", level_q("S1.1")), dim("S1", level_q("S1.2"))), {}),
        (bank(dim("S1", level_q("S1.1")), direction_weights={"culture": 1}), {}),
        (bank(dim("S1", level_q("S1.1")), direction_weights={"services": -2}), {}),
        (bank(dim("S1", level_q("S1.1"))), {"S1.1": lvl(7)}),
    ],
)
def test_score_assessment_refuses_garbage_input(questionnaire, answers):
    with pytest.raises(ValueError):
        score_assessment(questionnaire, answers)


# --- maturity levels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, 1), (19.99, 1), (20, 2), (39.99, 2), (40, 3), (59.99, 3), (60, 4), (79.99, 4), (80, 5), (100, 5)],
)
def test_maturity_levels_are_half_open_bands_of_twenty(score, level):
    assert maturity_level(score) == level


def test_floating_point_noise_below_a_band_edge_stays_in_the_upper_band():
    assert maturity_level(39.99999999999999) == 3
    assert maturity_level(79.9999999999) == 5
    assert maturity_level(39.9999999) == 2  # a real difference, not noise


@pytest.mark.parametrize("score", [-0.1, 100.1, math.nan])
def test_maturity_level_refuses_a_score_outside_0_to_100(score):
    with pytest.raises(ValueError):
        maturity_level(score)


def test_weighted_mean_that_floating_point_makes_39_999_is_still_level_3():
    # 2.3 x 50 + 0.2 x 25 + 0.5 x 0 = 120 = 40 x 3.0 on paper; in floating point 39.99999999999999.
    questionnaire = bank(dim("S1", level_q("S1.1", 2.3), level_q("S1.2", 0.2), level_q("S1.3", 0.5)))
    scores = score_assessment(questionnaire, {"S1.1": lvl(3), "S1.2": lvl(2), "S1.3": lvl(1)})
    assert scores.dimensions["S1"].score == pytest.approx(40)
    assert scores.dimensions["S1"].score < 40
    assert scores.dimensions["S1"].level == 3
    assert scores.to_json_dict()["dimensions"]["S1"] == {"score": 40.0, "level": 3}


def test_checklist_share_that_floating_point_makes_39_999_is_still_level_3():
    # (2.3 + 1.9) / (2.3 + 1.9 + 1.8 + 1.6 + 2.9) = 4.2 / 10.5 = 40 % on paper.
    items = (("a", 2.3), ("b", 1.9), ("c", 1.8), ("d", 1.6), ("e", 2.9))
    questionnaire = bank(dim("S1", QuestionSpec("S1.1", "checklist", items=items)))
    scores = score_assessment(questionnaire, {"S1.1": Answer(items=frozenset({"a", "b"}))})
    assert scores.question_scores["S1.1"] < 40
    assert scores.dimensions["S1"].level == 3


def test_mean_of_equal_scores_is_exactly_that_score():
    questionnaire = bank(dim("S1", level_q("S1.1", 0.8), level_q("S1.2", 1.1), level_q("S1.3", 0.4)))
    scores = score_assessment(questionnaire, {code: lvl(5) for code in ("S1.1", "S1.2", "S1.3")})
    assert scores.dimensions["S1"].score == 100  # 99.99999999999999 without clamping to the scores' range


# --- weighted means and dropping out ----------------------------------------------------------


def test_dimension_is_the_weighted_mean_of_its_questions():
    questionnaire = bank(dim("S1", level_q("S1.1", 3), level_q("S1.2", 1)))
    scores = score_assessment(questionnaire, {"S1.1": lvl(5), "S1.2": lvl(1)})
    assert scores.dimensions["S1"] == NodeScore(75.0, 4, 4)
    assert scores.question_scores == {"S1.1": 100.0, "S1.2": 0.0}


def test_direction_is_the_weighted_mean_of_its_dimensions():
    questionnaire = bank(dim("S1", level_q("S1.1"), weight=1), dim("S2", level_q("S2.1"), weight=4))
    scores = score_assessment(questionnaire, {"S1.1": lvl(5), "S2.1": lvl(3)})
    assert scores.directions["services"] == NodeScore(60.0, 4, 3)  # (100 + 4 x 50) / 5


def test_overall_is_the_weighted_mean_of_directions_and_a_missing_direction_weight_counts_as_one():
    questionnaire = bank(
        dim("S1", level_q("S1.1"), direction="services"),
        dim("G1", level_q("G1.1"), direction="governance"),
        dim("I1", level_q("I1.1"), direction="industry"),
        dim("N1", level_q("N1.1"), direction="infrastructure"),
        direction_weights={"services": 2, "governance": 1, "industry": 0.5},
    )
    scores = score_assessment(questionnaire, {"S1.1": lvl(5), "G1.1": lvl(3), "I1.1": lvl(1), "N1.1": lvl(2)})
    # (2 x 100 + 1 x 50 + 0.5 x 0 + 1 x 25) / 4.5 = 61.11...
    assert scores.overall.score == pytest.approx(275 / 4.5)
    assert scores.overall.level == 4
    assert scores.overall.weakest_level == 1


def test_na_question_drops_out_and_weights_renormalise():
    questionnaire = bank(dim("S1", level_q("S1.1", 5, allow_na=True), level_q("S1.2", 1)))
    scores = score_assessment(questionnaire, {"S1.1": NA, "S1.2": lvl(3)})
    assert scores.dimensions["S1"] == NodeScore(50.0, 3, 3)
    assert scores.question_scores["S1.1"] is None


def test_unanswered_question_drops_out_and_weights_renormalise():
    questionnaire = bank(dim("S1", level_q("S1.1", 5), level_q("S1.2", 1)))
    scores = score_assessment(questionnaire, {"S1.2": lvl(4)})
    assert scores.dimensions["S1"] == NodeScore(75.0, 4, 4)
    assert scores.question_scores == {"S1.1": None, "S1.2": 75.0}


def test_all_na_dimension_drops_out_and_weights_renormalise():
    questionnaire = bank(
        dim("S1", level_q("S1.1", allow_na=True), level_q("S1.2", allow_na=True), weight=9),
        dim("S2", level_q("S2.1"), weight=1),
    )
    scores = score_assessment(questionnaire, {"S1.1": NA, "S1.2": NA, "S2.1": lvl(2)})
    assert scores.dimensions["S1"] == NodeScore(None, None, None, dropped="not_applicable")
    assert scores.directions["services"] == NodeScore(25.0, 2, 2)


def test_all_na_direction_drops_out_of_overall_and_says_so():
    questionnaire = bank(
        dim("S1", level_q("S1.1", allow_na=True), direction="services"),
        dim("S2", level_q("S2.1", allow_na=True), direction="services"),
        dim("G1", level_q("G1.1"), direction="governance"),
        dim("I1", level_q("I1.1"), direction="industry"),
        direction_weights={"services": 10, "governance": 1, "industry": 3},
    )
    scores = score_assessment(questionnaire, {"S1.1": NA, "S2.1": NA, "G1.1": lvl(5), "I1.1": lvl(1)})
    assert scores.directions["services"] == NodeScore(None, None, None, dropped="not_applicable")
    assert scores.overall.score == 25.0  # (1 x 100 + 3 x 0) / 4: the services weight of 10 is gone
    assert scores.overall.dropped is None


def test_dimension_without_answers_is_dropped_as_unanswered():
    scores = score_assessment(bank(dim("S1", level_q("S1.1"), level_q("S1.2"))), {})
    assert scores.dimensions["S1"].dropped == "unanswered"
    assert scores.directions["services"].dropped == "unanswered"
    assert scores.overall == NodeScore(None, None, None, dropped="unanswered")


def test_dimension_of_na_and_unanswered_questions_is_dropped_as_unanswered():
    questionnaire = bank(dim("S1", level_q("S1.1", allow_na=True), level_q("S1.2")))
    scores = score_assessment(questionnaire, {"S1.1": NA})
    assert scores.dimensions["S1"].dropped == "unanswered"


def test_dimension_without_questions_is_dropped_as_empty():
    questionnaire = bank(dim("S1"), dim("S2", level_q("S2.1")))
    scores = score_assessment(questionnaire, {"S2.1": lvl(4)})
    assert scores.dimensions["S1"] == NodeScore(None, None, None, dropped="empty")
    assert scores.directions["services"] == NodeScore(75.0, 4, 4)


def test_directions_without_dimensions_are_listed_as_empty_in_fixed_order():
    questionnaire = bank(dim("I1", level_q("I1.1"), direction="industry"), dim("S1", level_q("S1.1")))
    scores = score_assessment(questionnaire, {"I1.1": lvl(2), "S1.1": lvl(4)})
    assert list(scores.directions) == list(DIRECTIONS)
    assert list(scores.dimensions) == ["I1", "S1"]
    assert scores.directions["governance"] == NodeScore(None, None, None, dropped="empty")
    assert scores.overall.score == 50.0


def test_direction_takes_the_most_actionable_reason_among_its_dropped_dimensions():
    empty, all_na, unanswered = dim("S1"), dim("S2", level_q("S2.1", allow_na=True)), dim("S3", level_q("S3.1"))
    assert score_assessment(bank(empty, all_na), {"S2.1": NA}).directions["services"].dropped == "not_applicable"
    scores = score_assessment(bank(empty, all_na, unanswered), {"S2.1": NA})
    assert scores.directions["services"].dropped == "unanswered"


def test_question_of_unknown_type_is_refused_even_when_unanswered():
    with pytest.raises(ValueError, match="essay"):
        score_assessment(bank(dim("S1", QuestionSpec("S1.1", "essay"))), {})


def test_empty_questionnaire_scores_nothing():
    scores = score_assessment(bank(), {})
    assert scores.overall.dropped == "empty"
    assert scores.completeness == Completeness(questions=0, answered=0, not_applicable=0, with_evidence=0)


def test_question_of_weight_zero_does_not_count():
    questionnaire = bank(dim("S1", level_q("S1.1", 0), level_q("S1.2", 2)))
    scores = score_assessment(questionnaire, {"S1.1": lvl(1), "S1.2": lvl(5)})
    assert scores.question_scores["S1.1"] == 0.0
    assert scores.dimensions["S1"] == NodeScore(100.0, 5, 5)


def test_dimension_whose_answered_questions_all_weigh_zero_is_dropped_as_zero_weight():
    questionnaire = bank(dim("S1", level_q("S1.1", 0), level_q("S1.2", 0, allow_na=True)))
    scores = score_assessment(questionnaire, {"S1.1": lvl(4), "S1.2": NA})
    assert scores.dimensions["S1"] == NodeScore(None, None, None, dropped="zero_weight")


def test_unanswered_beats_zero_weight_as_the_reason_because_answering_would_give_a_score():
    questionnaire = bank(dim("S1", level_q("S1.1", 0), level_q("S1.2")))
    assert score_assessment(questionnaire, {"S1.1": lvl(4)}).dimensions["S1"].dropped == "unanswered"


def test_checklist_whose_items_weigh_nothing_drops_out_as_zero_weight():
    checklist = QuestionSpec("S1.1", "checklist", items=(("a", 0),))
    scores = score_assessment(bank(dim("S1", checklist)), {"S1.1": Answer(items=frozenset({"a"}))})
    assert scores.question_scores["S1.1"] is None
    assert scores.dimensions["S1"].dropped == "zero_weight"
    assert scores.completeness.answered == 1


def test_dimension_of_weight_zero_keeps_its_score_but_does_not_count_in_its_direction():
    questionnaire = bank(dim("S1", level_q("S1.1"), weight=0), dim("S2", level_q("S2.1"), weight=1))
    scores = score_assessment(questionnaire, {"S1.1": lvl(1), "S2.1": lvl(5)})
    assert scores.dimensions["S1"] == NodeScore(0.0, 1, 1)
    assert scores.directions["services"] == NodeScore(100.0, 5, 5)


def test_direction_whose_dimensions_all_weigh_zero_is_dropped_as_zero_weight():
    questionnaire = bank(dim("S1", level_q("S1.1"), weight=0), dim("G1", level_q("G1.1"), direction="governance"))
    scores = score_assessment(questionnaire, {"S1.1": lvl(1), "G1.1": lvl(3)})
    assert scores.directions["services"].dropped == "zero_weight"
    assert scores.overall == NodeScore(50.0, 3, 3)


def test_direction_of_weight_zero_keeps_its_score_but_does_not_count_overall():
    questionnaire = bank(
        dim("S1", level_q("S1.1")),
        dim("G1", level_q("G1.1"), direction="governance"),
        direction_weights={"services": 0, "governance": 1},
    )
    scores = score_assessment(questionnaire, {"S1.1": lvl(1), "G1.1": lvl(4)})
    assert scores.directions["services"] == NodeScore(0.0, 1, 1)
    assert scores.overall == NodeScore(75.0, 4, 4)


def test_very_unequal_weights_are_honoured():
    questionnaire = bank(dim("S1", level_q("S1.1", 1), level_q("S1.2", 1e6)))
    scores = score_assessment(questionnaire, {"S1.1": lvl(1), "S1.2": lvl(5)})
    assert scores.dimensions["S1"].score == pytest.approx(100 * 1e6 / (1e6 + 1), abs=1e-12)
    assert scores.dimensions["S1"].level == 5
    flipped = score_assessment(questionnaire, {"S1.1": lvl(5), "S1.2": lvl(1)})
    assert flipped.dimensions["S1"].score == pytest.approx(100 / (1e6 + 1), abs=1e-12)
    assert flipped.dimensions["S1"].level == 1


def test_every_question_type_in_one_dimension():
    questionnaire = bank(
        dim(
            "S1",
            level_q("S1.1"),
            QuestionSpec("S1.2", "number", thresholds=ASCENDING),
            QuestionSpec("S1.3", "checklist", items=(("a", 1), ("b", 1), ("c", 2))),
            QuestionSpec("S1.4", "yes_no"),
            QuestionSpec("S1.5", "number", weight=2, thresholds=DESCENDING),
        )
    )
    answers = {
        "S1.1": lvl(4),  # 75
        "S1.2": Answer(number=72.5),  # 75
        "S1.3": Answer(items=frozenset({"a", "c"})),  # 75
        "S1.4": Answer(yes=False),  # 0
        "S1.5": Answer(number=35),  # 75, weight 2
    }
    scores = score_assessment(questionnaire, answers)
    assert scores.question_scores == {"S1.1": 75.0, "S1.2": 75.0, "S1.3": 75.0, "S1.4": 0.0, "S1.5": 75.0}
    assert scores.dimensions["S1"] == NodeScore(62.5, 4, 4)  # (75 + 75 + 75 + 0 + 150) / 6


# --- weakest link -----------------------------------------------------------------------------


def test_dimension_weakest_level_is_its_own_level():
    scores = score_assessment(bank(dim("S1", level_q("S1.1"))), {"S1.1": lvl(2)})
    assert scores.dimensions["S1"].weakest_level == scores.dimensions["S1"].level == 2


def test_one_strong_area_cannot_hide_a_weak_dimension():
    questionnaire = bank(
        dim("S1", level_q("S1.1"), weight=9),
        dim("S2", level_q("S2.1"), weight=1),
        dim("G1", level_q("G1.1"), direction="governance"),
        dim("I1", level_q("I1.1"), direction="industry"),
        dim("N1", level_q("N1.1"), direction="infrastructure"),
    )
    answers = {"S1.1": lvl(5), "S2.1": lvl(1), "G1.1": lvl(5), "I1.1": lvl(5), "N1.1": lvl(5)}
    scores = score_assessment(questionnaire, answers)
    assert scores.directions["services"] == NodeScore(90.0, 5, 1)
    assert scores.directions["governance"] == NodeScore(100.0, 5, 5)
    assert scores.overall.level == 5
    assert scores.overall.weakest_level == 1


def test_weakest_link_ignores_dimensions_that_do_not_count():
    questionnaire = bank(
        dim("S1", level_q("S1.1", allow_na=True)),
        dim("S2", level_q("S2.1"), weight=0),
        dim("S3", level_q("S3.1")),
        dim("S4", level_q("S4.1")),
    )
    scores = score_assessment(questionnaire, {"S1.1": NA, "S2.1": lvl(1), "S3.1": lvl(4)})
    assert scores.directions["services"] == NodeScore(75.0, 4, 4)


# --- completeness -----------------------------------------------------------------------------


def test_completeness_counts_na_as_answered_and_evidence_among_real_answers():
    questionnaire = bank(
        dim("S1", level_q("S1.1"), level_q("S1.2"), level_q("S1.3", allow_na=True)),
        dim("G1", level_q("G1.1"), level_q("G1.2"), direction="governance"),
    )
    answers = {
        "S1.1": lvl(3, evidence=True),
        "S1.2": lvl(4),
        "S1.3": Answer(not_applicable=True, has_evidence=True),
    }
    completeness = score_assessment(questionnaire, answers).completeness
    assert completeness == Completeness(questions=5, answered=2, not_applicable=1, with_evidence=1)
    assert completeness.share_answered == 0.6
    assert completeness.share_with_evidence == 0.5
    assert completeness.low_evidence is False


def test_score_built_on_little_evidence_says_so():
    assert Completeness(questions=4, answered=3, not_applicable=0, with_evidence=1).low_evidence is True
    assert Completeness(questions=4, answered=4, not_applicable=0, with_evidence=2).low_evidence is False


def test_completeness_of_nothing_is_zero_and_low_on_evidence():
    completeness = Completeness(questions=0, answered=0, not_applicable=0, with_evidence=0)
    assert completeness.share_answered == 0.0
    assert completeness.share_with_evidence == 0.0
    assert completeness.low_evidence is True


# --- the scores JSON --------------------------------------------------------------------------


def test_to_json_dict_has_the_formats_md_shape_and_rounds_only_there():
    questionnaire = bank(
        dim("S1", level_q("S1.1", 1), level_q("S1.2", 2)),  # (25 + 2 x 50) / 3 = 41.666...
        dim("S2", QuestionSpec("S2.1", "checklist", items=(("a", 499), ("b", 2001)))),  # 19.96
        dim("G1", level_q("G1.1"), direction="governance"),  # unanswered
    )
    answers = {"S1.1": lvl(2), "S1.2": lvl(3), "S2.1": Answer(items=frozenset({"a"}))}
    scores = score_assessment(questionnaire, answers)
    assert scores.dimensions["S2"].score == pytest.approx(19.96)  # unrounded inside
    direction = (125 / 3 + 19.96) / 2  # 30.81333...

    assert scores.to_json_dict() == {
        "engine": ENGINE_VERSION,
        "overall": {"score": 30.8, "level": 2, "weakest_level": 1, "completeness": 0.75},
        "directions": {
            "services": {"score": round(direction, 1), "level": 2, "weakest_level": 1},
            "governance": {"score": None, "level": None, "weakest_level": None},
            "industry": {"score": None, "level": None, "weakest_level": None},
            "infrastructure": {"score": None, "level": None, "weakest_level": None},
        },
        "dimensions": {
            "S1": {"score": 41.7, "level": 3},
            "S2": {"score": 20.0, "level": 1},  # shown as 20.0, but the level comes from 19.96
            "G1": {"score": None, "level": None},
        },
    }
    assert json.loads(json.dumps(scores.to_json_dict()))["directions"]["governance"]["score"] is None


def test_completeness_in_json_is_rounded_to_two_decimals():
    questionnaire = bank(dim("S1", level_q("S1.1"), level_q("S1.2"), level_q("S1.3")))
    scores = score_assessment(questionnaire, {"S1.1": lvl(3), "S1.2": lvl(3)})
    assert scores.to_json_dict()["overall"]["completeness"] == 0.67
    assert scores.engine == "1"
