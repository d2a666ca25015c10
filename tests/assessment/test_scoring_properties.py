"""Properties of the scoring engine over generated questionnaires and answers (SPEC.md §4). No database."""

import functools
import itertools
import random
from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    DIRECTIONS,
    Answer,
    DimensionSpec,
    QuestionnaireSpec,
    QuestionSpec,
    score_assessment,
)

# Derandomised so that CI sees the same examples on every run. Hypothesis needs ~50 us per draw and an
# example takes about 50 draws, so 100 examples per property keep the file at a few seconds.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
WEIGHT_VALUES = (
    1,
    0,
    0.5,
    2,
    3,
    10,
    0.1,
    0.2,
    0.3,
    2.3,
)  # with 0, and decimals that floating point cannot hold exactly
WEIGHTS = st.sampled_from(WEIGHT_VALUES)
SCALES = st.sampled_from([0.001, 0.1, 0.5, 3, 7.5, 1000, 1e6])
NA = Answer(not_applicable=True)
PREFIX = {"services": "S", "governance": "G", "industry": "I", "infrastructure": "N"}

# To keep draws few, each question and each answer is one pick from a catalogue built once here (simplest
# first, where shrinking heads); the catalogues hold the edges that matter: zero weights, thresholds hit
# exactly or missed by 0.5, ascending and descending thresholds, checklists whose items all weigh 0.
THRESHOLD_SETS = (
    (20, 40, 60, 80),
    (80, 60, 40, 20),
    (0, 1, 2, 3),
    (3, 2, 1, 0),
    (-50, -10, 0, 100),
    (100, 0, -10, -50),
)
ITEM_WEIGHT_SETS = [weights for n in range(1, 5) for weights in itertools.product((1, 0, 0.5, 3), repeat=n)]
WEIGHTS_AND_NA = list(itertools.product(WEIGHT_VALUES, (False, True)))
QUESTION_TYPE = st.sampled_from(["level", "yes_no", "number", "checklist"])
QUESTIONS = {
    "level": st.sampled_from([QuestionSpec("", "level", w, na) for w, na in WEIGHTS_AND_NA]),
    "yes_no": st.sampled_from([QuestionSpec("", "yes_no", w, na) for w, na in WEIGHTS_AND_NA]),
    "number": st.sampled_from(
        [QuestionSpec("", "number", w, na, thresholds=t) for t in THRESHOLD_SETS for w, na in WEIGHTS_AND_NA]
    ),
    "checklist": st.sampled_from(
        [
            QuestionSpec("", "checklist", w, na, items=tuple((f"i{k}", iw) for k, iw in enumerate(item_weights)))
            for item_weights in ITEM_WEIGHT_SETS
            for w, na in WEIGHTS_AND_NA
        ]
    ),
}
COUNTS = {n: st.integers(1, n) for n in (4, 6)}
DIRECTION_SETS = st.lists(st.sampled_from(DIRECTIONS), min_size=1, max_size=4, unique=True)
DIRECTION_WEIGHTS = st.dictionaries(st.sampled_from(DIRECTIONS), WEIGHTS)


@st.composite
def questionnaires(draw):
    dimensions = []
    for direction in draw(DIRECTION_SETS):
        for d in range(draw(COUNTS[4])):
            code = f"{PREFIX[direction]}{d}"
            questions = tuple(
                replace(draw(QUESTIONS[draw(QUESTION_TYPE)]), code=f"{code}.{q}") for q in range(draw(COUNTS[6]))
            )
            dimensions.append(DimensionSpec(code, direction, draw(WEIGHTS), questions))
    return QuestionnaireSpec("generated", draw(DIRECTION_WEIGHTS), tuple(dimensions))


