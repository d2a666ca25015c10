"""Rules of a question's own fields, shared by the model's `clean` (the admin) and the bank file's
check: plain values in, problems out. Below the models, so that both can use it."""

import itertools
import math

LEVEL_COUNT = 5
THRESHOLD_COUNT = LEVEL_COUNT - 1


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def question_type_problems(*, type: str, thresholds) -> list[str]:
    """Rules of a question's own fields that the model's `clean` shares with the file check."""
    if type != "number":  # QuestionType.NUMBER (this module is below the models)
        return []
    if not isinstance(thresholds, list) or len(thresholds) != THRESHOLD_COUNT:
        count = len(thresholds) if isinstance(thresholds, list) else 0
        return [f"expected {THRESHOLD_COUNT} thresholds, got {count}"]
    if not all(is_number(value) for value in thresholds):
        return ["every threshold must be a number"]
    pairs = list(itertools.pairwise(thresholds))
    if not (all(a < b for a, b in pairs) or all(a > b for a, b in pairs)):
        return ["thresholds must be strictly ascending (more is better) or strictly descending (less is better)"]
    return []
