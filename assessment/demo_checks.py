"""Demo answers that tell a true story: consistent with each other and with the city's profile.

The demo draws answers at random around a base level per city (`assessment.demo`), and random
answers contradict each other: a city operations platform in daily use beside no sensors at all.
`settle` reads such answers as the rules in force read them (`assessment.consistency`) and mends
each warning the way a city team would when the answering page shows it: it gives the answer the
warning expects (ticks the item, raises the foundation, answers a question marked not applicable),
or, for a rule that expects nothing, takes back the claim it questions. A warning the story explains
in a comment (`assessment.demo.DEMO_STORIES`) is left as it is, as a real city would leave it. Notices
are left too: they are worth a look, not wrong.
"""

from collections.abc import Callable, Mapping

from assessment.consistency import AllOf, AnyOf, CityProfile, Condition, Rule, Test, check_answers, explain, passes
from assessment.scores import plain_answer

MAX_ROUNDS = 40

Values = dict[str, dict]  # question code -> answer fields (level, yes, items, number, not_applicable, comment)


class DemoStoryError(RuntimeError):
    """The demo's answers could not be made consistent (a story that contradicts itself)."""


def _answers(values: Values) -> dict:
    answers = {}
    for code, fields in values.items():
        answer = plain_answer(
            fields.get("level"), fields.get("yes"), fields.get("items"), fields.get("number"), fields["not_applicable"]
        )
        if answer is not None:
            answers[code] = answer
    return answers


def unexplained_warnings(values: Values, rules, city: CityProfile) -> list:
    comments = {code: fields.get("comment", "") for code, fields in values.items()}
    found = explain(check_answers(rules, _answers(values), city), comments)
    return [checked.finding for checked in found if checked.blocks_submission]


def settle(
    values: Values,
    *,
    rules: tuple[Rule, ...],
    city: CityProfile,
    items: Mapping[str, list[str]],
    allow_na: frozenset[str],
    anew: Callable[[str], dict],
    fixed: frozenset[str] = frozenset(),
) -> Values:
    """`values` changed until no warning of `rules` is left unexplained. `items`: each checklist's
    item codes in order; `allow_na`: the questions that may be not applicable; `anew(code)`: a fresh
    answer with a value for a question; `fixed`: the questions the story sets, never changed."""
    values = {code: dict(fields) for code, fields in values.items()}
    by_code = {rule.code: rule for rule in rules}
    for _round in range(MAX_ROUNDS):
        found = unexplained_warnings(values, rules, city)
        if not found:
            return values
        for finding in found:
            rule = by_code[finding.rule]
            _Mender(values, items, allow_na, anew, fixed).mend(rule)
    left = ", ".join(f.rule for f in unexplained_warnings(values, rules, city))
    raise DemoStoryError(f"the demo answers still contradict each other: {left}")


