"""The scoring engine (SPEC.md §4): answers in, scores and maturity levels out.

A functional core: plain frozen dataclasses in, plain dataclasses out. No Django, no database, no
settings, so the pages, the PDF, the command line, the API and the benchmarks share this one
implementation and the tests can exercise it exhaustively.

The method in plain words:

1. Each answer becomes a score from 0 to 100 (`answer_score`).
2. A dimension is the weighted mean of its scored questions, a direction the weighted mean of its
   scored dimensions, the overall score the weighted mean of the scored directions. Whatever has no
   score (not applicable, unanswered, dropped) or weighs 0 leaves the mean; the remaining weights are
   renormalised. Every mean is kept within the range of what it averages, so rounding noise can
   never push a score outside [0, 100] or below its weakest part.
3. Every score gets a maturity level (`maturity_level`) and a weakest-link level: the lowest level
   among the parts that count, so one strong area cannot hide a weak one.
4. Completeness counts answered, not-applicable and evidenced questions (`Completeness`).

A node without a score says why in `dropped`. A node with no children at all is "empty". Otherwise
it takes the most actionable reason among its parts, in the order of `DROP_REASONS`: "unanswered"
(some part still lacks an answer), "zero_weight" (parts were answered but weigh 0 in total),
"not_applicable" (every part is not applicable), "empty".
"""

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ENGINE_VERSION = "1"
DIRECTIONS = ("services", "governance", "industry", "infrastructure")
DROP_REASONS = ("unanswered", "zero_weight", "not_applicable", "empty")
LEVEL_BANDS = ((1, 0.0, 20.0), (2, 20.0, 40.0), (3, 40.0, 60.0), (4, 60.0, 80.0), (5, 80.0, 100.0))
LEVEL_NAMES = {1: "Initial", 2: "Developing", 3: "Integrated", 4: "Optimising", 5: "Leading"}
LOW_EVIDENCE_SHARE = 0.5  # below this share of answers backed by evidence, a score is flagged as thinly evidenced
THRESHOLD_COUNT = 4  # where levels 2, 3, 4 and 5 of a number question begin

