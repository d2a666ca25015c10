"""Rules files (docs/formats.md): the consistency and plausibility rules of one bank version.

One file per bank version, beside its bank (`fixtures/checks-smc-2027.yaml`). A file is checked
against the version it names, like a bank file: every problem is listed by its path (e.g.
``rules[3].when.question: unknown question 'X9.9' in smc-2027``) and nothing is written unless
there is none. An import that changes the rules adds the next revision of the version's rule set
(`CheckRuleSet`); an import of the rules in force changes nothing. The bank itself is never touched,
so a published version's rules can be replaced (rules are advice, not part of the scores).
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assessment.bank_file import FileChecker, Problem, join_path, kind_of
from assessment.consistency import KINDS, LANGUAGES, PLACEHOLDER, SEVERITIES, TESTS, rule_book
from assessment.models import CheckRuleSet, Question, QuestionnaireVersion, QuestionType
from cities.geography import Region
from cities.models import AdministrativeLevel, FunctionalZone, Specialty, Terrain
from common.data_text import DataTextError, parse_data, read_data_file

_TOP_KEYS = {"questionnaire", "rules"}
_RULE_KEYS = {"code", "kind", "severity", "when", "expect", "profile", "question", "min", "max", "message"}
_KIND_KEYS = {  # required, then allowed beside code, kind, severity and message
    "cross": ({"when"}, {"when", "expect"}),
    "profile": ({"profile"}, {"profile", "when", "expect"}),
    "range": ({"question"}, {"question", "min", "max"}),
}
_TEST_TYPES = {  # the question types each test applies to (None: any)
    "level": {QuestionType.LEVEL},
    "answer": {QuestionType.YES_NO},
    "ticked": {QuestionType.CHECKLIST},
    "ticked_any": {QuestionType.CHECKLIST},
    "not_ticked": {QuestionType.CHECKLIST},
    "ticked_count": {QuestionType.CHECKLIST},
    "number": {QuestionType.NUMBER},
    "not_applicable": None,
    "answered": None,
}
PROFILE_VALUES = {
    "specialties": set(Specialty.values),
    "without_specialties": set(Specialty.values),
    "functional_zones": set(FunctionalZone.values),
    "terrains": set(Terrain.values),
    "levels": set(AdministrativeLevel.values),
    "regions": set(Region.values),
}
_PROFILE_KEYS = {*PROFILE_VALUES, "cluster"}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,59}$")
MAX_RULES = 1000
MAX_MESSAGE = 500  # characters of a message in one language
MAX_NESTING = 8  # all/any inside each other


@dataclass(frozen=True)
class QuestionFacts:
    """What the check needs of a question of the bank."""

    type: str
    allow_na: bool = False
    items: frozenset[str] = frozenset()


class RulesFileError(Exception):
    """A rules file that cannot be imported; `problems` says what and where."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


# Reading ---------------------------------------------------------------------------------------


def read_rules_file(path: str | Path) -> dict:
    """The rules file at `path` as plain data; a problem with the whole file is given without its
    path, which the command's message names."""
    return _read(lambda: read_data_file(path, json_format=_is_json(Path(path).name)), "")


def parse_rules_text(text: str, *, name: str) -> dict:
    """Rules as YAML or JSON text (by the file name's ending); a problem with the whole file is
    given under `name` (the admin's upload form shows it)."""
    return _read(lambda: parse_data(text, json_format=_is_json(name)), name)


def _read(load, where: str) -> dict:
    try:
        data = load()
    except DataTextError as error:
        raise RulesFileError([Problem(where, str(error))]) from None
    if not isinstance(data, dict):
        raise RulesFileError([Problem(where, "expected a mapping with questionnaire and rules at the top")])
    return data