class _Mender:
    def __init__(self, values: Values, items, allow_na, anew, fixed):
        self.values, self.items, self.allow_na, self.anew, self.fixed = values, items, allow_na, anew, fixed

    def mend(self, rule: Rule) -> None:
        if rule.kind == "range":
            self._set_number(rule.questions[0], rule.low, rule.high)
        elif rule.expect is not None:
            self.satisfy(rule.expect)
        elif rule.when is not None:
            self.violate(rule.when)

    def _free(self, condition: Condition, wanted: bool) -> bool:
        """Whether the answers `condition` tests may change so that it holds (`wanted`) or fails."""
        if isinstance(condition, Test):
            code = condition.question
            if code in self.fixed or code not in self.values:
                return False
            return self._na_for(condition, wanted) is not True or code in self.allow_na
        return any(self._free(part, wanted) for part in condition.parts)

    def satisfy(self, condition: Condition) -> None:
        if isinstance(condition, AllOf):
            for part in condition.parts:
                self.satisfy(part)
        elif isinstance(condition, AnyOf):
            self.satisfy(next((part for part in condition.parts if self._free(part, True)), condition.parts[0]))
        elif self._free(condition, True) and self._passes(condition) is not True:
            self._make(condition, True)

    def violate(self, condition: Condition) -> None:
        if isinstance(condition, AllOf):  # one part false is enough: the first that can change
            self.violate(next((part for part in condition.parts if self._free(part, False)), condition.parts[0]))
        elif isinstance(condition, AnyOf):
            for part in condition.parts:
                self.violate(part)
        elif self._free(condition, False) and self._passes(condition) is not False:
            self._make(condition, False)

    def _passes(self, test: Test) -> bool | None:
        return passes(test, _answers({test.question: self.values[test.question]}).get(test.question))

    @staticmethod
    def _na_for(test: Test, wanted: bool) -> bool | None:
        """For a test of "not applicable" or "answered": whether the answer must be not applicable
        for the test to hold (`wanted`) or fail; None for a test of a value."""
        if test.what == "not_applicable":
            return test.flag == wanted
        if test.what == "answered":
            return test.flag != wanted
        return None

    def _make(self, test: Test, wanted: bool) -> None:
        """Change the answer of `test.question` so that `test` holds (`wanted`) or fails."""
        code, fields = test.question, self.values[test.question]
        not_applicable = self._na_for(test, wanted)
        if not_applicable is not None:
            fresh = {**_blank(), "not_applicable": True} if not_applicable else self.anew(code)
            self.values[code] = {**fresh, "comment": fields.get("comment", "")}
            return
        if fields["not_applicable"]:
            if not wanted:
                return  # a value test already fails on "not applicable"
            self.values[code] = {**self.anew(code), "comment": fields.get("comment", "")}
            fields = self.values[code]
        if test.what == "answer":
            fields["yes"] = test.flag if wanted else not test.flag
        elif test.what == "level":
            fields["level"] = _bounded(fields["level"], test.low, test.high, wanted, whole=True, floor=1, ceiling=5)
        elif test.what == "number":
            fields["number"] = _bounded(fields["number"], test.low, test.high, wanted, whole=False, floor=0)
        else:
            fields["items"] = self._ticked(code, set(fields["items"] or []), test, wanted)

    def _ticked(self, code: str, ticked: set, test: Test, wanted: bool) -> list[str]:
        order = self.items.get(code, [])
        add = (test.what in ("ticked", "ticked_any")) == wanted
        if test.what == "ticked_count":
            low, high = test.low or 0, len(order) if test.high is None else test.high
            target = max(low, min(len(ticked), high)) if wanted else (low - 1 if low > 0 else high + 1)
            if len(ticked) < target:
                ticked |= set([item for item in order if item not in ticked][: target - len(ticked)])
            else:
                ticked = set(sorted(ticked, key=order.index)[: max(target, 0)])
        elif add:
            ticked |= set(test.items) if test.what == "ticked" else {min(test.items, key=order.index)}
        else:
            ticked -= set(test.items)
        return [item for item in order if item in ticked]

    def _set_number(self, code: str, low, high) -> None:
        fields = self.values.get(code)
        if fields is None or code in self.fixed or fields.get("number") is None:
            return
        fields["number"] = _bounded(fields["number"], low, high, True, whole=False, floor=0)


def _blank() -> dict:
    return {"level": None, "yes": None, "items": None, "number": None, "not_applicable": False}


def _bounded(value, low, high, wanted: bool, *, whole: bool, floor: float, ceiling: float | None = None):
    """`value` moved just inside [low, high] (`wanted`) or just outside it."""
    step = 1 if whole else 0.5
    if wanted:
        if low is not None and value < low:
            return low
        if high is not None and value > high:
            return high
        return value
    if low is not None and (low - step) >= floor:
        return low - step
    if high is not None and (ceiling is None or high + step <= ceiling):
        return high + step
    return value
