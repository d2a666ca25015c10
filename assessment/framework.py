"""Results read through a national framework (GB/T 33356-2022): pure, over plain data.

The bank file maps each dimension, or a single question, to indicators of the framework
(`national`). The view is computed from the question scores the engine already produced, so a
submitted assessment's view comes from its stored scores and never changes:

1. A question counts towards the indicators of its own `national` list, or else of its
   dimension's.
2. An indicator's score is the weighted mean (question weights) of the scores of the questions
   that count towards it; unanswered and not-applicable questions leave the mean, as in the
   engine. A first-level indicator averages the scores of its second-level indicators with a
   score, together with any question mapped to it directly (each such question as one part).
3. Levels use the engine's bands (`scoring.maturity_level`).
4. Indicators that no question measures are listed as not covered by the bank.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from assessment.scoring import maturity_level, round_half_up, weighted_mean


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    title: Mapping[str, str]
    score: float | None
    level: int | None
    questions: tuple[str, ...]  # the codes of the questions that count towards it
    children: tuple["IndicatorResult", ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.questions) or any(child.covered for child in self.children)

    def to_json_dict(self) -> dict:
        entry = {
            "code": self.code,
            "title": dict(self.title),
            "score": None if self.score is None else round_half_up(self.score, 1),
            "level": self.level,
            "questions": list(self.questions),
        }
        if self.children:
            entry["children"] = [child.to_json_dict() for child in self.children]
        return entry


@dataclass(frozen=True)
class FrameworkView:
    code: str
    title: Mapping[str, str]
    note: Mapping[str, str]
    indicators: tuple[IndicatorResult, ...]

    @property
    def not_covered(self) -> list[IndicatorResult]:
        """Indicators (second level, or a first level without children) that no question measures."""
        missing = []
        for indicator in self.indicators:
            if not indicator.children:
                missing += [] if indicator.covered else [indicator]
            missing += [child for child in indicator.children if not child.covered]
        return missing

    def to_json_dict(self) -> dict:
        return {
            "code": self.code,
            "title": dict(self.title),
            "note": dict(self.note),
            "indicators": [indicator.to_json_dict() for indicator in self.indicators],
            "not_covered": [indicator.code for indicator in self.not_covered],
        }


@dataclass(frozen=True)
class MappedQuestion:
    code: str
    weight: float
    indicators: tuple[str, ...]


def framework_view(
    framework: Mapping, questions: list[MappedQuestion], question_scores: Mapping[str, float | None]
) -> FrameworkView:
    """The assessment's results by the framework's indicators (see the module docstring)."""
    counting: dict[str, list[MappedQuestion]] = defaultdict(list)
    for question in questions:
        for code in question.indicators:
            counting[code].append(question)

    def result(indicator: Mapping, children: tuple[IndicatorResult, ...] = ()) -> IndicatorResult:
        own = counting.get(str(indicator["code"]), [])
        parts = [(question_scores.get(q.code), q.weight) for q in own] + [(child.score, 1) for child in children]
        score = weighted_mean((score, weight) for score, weight in parts if score is not None)
        return IndicatorResult(
            code=str(indicator["code"]),
            title=indicator["title"],
            score=score,
            level=None if score is None else maturity_level(score),
            questions=tuple(q.code for q in own),
            children=children,
        )

    indicators = tuple(
        result(first, tuple(result(second) for second in first.get("children") or ()))
        for first in framework.get("indicators") or ()
    )
    return FrameworkView(
        code=str(framework.get("code", "")),
        title=framework.get("title") or {},
        note=framework.get("note") or {},
        indicators=indicators,
    )
