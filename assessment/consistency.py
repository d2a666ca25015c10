"""The checking engine: answers and a city's profile in, findings out (issue 26).

A functional core like `scoring`: plain frozen dataclasses in, plain dataclasses out; no Django,
no database. The rules come from a file per bank version (`consistency_file`, the format in
docs/formats.md), so a consultant's judgement is data, not code.

The method in plain words:

1. A **test** asks one thing of one question's answer: its level (`level: 4` or `{min, max}`),
   its yes or no (`answer: no`), which checklist items are ticked (all of `ticked`, any of `ticked_any`, none of
   `not_ticked`, how many: `ticked_count`), its number (`{min, max}`, both inclusive), whether it
   is not applicable, or whether it has a value at all (`answered`). Tests combine with `all` and
   `any`.
2. Tests answer in three values: true, false, or *unknown* when the question is unanswered. A
   not-applicable answer is known: it fails every test on a value and passes `not_applicable`.
   `all` is false as soon as one part is false, unknown if a part is unknown, else true; `any` is
   true as soon as one part is true, unknown if a part is unknown, else false. So a rule never
   fires on what has not been answered yet.
3. A **cross-question** rule (`cross`) fires when its `when` holds and its `expect` fails (or,
   without `expect`, whenever `when` holds): an answer presupposes another. A **profile** rule
   (`profile`) does the same for cities whose profile matches its `profile` (every key given must
   hold; a list means any of its values): answers that contradict the city's specialties,
   cluster, functional zone, terrain, level or region. A **range** rule fires when a number
   answer lies outside a plausible range (`min`, `max`), which is narrower than the bounds a
   number may take at all.
4. A **finding** names its rule, the questions the rule names (in the order it names them), a
   severity — `warning` (probably wrong) or `notice` (worth a look) — and the rule's message in
   both languages, where `{CODE}` stands for that question's number or level as answered.
5. A warning is **explained** when one of the questions it names carries a comment: the
   respondent said why the answers are right. Notices never need explaining.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assessment.scoring import Answer

KINDS = ("cross", "profile", "range")
SEVERITIES = ("warning", "notice")
LANGUAGES = ("zh-hans", "en")
VALUE_TESTS = ("level", "answer", "ticked", "ticked_any", "not_ticked", "ticked_count", "number")
TESTS = (*VALUE_TESTS, "not_applicable", "answered")
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\-]+)\}")


@dataclass(frozen=True, slots=True)
class Test:
    """One test of one question's answer (`what` is one of TESTS).

    `low`/`high` bound a level, a number or a count of ticked items (None: unbounded); `items` are
    checklist item codes; `flag` is the value of `answer` (yes: True), `not_applicable` or `answered`."""

    question: str
    what: str
    low: float | None = None
    high: float | None = None
    items: frozenset[str] = frozenset()
    flag: bool | None = None


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple


Condition = Test | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class CityProfile:
    """What the rules may ask of a city (codes as in the cities app; blank when not recorded)."""

    specialties: frozenset[str] = frozenset()
    cluster: str = ""
    functional_zone: str = ""
    terrain: str = ""
    level: str = ""
    region: str = ""


@dataclass(frozen=True, slots=True)
class ProfileMatch:
    """Which cities a profile rule is about: every attribute given must hold (None: any city)."""

    specialties: frozenset[str] | None = None  # has any of these
    without_specialties: frozenset[str] | None = None  # has none of these
    cluster: bool | None = None  # inside a city cluster, or outside every one
    functional_zones: frozenset[str] | None = None
    terrains: frozenset[str] | None = None
    levels: frozenset[str] | None = None
    regions: frozenset[str] | None = None

    def holds(self, city: CityProfile) -> bool:
        one_of = {
            "functional_zones": city.functional_zone,
            "terrains": city.terrain,
            "levels": city.level,
            "regions": city.region,
        }
        return (
            (self.specialties is None or bool(self.specialties & city.specialties))
            and (self.without_specialties is None or not self.without_specialties & city.specialties)
            and (self.cluster is None or self.cluster == bool(city.cluster))
            and all(getattr(self, name) is None or value in getattr(self, name) for name, value in one_of.items())
        )


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    kind: str
    severity: str
    message: Mapping[str, str]
    when: Condition | None = None
    expect: Condition | None = None
    profile: ProfileMatch | None = None
    low: float | None = None  # range rules: the plausible range of `questions[0]`
    high: float | None = None
    questions: tuple[str, ...] = ()  # every question the rule names, in the order it names them


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    kind: str
    questions: tuple[str, ...]
    severity: str
    message: dict[str, str]  # by language, placeholders filled

    def to_json_dict(self) -> dict:
        """The finding as `check_answers --format json` prints it (FORMATS.md)."""
        return {
            "rule": self.rule,
            "questions": list(self.questions),
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """The comment that explains a warning, and the question it is on."""

    question: str
    comment: str


@dataclass(frozen=True, slots=True)
class CheckedFinding:
    finding: Finding
    explanation: Explanation | None = None

    @property
    def blocks_submission(self) -> bool:
        """A warning that nobody explained holds the submission up; a notice never does."""
        return self.finding.severity == "warning" and self.explanation is None


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The rules of one bank version, with the rules that name each question at hand."""

    rules: tuple[Rule, ...]
    by_question: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> "RuleBook":
        rules = tuple(rules)
        by_question: dict[str, list[Rule]] = {}
        for rule in rules:
            for code in rule.questions:
                by_question.setdefault(code, []).append(rule)
        return cls(rules, {code: tuple(named) for code, named in by_question.items()})

    def naming(self, codes: Iterable[str]) -> tuple[Rule, ...]:
        """The rules that name any of these questions, in the book's order: only they can change
        when these answers change."""
        wanted = {id(rule) for code in codes for rule in self.by_question.get(code, ())}
        return tuple(rule for rule in self.rules if id(rule) in wanted)


