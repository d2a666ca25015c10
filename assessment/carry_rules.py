"""Carrying answers to a new question bank version: pure rules over plain data.

A new version says, for each of its questions, which questions of the previous version it
continues and how (`bank_mapping`). From a source assessment's answers this module works out
each new question's starting answer and its status:

* **carried** — `same`: the answer, comment and evidence are copied as they are. (A number keeps
  its value; if the thresholds moved, the new thresholds score it.)
* **review** — the answer is carried but the question changed, so the respondent confirms it:
  `rescaled` (the old level goes through the mapping's `levels`), `split` (the old answer
  starts each of the new questions), `merged` (the lowest level of the answered sources after
  rescaling, "yes" only if every source says yes, the union of ticked items). A "not
  applicable" answer where the new question does not allow it leaves the question empty, also
  for review.
* **new** — the question has no counterpart; it stays unanswered.
* **unanswered** — it has a counterpart, but the source left that unanswered: nothing to carry.

Checklist items are carried by code (renamed through the mapping's `items`); items the new
question no longer has are dropped (never for `same`, which the bank check forbids). Nothing
here changes the source: the function returns new values only.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

CARRIED, REVIEW, NEW, UNANSWERED = "carried", "review", "new", "unanswered"
STATUSES = (CARRIED, REVIEW, NEW, UNANSWERED)


@dataclass(frozen=True)
class Continuation:
    """How one new question continues old ones (a question's `migration` in the bank file)."""

    how: str = "new"
    sources: tuple[str, ...] = ()
    levels: tuple[int, ...] | Mapping[str, int] | None = None  # new level of old L1..L5, or of yes/no
    items: Mapping[str, str] = field(default_factory=dict)  # old checklist item code -> new code


@dataclass(frozen=True)
class Target:
    """A question of the new version."""

    code: str
    type: str
    allow_na: bool = False
    items: frozenset[str] = frozenset()
    continues: Continuation = Continuation()


@dataclass(frozen=True)
class Value:
    """An answer: exactly one of level / yes / items / number, or not_applicable; with its notes."""

    level: int | None = None
    yes: bool | None = None
    items: tuple[str, ...] | None = None
    number: float | None = None
    not_applicable: bool = False
    comment: str = ""
    evidence_url: str = ""
    evidence_file: str = ""

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or any(v is not None for v in (self.level, self.yes, self.items, self.number))


@dataclass(frozen=True)
class Outcome:
    code: str
    status: str
    value: Value | None
    sources: tuple[str, ...]
    how: str


def carry(targets: list[Target], answers: Mapping[str, Value]) -> list[Outcome]:
    """The starting answer of every new question, in the order given; `answers` is not changed."""
    return [_carry_one(target, answers) for target in targets]


def _carry_one(target: Target, answers: Mapping[str, Value]) -> Outcome:
    continues = target.continues
    if continues.how == "new" or not continues.sources:
        return Outcome(target.code, NEW, None, (), "new")
    answered = {code: answers[code] for code in continues.sources if code in answers and answers[code].is_answered}
    if not answered:
        return Outcome(target.code, UNANSWERED, None, continues.sources, continues.how)
    value = _combine(target, answered)
    status = CARRIED if continues.how == "same" and value is not None else REVIEW
    return Outcome(target.code, status, value, continues.sources, continues.how)


def _combine(target: Target, answered: dict[str, Value]) -> Value | None:
    """One value for the new question from the answered old ones (one, except for `merged`)."""
    notes = _notes(answered)
    olds = list(answered.values())
    if all(old.not_applicable for old in olds):
        return Value(not_applicable=True, **notes) if target.allow_na else None
    olds = [old for old in olds if not old.not_applicable]
    continues = target.continues
    if target.type == "level":
        return Value(level=min(_new_level(old, continues.levels) for old in olds), **notes)
    if target.type == "yes_no":
        return Value(yes=all(old.yes for old in olds), **notes)
    if target.type == "checklist":
        ticked = []
        for old in olds:
            for code in old.items or ():
                code = continues.items.get(code, code)
                if code in target.items and code not in ticked:
                    ticked.append(code)
        return Value(items=tuple(ticked), **notes)
    return Value(number=olds[0].number, **notes)


def _new_level(old: Value, levels) -> int:
    if old.level is None:  # a yes/no answer rescaled to a level
        return levels["yes" if old.yes else "no"]
    return levels[old.level - 1] if levels else old.level


def _notes(answered: dict[str, Value]) -> dict:
    """Comment and evidence: as they are from one source; from several, each comment with its code."""
    olds = list(answered.values())
    if len(olds) == 1:
        old = olds[0]
        return {"comment": old.comment, "evidence_url": old.evidence_url, "evidence_file": old.evidence_file}
    return {
        "comment": "\n".join(f"{code}: {old.comment}" for code, old in answered.items() if old.comment),
        "evidence_url": next((old.evidence_url for old in olds if old.evidence_url), ""),
        "evidence_file": next((old.evidence_file for old in olds if old.evidence_file), ""),
    }


def by_code_and_type(targets: list[Target], old_types: Mapping[str, str]) -> list[Target]:
    """Targets continuing the old question of the same code and type as `same`, the rest as new.

    The rule between versions without a mapping (e.g. a version and its clone).
    """
    return [
        Target(
            code=t.code,
            type=t.type,
            allow_na=t.allow_na,
            items=t.items,
            continues=Continuation("same", (t.code,)) if old_types.get(t.code) == t.type else Continuation(),
        )
        for t in targets
    ]


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """How many outcomes have each status."""
    tally = dict.fromkeys(STATUSES, 0)
    for outcome in outcomes:
        tally[outcome.status] += 1
    return tally
