"""Time the scoring engine alone: 2,111 assessments of an 80-question bank, no Django, no database.

Run from the repository root: .venv/bin/python benchmarks/scoring_core.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, so `assessment` imports

from assessment.scoring import (  # noqa: E402  (after the path is set)
    DIRECTIONS,
    ENGINE_VERSION,
    Answer,
    DimensionSpec,
    QuestionnaireSpec,
    QuestionSpec,
    score_assessment,
)

SEED = 20260101
ASSESSMENTS = 2111
DIMENSIONS_PER_DIRECTION = 5
QUESTIONS_PER_DIMENSION = 4
REPEATS = 5
PREFIX = {"services": "S", "governance": "G", "industry": "I", "infrastructure": "N"}


def build_questionnaire(rng: random.Random) -> QuestionnaireSpec:
    """4 directions x 5 dimensions x 4 questions of mixed types, weighted as real banks are (mostly 1)."""
    dimensions = []
    for direction in DIRECTIONS:
        for d in range(1, DIMENSIONS_PER_DIRECTION + 1):
            code = f"{PREFIX[direction]}{d}"
            questions = []
            for q in range(1, QUESTIONS_PER_DIMENSION + 1):
                qtype = rng.choices(["level", "yes_no", "checklist", "number"], weights=[4, 2, 2, 2])[0]
                weight = rng.choice([1, 1, 1, 1, 2, 0.5])
                thresholds = items = ()
                if qtype == "number":
                    thresholds = (20, 40, 60, 80) if rng.random() < 0.7 else (80, 60, 40, 20)
                elif qtype == "checklist":
                    items = tuple((chr(97 + i), rng.choice([1, 1, 2, 3])) for i in range(rng.randint(3, 6)))
                questions.append(QuestionSpec(f"{code}.{q}", qtype, weight, rng.random() < 0.15, thresholds, items))
            dimensions.append(DimensionSpec(code, direction, rng.choice([1, 1, 1, 2]), tuple(questions)))
    return QuestionnaireSpec(
        "bench", {"services": 1.2, "governance": 1, "industry": 1, "infrastructure": 0.8}, tuple(dimensions)
    )


def build_answer(rng: random.Random, question: QuestionSpec) -> Answer:
    evidence = rng.random() < 0.6
    if question.allow_na and rng.random() < 0.3:
        return Answer(not_applicable=True)
    if question.type == "level":
        return Answer(level=rng.randint(1, 5), has_evidence=evidence)
    if question.type == "yes_no":
        return Answer(yes=rng.random() < 0.5, has_evidence=evidence)
    if question.type == "checklist":
        ticked = frozenset(code for code, _ in question.items if rng.random() < 0.5)
        return Answer(items=ticked, has_evidence=evidence)
    return Answer(number=round(rng.uniform(0, 100), 1), has_evidence=evidence)


def main() -> None:
    rng = random.Random(SEED)
    questionnaire = build_questionnaire(rng)
    questions = [question for dimension in questionnaire.dimensions for question in dimension.questions]
    assessments = [{q.code: build_answer(rng, q) for q in questions} for _ in range(ASSESSMENTS)]

    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for answers in assessments:
            score_assessment(questionnaire, answers)
        timings.append(time.perf_counter() - start)

    best, median = min(timings), statistics.median(timings)
    print(f"scoring engine {ENGINE_VERSION}, Python {sys.version.split()[0]}")
    print(f"assessments:          {len(assessments)}")
    print(f"answers each:         {len(questions)}")
    print(f"best of {REPEATS}, all:       {best:.3f} s")
    print(f"median of {REPEATS}, all:     {median:.3f} s")
    print(f"per assessment (best): {best / len(assessments) * 1e6:.0f} us")


if __name__ == "__main__":
    main()