# Reading rules from plain data (as validated by `consistency_file`) ------------------------------


def condition_from_data(data) -> Condition:
    """A condition as written in a rules file: a test mapping, `{all: [...]}`, `{any: [...]}`, or a
    list (all of it)."""
    if isinstance(data, list):
        return AllOf(tuple(condition_from_data(part) for part in data))
    if "all" in data:
        return AllOf(tuple(condition_from_data(part) for part in data["all"]))
    if "any" in data:
        return AnyOf(tuple(condition_from_data(part) for part in data["any"]))
    (what,) = [key for key in data if key != "question"]
    value = data[what]
    question = str(data["question"])
    if what in ("level", "number", "ticked_count"):
        low, high = (value, value) if not isinstance(value, dict) else (value.get("min"), value.get("max"))
        return Test(question, what, low=low, high=high)
    if what in ("ticked", "ticked_any", "not_ticked"):
        return Test(question, what, items=frozenset(map(str, value)))
    return Test(question, what, flag=bool(value))


def _names(condition: Condition | None) -> list[str]:
    if condition is None:
        return []
    if isinstance(condition, Test):
        return [condition.question]
    return [code for part in condition.parts for code in _names(part)]


def profile_from_data(data: Mapping) -> ProfileMatch:
    sets = {key: frozenset(map(str, value)) for key, value in data.items() if key != "cluster"}
    return ProfileMatch(cluster=data.get("cluster"), **sets)


def rule_from_data(data: Mapping) -> Rule:
    """One rule of a validated rules file as the engine's plain data."""
    when = condition_from_data(data["when"]) if "when" in data else None
    expect = condition_from_data(data["expect"]) if "expect" in data else None
    named = [str(data["question"])] if "question" in data else [*_names(when), *_names(expect)]
    return Rule(
        code=str(data["code"]),
        kind=data["kind"],
        severity=data["severity"],
        message=dict(data["message"]),
        when=when,
        expect=expect,
        profile=profile_from_data(data["profile"]) if "profile" in data else None,
        low=data.get("min"),
        high=data.get("max"),
        questions=tuple(dict.fromkeys(named)),
    )