@functools.cache
def answers_to(question_type, allow_na, thresholds, items):
    """A strategy for one answer to such a question: a fitting value (with or without evidence), N/A or None."""
    if question_type == "level":
        values = [Answer(level=k) for k in range(1, 6)]
    elif question_type == "yes_no":
        values = [Answer(yes=False), Answer(yes=True)]
    elif question_type == "checklist":
        codes = [code for code, _ in items]
        values = [
            Answer(items=frozenset(c for c, tick in zip(codes, ticks, strict=True) if tick))
            for ticks in itertools.product((False, True), repeat=len(codes))
        ]
    else:  # number: on or just beside each threshold, where the bands meet, and far out on both sides
        numbers = [t + offset for t in thresholds for offset in (0, -0.5, 0.5)] + [-1000, 1000, 0.25]
        values = [Answer(number=v) for v in numbers]
    values += [replace(value, has_evidence=True) for value in values]
    gaps = max(2, len(values) // 6)  # roughly one answer in seven missing, and as many N/A where allowed
    return st.sampled_from(values + [None] * gaps + ([Answer(not_applicable=True)] * gaps if allow_na else []))


@st.composite
def answer_sets(draw, questionnaire):
    answers = {}
    for question in all_questions(questionnaire):
        answer = draw(answers_to(question.type, question.allow_na, question.thresholds, question.items))
        if answer is not None:
            answers[question.code] = answer
    return answers


@st.composite
def assessments(draw):
    questionnaire = draw(questionnaires())
    return questionnaire, draw(answer_sets(questionnaire))


def all_questions(questionnaire):
    return [question for dimension in questionnaire.dimensions for question in dimension.questions]


def nodes(scores):
    """Every scored node as (name, NodeScore): dimensions, directions and the whole."""
    yield from (("dimension " + code, node) for code, node in scores.dimensions.items())
    yield from (("direction " + name, node) for name, node in scores.directions.items())
    yield "overall", scores.overall


def with_questions(questionnaire, change):
    """The questionnaire with every dimension's questions replaced by change(dimension)."""
    dimensions = tuple(replace(dimension, questions=tuple(change(dimension))) for dimension in questionnaire.dimensions)
    return replace(questionnaire, dimensions=dimensions)


def can_raise(question, answer):
    """Whether some answer to `question` would be strictly better than `answer`."""
    if answer.not_applicable:
        return False
    if question.type == "level":
        return answer.level < 5
    if question.type == "yes_no":
        return not answer.yes
    if question.type == "checklist":
        return len(answer.items) < len(question.items)
    return True


def raised(question, answer, draw):
    """A better answer: a higher level, yes instead of no, one more item ticked, a number moved the better way."""
    if question.type == "level":
        return Answer(level=draw(st.integers(answer.level + 1, 5)))
    if question.type == "yes_no":
        return Answer(yes=True)
    if question.type == "checklist":
        unticked = sorted({code for code, _ in question.items} - answer.items)
        return Answer(items=answer.items | {draw(st.sampled_from(unticked))})
    step = draw(st.sampled_from([0.5, 1, 20, 150]))
    return Answer(number=answer.number + (step if question.thresholds[0] < question.thresholds[1] else -step))


def exact_scores(questionnaire, answers):
    """The method of SPEC §4 again, in exact decimal arithmetic: {node name: Fraction or None}. The oracle."""

    def exact(x):
        return Fraction(str(x))  # the decimal the bank author wrote, not its binary approximation

    def mean(pairs):
        pairs = [(score, weight) for score, weight in pairs if score is not None and weight > 0]
        return sum(score * weight for score, weight in pairs) / sum(weight for _, weight in pairs) if pairs else None

    def question_score(question, answer):
        if answer is None or answer.not_applicable:
            return None
        if question.type == "level":
            return Fraction(25 * (answer.level - 1))
        if question.type == "yes_no":
            return Fraction(100 if answer.yes else 0)
        if question.type == "checklist":
            total = sum(exact(weight) for _, weight in question.items)
            ticked = sum(exact(weight) for code, weight in question.items if code in answer.items)
            return 100 * ticked / total if total else None
        ascending = question.thresholds[0] < question.thresholds[1]
        return Fraction(25 * sum(answer.number >= t if ascending else answer.number <= t for t in question.thresholds))

    result, by_direction = {}, {direction: [] for direction in DIRECTIONS}
    for dimension in questionnaire.dimensions:
        score = mean((question_score(q, answers.get(q.code)), exact(q.weight)) for q in dimension.questions)
        result["dimension " + dimension.code] = score
        by_direction[dimension.direction].append((score, exact(dimension.weight)))
    for direction, pairs in by_direction.items():
        result["direction " + direction] = mean(pairs)
    weights = questionnaire.direction_weights
    result["overall"] = mean((result["direction " + d], exact(weights.get(d, 1))) for d in DIRECTIONS)
    return result


@PROPERTY
@given(assessments())
def test_scores_and_levels_agree_with_exact_decimal_arithmetic(assessment):
    exact = exact_scores(*assessment)
    for name, node in nodes(score_assessment(*assessment)):
        if exact[name] is None:
            assert node.score is None, name
        else:
            assert abs(node.score - float(exact[name])) <= 1e-9, name
            assert node.level == min(int(exact[name] // 20) + 1, 5), name  # bands on the exact value


@PROPERTY
@given(assessments())
def test_every_score_lies_between_0_and_100_and_every_level_between_1_and_5(assessment):
    scores = score_assessment(*assessment)
    assert all(0 <= s <= 100 for s in scores.question_scores.values() if s is not None)
    for name, node in nodes(scores):
        scored = node.score is not None
        assert (node.level is not None, node.weakest_level is not None, node.dropped is None) == (scored,) * 3, name
        if node.score is not None:
            assert 0 <= node.score <= 100, name
            assert 1 <= node.weakest_level <= node.level <= 5, name


@PROPERTY
@given(assessments(), st.data())
def test_raising_one_answer_never_lowers_any_score(assessment, data):
    questionnaire, answers = assessment
    questions = {question.code: question for question in all_questions(questionnaire)}
    raisable = sorted(code for code, answer in answers.items() if can_raise(questions[code], answer))
    if not raisable:
        return
    code = data.draw(st.sampled_from(raisable))
    better = raised(questions[code], answers[code], data.draw)
    before = score_assessment(questionnaire, answers)
    after = score_assessment(questionnaire, {**answers, code: better})
    for question_code, score in before.question_scores.items():
        if score is not None:
            assert after.question_scores[question_code] >= score, question_code
    for (name, old), (_, new) in zip(nodes(before), nodes(after), strict=True):
        if old.score is not None:
            assert new.score >= old.score, name
            assert new.level >= old.level and new.weakest_level >= old.weakest_level, name


def assert_same_up_to_rounding(scores, other):
    for (name, node), (_, scaled) in zip(nodes(scores), nodes(other), strict=True):
        assert (node.level, node.weakest_level, node.dropped) == (scaled.level, scaled.weakest_level, scaled.dropped)
        if node.score is not None:
            assert abs(node.score - scaled.score) <= 1e-9, name


@PROPERTY
@given(assessments(), SCALES)
def test_scaling_all_question_weights_changes_no_level(assessment, scale):
    questionnaire, answers = assessment
    scaled = with_questions(questionnaire, lambda d: (replace(q, weight=q.weight * scale) for q in d.questions))
    assert_same_up_to_rounding(score_assessment(questionnaire, answers), score_assessment(scaled, answers))


@PROPERTY
@given(assessments(), SCALES)
def test_scaling_all_dimension_weights_changes_no_level(assessment, scale):
    questionnaire, answers = assessment
    dimensions = tuple(replace(d, weight=d.weight * scale) for d in questionnaire.dimensions)
    scaled = replace(questionnaire, dimensions=dimensions)
    assert_same_up_to_rounding(score_assessment(questionnaire, answers), score_assessment(scaled, answers))


@PROPERTY
@given(assessments(), SCALES)
def test_scaling_all_direction_weights_changes_no_level(assessment, scale):
    questionnaire, answers = assessment
    weights = {name: questionnaire.direction_weights.get(name, 1) * scale for name in DIRECTIONS}
    scaled = replace(questionnaire, direction_weights=weights)
    assert_same_up_to_rounding(score_assessment(questionnaire, answers), score_assessment(scaled, answers))


@PROPERTY
@given(assessments())
def test_weakest_link_level_is_never_above_the_level_of_the_mean(assessment):
    for name, node in nodes(score_assessment(*assessment)):
        if node.score is not None:
            assert node.weakest_level <= node.level, name


@PROPERTY
@given(assessments(), st.data())
def test_marking_a_question_na_scores_like_deleting_it(assessment, data):
    questionnaire, answers = assessment
    code = data.draw(st.sampled_from([question.code for question in all_questions(questionnaire)]))
    marked = with_questions(
        questionnaire, lambda d: (replace(q, allow_na=True) if q.code == code else q for q in d.questions)
    )
    deleted = with_questions(questionnaire, lambda d: (q for q in d.questions if q.code != code))
    with_na = score_assessment(marked, {**answers, code: NA})
    without = score_assessment(deleted, {c: answer for c, answer in answers.items() if c != code})
    for (name, node), (_, other) in zip(nodes(with_na), nodes(without), strict=True):
        assert (node.score, node.level, node.weakest_level) == (other.score, other.level, other.weakest_level), name
    assert with_na.question_scores == {**without.question_scores, code: None}


@PROPERTY
@given(assessments(), st.integers(0, 2**32))
def test_order_of_dimensions_questions_and_items_changes_no_score(assessment, seed):
    questionnaire, answers = assessment
    rnd = random.Random(seed)

    def shuffled(sequence):
        sequence = list(sequence)
        rnd.shuffle(sequence)
        return tuple(sequence)

    dimensions = shuffled(
        replace(d, questions=shuffled(replace(q, items=shuffled(q.items)) for q in d.questions))
        for d in questionnaire.dimensions
    )
    reordered = score_assessment(replace(questionnaire, dimensions=dimensions), answers)
    scores = score_assessment(questionnaire, answers)
    assert reordered.dimensions == scores.dimensions
    assert reordered.directions == scores.directions
    assert reordered.overall == scores.overall
    assert reordered.question_scores == scores.question_scores
    assert reordered.completeness == scores.completeness


@PROPERTY
@given(assessments())
def test_scoring_is_deterministic(assessment):
    first = score_assessment(*assessment)
    assert score_assessment(*assessment) == first
    assert score_assessment(*assessment).to_json_dict() == first.to_json_dict()