_ANSWER_FIELD = {"level": "level", "yes_no": "yes", "checklist": "items", "number": "number"}  # type -> Answer field
QUESTION_TYPES = tuple(_ANSWER_FIELD)


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    code: str
    type: str
    weight: float = 1
    allow_na: bool = False
    thresholds: tuple[float, ...] = ()
    items: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    code: str
    direction: str
    weight: float
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True, slots=True)
class QuestionnaireSpec:
    code: str
    direction_weights: Mapping[str, float]
    dimensions: tuple[DimensionSpec, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """Exactly one of level / yes / items / number, or not_applicable=True with none of them."""

    level: int | None = None
    yes: bool | None = None
    items: frozenset[str] | None = None
    number: float | None = None
    not_applicable: bool = False
    has_evidence: bool = False


@dataclass(frozen=True, slots=True)
class NodeScore:
    score: float | None
    level: int | None
    weakest_level: int | None
    dropped: str | None = None


@dataclass(frozen=True, slots=True)
class Completeness:
    questions: int
    answered: int  # answered with a value; not-applicable answers are counted apart
    not_applicable: int
    with_evidence: int  # answered with a value and backed by evidence

    @property
    def share_answered(self) -> float:
        """Share of questions with an answer, "not applicable" included; 0.0 for no questions."""
        return (self.answered + self.not_applicable) / self.questions if self.questions else 0.0

    @property
    def share_with_evidence(self) -> float:
        """Share of the answers with a value (N/A excluded) that are backed by evidence."""
        return self.with_evidence / max(self.answered, 1)

    @property
    def low_evidence(self) -> bool:
        """True when less than LOW_EVIDENCE_SHARE of the answers are evidenced (also when nothing is answered)."""
        return self.share_with_evidence < LOW_EVIDENCE_SHARE


@dataclass(frozen=True, slots=True)
class Scores:
    overall: NodeScore
    directions: dict[str, NodeScore]
    dimensions: dict[str, NodeScore]
    completeness: Completeness
    engine: str = ENGINE_VERSION
    question_scores: dict[str, float | None] = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        """The scores JSON of FORMATS.md (without the assessment, city, year and questionnaire keys).

        Scores are rounded half up to one decimal here and only here (`round_half_up`); levels were
        computed from the unrounded scores.
        """
        return {
            "engine": self.engine,
            "overall": {
                **_json_node(self.overall),
                "weakest_level": self.overall.weakest_level,
                "completeness": round_half_up(self.completeness.share_answered, 2),
            },
            "directions": {
                name: {**_json_node(node), "weakest_level": node.weakest_level}
                for name, node in self.directions.items()
            },
            "dimensions": {code: _json_node(node) for code, node in self.dimensions.items()},
        }


def _json_node(node: NodeScore) -> dict:
    return {"score": None if node.score is None else round_half_up(node.score, 1), "level": node.level}


def round_half_up(value: float, places: int) -> float:
    """Round as people do on paper (56.25 → 56.3), from the shortest decimal form of the float."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def maturity_level(score: float) -> int:
    """The maturity level 1-5 of a score: half-open bands [0, 20), [20, 40), [40, 60), [60, 80), [80, 100].

    The score is banded after rounding to 9 decimals: a weighted mean that is exactly 40 on paper may
    come out of floating point as 39.99999999999999 and must still be level 3.
    """
    value = round(score, 9)
    if not 0 <= value <= 100:
        raise ValueError(f"a score must lie between 0 and 100, got {score!r}")
    return next((level for level, _, upper in LEVEL_BANDS if value < upper), LEVEL_BANDS[-1][0])


def answer_score(question: QuestionSpec, answer: Answer) -> float | None:
    """The score 0-100 of one answer, or None when it does not count.

    level k (1-5) -> (k - 1) x 25; yes -> 100, no -> 0; checklist -> 100 x weight of the ticked items /
    weight of all items (None if all items weigh 0); number -> 0, 25, 50, 75 or 100 by how many of the
    four thresholds it reaches (ascending: v >= t; descending: v <= t). "Not applicable" -> None.
    Raises ValueError for an answer that does not fit the question.
    """
    values = (answer.level, answer.yes, answer.items, answer.number)
    given = len(values) - values.count(None)
    if answer.not_applicable:
        if given:
            raise ValueError(f"{question.code}: an answer is either not applicable or has a value, not both")
        if not question.allow_na:
            raise ValueError(f"{question.code}: this question may not be answered 'not applicable'")
        return None
    if question.type not in _ANSWER_FIELD:
        raise ValueError(f"{question.code}: unknown question type {question.type!r}")
    wanted = _ANSWER_FIELD[question.type]
    value = getattr(answer, wanted)
    if value is None or given != 1:
        raise ValueError(f"{question.code}: a {question.type} question needs a {wanted} value and nothing else")
    if question.type == "level":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"{question.code}: level must be an integer from 1 to 5, got {value!r}")
        return (value - 1) * 25.0
    if question.type == "yes_no":
        if not isinstance(value, bool):
            raise ValueError(f"{question.code}: a yes/no answer must be True or False, got {value!r}")
        return 100.0 if value else 0.0
    if question.type == "checklist":
        return _checklist_score(question, value)
    return _number_score(question, value)


def _checklist_score(question: QuestionSpec, ticked) -> float | None:
    if not isinstance(ticked, (set, frozenset)):
        raise ValueError(f"{question.code}: checklist items must be a set of item codes, got {ticked!r}")
    weights = dict(question.items)
    if len(weights) != len(question.items):
        raise ValueError(f"{question.code}: checklist item codes repeat")
    unknown = ticked - weights.keys()
    if unknown:
        raise ValueError(f"{question.code}: unknown checklist items {sorted(map(str, unknown))}")
    for item, weight in weights.items():
        _check_weight(weight, f"{question.code} item {item}")
    total = math.fsum(weights.values())
    if total == 0:
        return None
    return 100 * (math.fsum(weights[item] for item in ticked) / total)  # the ratio is <= 1, so never above 100


def _number_score(question: QuestionSpec, value) -> float:
    if not _is_finite_number(value):
        raise ValueError(f"{question.code}: a number answer must be a finite number, got {value!r}")
    t = question.thresholds
    if len(t) != THRESHOLD_COUNT or not all(_is_finite_number(x) for x in t):
        raise ValueError(f"{question.code}: expected {THRESHOLD_COUNT} numeric thresholds, got {t!r}")
    ascending = all(a < b for a, b in itertools.pairwise(t))
    if not ascending and not all(a > b for a, b in itertools.pairwise(t)):
        raise ValueError(f"{question.code}: thresholds must be strictly ascending or descending, got {t!r}")
    reached = sum(value >= x for x in t) if ascending else sum(value <= x for x in t)
    return reached * 25.0


def _is_finite_number(value) -> bool:
    return isinstance(value, (int, float)) and value.__class__ is not bool and math.isfinite(value)


def _check_weight(weight, what: str) -> None:
    if not _is_finite_number(weight) or weight < 0:
        raise ValueError(f"{what}: a weight must be a finite number >= 0, got {weight!r}")


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Weighted mean of (score, weight) pairs with weight > 0, kept within the scores' range; None if none.

    Clamping to [lowest, highest score] only removes rounding noise (a mean of 100s coming out as
    99.99999999999999) and keeps the mean from slipping below its weakest part.
    """
    pairs = [(score, weight) for score, weight in pairs if weight > 0]
    if not pairs:
        return None
    scores = [score for score, _ in pairs]
    mean = math.fsum([score * weight for score, weight in pairs]) / math.fsum([weight for _, weight in pairs])
    return min(max(mean, min(scores)), max(scores))


def _node(children: list[tuple[float | None, float, str | None, int | None]], *, own_level: bool) -> NodeScore:
    """Combine (score, weight, drop reason, weakest level) of the children into one node (see module docstring)."""
    counted = [child for child in children if child[0] is not None and child[1] > 0]
    if not counted:
        reasons = {reason if score is None else "zero_weight" for score, _, reason, _ in children}
        return NodeScore(None, None, None, next((r for r in DROP_REASONS if r in reasons), "empty"))
    score = weighted_mean((score, weight) for score, weight, _, _ in counted)
    level = maturity_level(score)
    return NodeScore(score, level, level if own_level else min(child[3] for child in counted))


def score_assessment(questionnaire: QuestionnaireSpec, answers: Mapping[str, Answer]) -> Scores:
    """Score one assessment: every question, dimension, direction and the whole, with levels and completeness.

    A question missing from `answers` is unanswered. Unanswered and not-applicable questions drop out of
    their dimension's mean; a dimension without a score drops out of its direction's mean, and so on up.
    The direction weights come from `questionnaire.direction_weights` (a missing direction weighs 1).
    Weakest-link level: a dimension's is its own level; a direction's is the lowest level of its counted
    dimensions; the overall one is the lowest weakest-link level of the counted directions.
    Raises ValueError for an answer that does not fit its question, an answer to an unknown question,
    a repeated code, an unknown direction or a negative weight.
    """
    question_scores: dict[str, float | None] = {}
    dimensions: dict[str, NodeScore] = {}
    by_direction: dict[str, list] = {direction: [] for direction in DIRECTIONS}
    answered = not_applicable = with_evidence = 0
    for dimension in questionnaire.dimensions:
        if dimension.code in dimensions:
            raise ValueError(f"dimension {dimension.code}: the code repeats")
        if dimension.direction not in by_direction:
            raise ValueError(f"dimension {dimension.code}: unknown direction {dimension.direction!r}")
        _check_weight(dimension.weight, f"dimension {dimension.code}")
        children = []
        for question in dimension.questions:
            if question.code in question_scores:
                raise ValueError(f"question {question.code}: the code repeats")
            if question.type not in _ANSWER_FIELD:  # checked here too, so an unanswered question cannot hide it
                raise ValueError(f"question {question.code}: unknown question type {question.type!r}")
            _check_weight(question.weight, f"question {question.code}")
            answer = answers.get(question.code)
            score = None if answer is None else answer_score(question, answer)
            question_scores[question.code] = score
            if answer is None:
                reason = "unanswered"
            elif answer.not_applicable:
                reason, not_applicable = "not_applicable", not_applicable + 1
            else:  # answered: it can only fail to count through weights of zero
                reason, answered, with_evidence = "zero_weight", answered + 1, with_evidence + bool(answer.has_evidence)
            children.append((score, question.weight, reason, None))
        node = dimensions[dimension.code] = _node(children, own_level=True)
        by_direction[dimension.direction].append((node.score, dimension.weight, node.dropped, node.weakest_level))
    unknown = set(answers) - question_scores.keys()
    if unknown:
        raise ValueError(f"answers to questions that are not in {questionnaire.code}: {sorted(map(str, unknown))}")
    for direction, weight in questionnaire.direction_weights.items():
        if direction not in by_direction:
            raise ValueError(f"direction weights: unknown direction {direction!r}")
        _check_weight(weight, f"direction {direction}")
    directions = {direction: _node(children, own_level=False) for direction, children in by_direction.items()}
    overall = _node(
        [
            (node.score, questionnaire.direction_weights.get(direction, 1), node.dropped, node.weakest_level)
            for direction, node in directions.items()
        ],
        own_level=False,
    )
    completeness = Completeness(len(question_scores), answered, not_applicable, with_evidence)
    return Scores(overall, directions, dimensions, completeness, question_scores=question_scores)