def rule_book(rules: Iterable[Mapping]) -> RuleBook:
    return RuleBook.of(rule_from_data(rule) for rule in rules)


# Checking ----------------------------------------------------------------------------------------


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def passes(test: Test, answer: Answer | None) -> bool | None:
    """Whether `answer` passes `test`: True, False, or None when the question is unanswered."""
    if answer is None:
        return None
    if test.what == "not_applicable":
        return answer.not_applicable == test.flag
    if test.what == "answered":
        return (not answer.not_applicable) == test.flag
    if answer.not_applicable:
        return False
    if test.what == "level":
        return answer.level is not None and _within(answer.level, test.low, test.high)
    if test.what == "answer":  # a yes/no question: `answer: yes` or `answer: no`
        return answer.yes is not None and answer.yes == test.flag
    if test.what == "number":
        number = answer.number
        return number is not None and math.isfinite(number) and _within(number, test.low, test.high)
    ticked = answer.items
    if ticked is None:
        return False
    if test.what == "ticked":
        return test.items <= ticked
    if test.what == "ticked_any":
        return bool(test.items & ticked)
    if test.what == "not_ticked":
        return not test.items & ticked
    return _within(len(ticked), test.low, test.high)  # ticked_count


def holds(condition: Condition, answers: Mapping[str, Answer]) -> bool | None:
    """A condition over the answers in three values (see the module's method, step 2)."""
    if isinstance(condition, Test):
        return passes(condition, answers.get(condition.question))
    values = [holds(part, answers) for part in condition.parts]
    if isinstance(condition, AllOf):
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def fires(rule: Rule, answers: Mapping[str, Answer], city: CityProfile) -> bool:
    """Whether `rule` finds something in these answers of this city."""
    if rule.kind == "range":
        answer = answers.get(rule.questions[0])
        if answer is None or answer.not_applicable or answer.number is None:
            return False
        return not _within(answer.number, rule.low, rule.high)
    if rule.profile is not None and not rule.profile.holds(city):
        return False
    when = True if rule.when is None else holds(rule.when, answers)
    return when is True and (rule.expect is None or holds(rule.expect, answers) is False)


def _shown(answer: Answer | None) -> str:
    """An answer's number or level as a placeholder shows it."""
    if answer is None or answer.not_applicable:
        return "—"
    if answer.level is not None:
        return f"L{answer.level}"
    if answer.number is not None:
        return f"{answer.number:g}"
    return "—"


def message_of(rule: Rule, answers: Mapping[str, Answer]) -> dict[str, str]:
    """The rule's message in each language, `{CODE}` replaced by that question's answer."""
    return {
        language: PLACEHOLDER.sub(lambda match: _shown(answers.get(match.group(1))), text)
        for language, text in rule.message.items()
    }


def check_answers(rules: Iterable[Rule], answers: Mapping[str, Answer], city: CityProfile) -> list[Finding]:
    """The findings of `rules` on one assessment's answers (by question code) and its city's profile,
    in the order of the rules. Unanswered questions are simply absent from `answers`."""
    return [
        Finding(rule.code, rule.kind, rule.questions, rule.severity, message_of(rule, answers))
        for rule in rules
        if fires(rule, answers, city)
    ]


def explain(findings: Iterable[Finding], comments: Mapping[str, str]) -> list[CheckedFinding]:
    """Each finding with the comment that explains it, if it is a warning and one of the questions
    it names carries a comment (the first of them in the rule's order)."""
    checked = []
    for finding in findings:
        explanation = None
        if finding.severity == "warning":
            code = next((code for code in finding.questions if (comments.get(code) or "").strip()), None)
            explanation = Explanation(code, comments[code].strip()) if code else None
        checked.append(CheckedFinding(finding, explanation))
    return checked


def needs_profile(rules: Iterable[Rule]) -> bool:
    """Whether any of these rules looks at the city's profile (so it must be read)."""
    return any(rule.profile is not None for rule in rules)