def _is_json(name: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix not in {".json", ".yaml", ".yml"}:
        raise DataTextError("expected a .yaml, .yml or .json file")
    return suffix == ".json"


# Validation ------------------------------------------------------------------------------------


def questions_of(version: QuestionnaireVersion) -> dict[str, QuestionFacts]:
    """The questions of a version as the check needs them (2 queries)."""
    questions = Question.objects.filter(dimension__version=version).prefetch_related("checklist_items")
    return {
        q.code: QuestionFacts(q.type, q.allow_na, frozenset(i.code for i in q.checklist_items.all())) for q in questions
    }


def validate_rules(data: dict, *, questions: dict[str, QuestionFacts] | None) -> list[Problem]:
    """Every problem of a rules file (plain data), by path. `questions`: the questions of the version
    the file names; None when that version is not loaded."""
    check = FileChecker()
    if not check.mapping(data, "", allowed=_TOP_KEYS, required={"questionnaire", "rules"}):
        return check.problems
    code = data.get("questionnaire")
    if "questionnaire" in data and (not isinstance(code, str) or not code.strip()):
        check.add("questionnaire", "expected the code of a loaded questionnaire version")
    elif "questionnaire" in data and questions is None:
        check.add("questionnaire", f"no questionnaire version {code!r} is loaded: import it first")
    rules = check.items_list(data.get("rules", []), "rules")
    if len(rules) > MAX_RULES:
        check.add("rules", f"at most {MAX_RULES:,} rules, got {len(rules):,}")
        return check.problems
    codes: dict[str, str] = {}
    for r, rule in enumerate(rules):
        _RuleCheck(check, questions or {}, f"rules[{r}]", known=questions is not None).rule(rule, codes)
    return check.problems


class _RuleCheck:
    """The checks of one rule; `known`: the bank is loaded, so question codes can be checked."""

    def __init__(self, check: FileChecker, questions: dict[str, QuestionFacts], path: str, *, known: bool):
        self.check, self.questions, self.path, self.known = check, questions, path, known
        self.named: list[str] = []  # the questions the rule names, for its message's placeholders

    def add(self, path: str, message: str):
        self.check.add(path, message)

    def rule(self, rule, codes: dict[str, str]):
        path = self.path
        if not isinstance(rule, dict):
            self.add(path, f"expected a mapping, got {kind_of(rule)}")
            return
        kind = rule.get("kind")
        if kind not in KINDS:
            self.add(join_path(path, "kind"), f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
            required, allowed = set(), _RULE_KEYS
        else:
            required, extra = _KIND_KEYS[kind]
            allowed = {"code", "kind", "severity", "message", *extra}
        self.check.mapping(rule, path, allowed=allowed, required={"code", "kind", "severity", "message", *required})
        self._code(rule, codes)
        if "severity" in rule and rule["severity"] not in SEVERITIES:
            self.add(join_path(path, "severity"), f"expected one of {', '.join(SEVERITIES)}, got {rule['severity']!r}")
        for key in ("when", "expect"):
            if key in rule and key in allowed:
                self.condition(rule[key], join_path(path, key), depth=0)
        if "profile" in rule and "profile" in allowed:
            self.profile(rule["profile"], join_path(path, "profile"))
            if "when" not in rule and "expect" not in rule:
                self.add(path, "a profile rule needs when, expect or both: what in the answers it is about")
        if kind == "range":
            self._range(rule)
        if "message" in rule:
            self.message(rule["message"], join_path(path, "message"))

    def _code(self, rule: dict, codes: dict[str, str]):
        if "code" not in rule:
            return
        code, path = rule["code"], join_path(self.path, "code")
        if not isinstance(code, str) or not _CODE.match(code):
            self.add(path, "expected a code of at most 60 letters, digits, '.', '-' or '_'")
        elif code in codes:
            self.add(path, f"duplicate code {code!r} (first used at {codes[code]})")
        else:
            codes[code] = path

    def _range(self, rule: dict):
        path = self.path
        if "question" in rule:
            self.question(rule["question"], join_path(path, "question"), wanted={QuestionType.NUMBER}, what="a range")
        bounds = {key: rule[key] for key in ("min", "max") if key in rule}
        if not bounds:
            self.add(path, "a range rule needs min, max or both")
        for key, value in bounds.items():
            if not _is_number(value):
                self.add(join_path(path, key), f"expected a number, got {value!r}")
        if all(_is_number(v) for v in bounds.values()) and len(bounds) == 2 and bounds["min"] >= bounds["max"]:
            self.add(path, f"min ({bounds['min']}) must be below max ({bounds['max']})")

    def question(self, code, path: str, *, wanted: set | None, what: str) -> QuestionFacts | None:
        """The question named at `path`, if it exists and suits `what` (a test or a range)."""
        if not isinstance(code, str) or not code.strip():
            self.add(path, "expected a question code")
            return None
        self.named.append(code)
        if not self.known:
            return None
        facts = self.questions.get(code)
        if facts is None:
            self.add(path, f"unknown question {code!r}")
            return None
        if wanted is not None and facts.type not in wanted:
            types = ", ".join(sorted(wanted))
            self.add(path, f"{code} is a {facts.type} question: {what} applies to {types} questions")
            return None
        return facts

    def condition(self, value, path: str, *, depth: int):
        if depth > MAX_NESTING:
            self.add(path, f"all/any nested more than {MAX_NESTING} deep")
            return
        if isinstance(value, list):
            self._parts(value, path, depth=depth)
            return
        if not isinstance(value, dict):
            self.add(path, f"expected a test (a mapping with question), or all/any, got {kind_of(value)}")
            return
        joined = [key for key in ("all", "any") if key in value]
        if joined:
            if len(value) != 1:
                self.add(path, f"{joined[0]} stands alone: write its tests in its list")
            self._parts(value[joined[0]], join_path(path, joined[0]), depth=depth)
            return
        self.test(value, path)

    def _parts(self, parts, path: str, *, depth: int):
        if not isinstance(parts, list) or not parts:
            self.add(path, "expected a non-empty list of tests")
            return
        for i, part in enumerate(parts):
            self.condition(part, f"{path}[{i}]", depth=depth + 1)

    def test(self, value: dict, path: str):
        keys = [key for key in value if key != "question"]
        if "question" not in value:
            self.add(join_path(path, "question"), "is required")
        unknown = [key for key in keys if key not in TESTS]
        for key in unknown:
            self.add(join_path(path, key), f"unknown test (allowed: {', '.join(TESTS)}, or all/any)")
        tests = [key for key in keys if key in TESTS]
        if len(keys) != 1 or len(tests) != 1:
            if not unknown:
                self.add(path, f"a test asks exactly one thing of one question (one of {', '.join(TESTS)})")
            return
        (what,) = tests
        facts = self.question(value.get("question"), join_path(path, "question"), wanted=_TEST_TYPES[what], what=what)
        self._test_value(what, value[what], join_path(path, what), facts)

    def _test_value(self, what: str, value, path: str, facts: QuestionFacts | None):
        if what in ("answer", "not_applicable", "answered"):
            if not isinstance(value, bool):
                self.add(path, f"expected {'yes or no' if what == 'answer' else 'true or false'}, got {value!r}")
            elif what == "not_applicable" and facts is not None and not facts.allow_na:
                self.add(path, "the question does not allow 'not applicable'")
        elif what in ("ticked", "ticked_any", "not_ticked"):
            if not isinstance(value, list) or not value or not all(isinstance(c, str | int) for c in value):
                self.add(path, "expected a non-empty list of item codes")
            elif facts is not None:
                for i, item in enumerate(value):
                    if str(item) not in facts.items:
                        self.add(f"{path}[{i}]", f"unknown item {item!r} (items: {', '.join(sorted(facts.items))})")
        else:  # level, number, ticked_count: a value, or {min, max}
            whole = what != "number"
            low, high = {
                "level": (1, 5),
                "ticked_count": (0, len(facts.items) if facts else math.inf),
                "number": (-math.inf, math.inf),
            }[what]
            self._bounds(value, path, whole=whole, low=low, high=high)

    def _bounds(self, value, path: str, *, whole: bool, low: float, high: float):
        kind = "a whole number" if whole else "a number"
        if not isinstance(value, dict):
            if what_fits(value, whole=whole, low=low, high=high):
                return
            self.add(path, f"expected {kind}{_range_text(low, high)} or {{min, max}}, got {value!r}")
            return
        if not value or set(value) - {"min", "max"}:
            self.add(path, "expected min, max or both")
            return
        for key, bound in value.items():
            if not what_fits(bound, whole=whole, low=low, high=high):
                self.add(join_path(path, key), f"expected {kind}{_range_text(low, high)}, got {bound!r}")
        if len(value) == 2 and all(_is_number(v) for v in value.values()) and value["min"] > value["max"]:
            self.add(path, "min is above max: no answer could pass")

    def profile(self, value, path: str):
        if not self.check.mapping(value, path, allowed=_PROFILE_KEYS, required=set()):
            return
        if not value:
            self.add(path, "expected at least one of " + ", ".join(sorted(_PROFILE_KEYS)))
        for key, given in value.items():
            if key == "cluster":
                if not isinstance(given, bool):
                    self.add(join_path(path, key), f"expected true or false, got {given!r}")
                continue
            if key not in PROFILE_VALUES:
                continue
            if not isinstance(given, list) or not given:
                self.add(join_path(path, key), "expected a non-empty list")
                continue
            for i, code in enumerate(given):
                if not isinstance(code, str) or code not in PROFILE_VALUES[key]:
                    known = ", ".join(sorted(PROFILE_VALUES[key]))
                    self.add(f"{join_path(path, key)}[{i}]", f"unknown value {code!r} (expected one of {known})")

    def message(self, value, path: str):
        if not self.check.mapping(value, path, allowed=set(LANGUAGES), required=set(LANGUAGES)):
            return
        for language in LANGUAGES:
            text = value.get(language)
            if language not in value:
                continue
            if not isinstance(text, str) or not text.strip():
                self.add(join_path(path, language), "expected non-empty text")
                continue
            if len(text) > MAX_MESSAGE:
                self.add(join_path(path, language), f"at most {MAX_MESSAGE} characters, got {len(text):,}")
            for code in PLACEHOLDER.findall(text):
                facts = self.questions.get(code)
                if code not in self.named:
                    self.add(join_path(path, language), f"{{{code}}}: the rule names no question {code}")
                elif self.known and facts is not None and facts.type not in {QuestionType.LEVEL, QuestionType.NUMBER}:
                    self.add(join_path(path, language), f"{{{code}}}: only a level or a number can be shown")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def what_fits(value, *, whole: bool, low: float, high: float) -> bool:
    if not _is_number(value) or (whole and not float(value).is_integer()):
        return False
    return low <= value <= high


def _range_text(low: float, high: float) -> str:
    if math.isinf(low) and math.isinf(high):
        return ""
    if math.isinf(high):
        return f" of {low:g} or more"
    return f" from {low:g} to {high:g}"


# Import ----------------------------------------------------------------------------------------


def in_force(version: QuestionnaireVersion) -> CheckRuleSet | None:
    """The newest revision of the version's rules, or None (1 query)."""
    return version.check_rule_sets.order_by("-revision").first()


@transaction.atomic
def import_rules(data: dict, *, source: str = "") -> tuple[CheckRuleSet, bool]:
    """Check a rules file against the version it names and make it that version's rules in force.

    Returns the rule set in force and whether a new revision was added: a file whose rules equal
    the ones in force changes nothing. Raises RulesFileError listing every problem (nothing is
    written then)."""
    code = data.get("questionnaire") if isinstance(data, dict) else None
    version = QuestionnaireVersion.objects.filter(code=code).first() if isinstance(code, str) else None
    problems = validate_rules(data, questions=questions_of(version) if version else None)
    if problems:
        raise RulesFileError(problems)
    rule_book(data["rules"])  # the engine reads every rule it is given
    current = version.check_rule_sets.select_for_update().order_by("-revision").first()
    if current is not None and current.rules == data["rules"]:
        return current, False
    revision = current.revision + 1 if current is not None else 1
    added = CheckRuleSet.objects.create(version=version, revision=revision, rules=data["rules"], source=source[:200])
    return added, True
