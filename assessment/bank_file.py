"""Question bank files (FORMATS.md): read, validate, import, export.

One importer serves the command line, the admin's upload form, `QuestionnaireVersion.clone`
and the tests. A file with any problem is rejected whole: `validate_bank` lists every
problem by its path (e.g. ``dimensions[2].questions[0].levels: expected 5, got 4``) and
`import_bank` writes nothing unless that list is empty.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.bank_mapping import OldQuestion, check_framework, check_migrations, check_national
from assessment.models import (
    ChecklistItem,
    Dimension,
    Direction,
    LevelStatement,
    PublishedVersionError,
    Question,
    QuestionnaireVersion,
    QuestionType,
    VersionStatus,
)
from assessment.question_rules import LEVEL_COUNT, is_number, question_type_problems
from common.data_text import DataTextError, parse_data, read_data_file

LANGUAGES = ("zh-hans", "en")

_TOP_KEYS = {"code", "title", "direction_weights", "previous_version", "national_framework", "dimensions"}
_DIMENSION_KEYS = {"code", "direction", "title", "weight", "national", "questions"}
_QUESTION_KEYS = {"code", "type", "text", "guidance", "weight", "allow_na", "evidence", "national", "migration"}
_TYPE_KEYS = {
    QuestionType.LEVEL: {"levels"},
    QuestionType.YES_NO: set(),
    QuestionType.CHECKLIST: {"items"},
    QuestionType.NUMBER: {"unit", "unit_en", "thresholds"},
}
_ITEM_KEYS = {"code", "text", "weight"}
# The columns a file's texts go to, where they are limited (titles of versions and dimensions are alike)
_TITLE_LENGTH = min(
    QuestionnaireVersion._meta.get_field("title_zh").max_length, Dimension._meta.get_field("title_zh").max_length
)
_UNIT_LENGTH = Question._meta.get_field("unit").max_length


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message


class BankFileError(Exception):
    """A question bank file that cannot be imported; `problems` says what and where."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


# Reading -------------------------------------------------------------------------------


def parse_bank_text(text: str, *, name: str) -> dict:
    """Parse YAML or JSON text (chosen by the file name's ending) into plain data; a problem
    with the whole file is given under the file's `name` (the admin's upload form shows it)."""
    try:
        return _bank_mapping(parse_data(text, json_format=_is_json(name)))
    except DataTextError as error:
        raise BankFileError([Problem(name, str(error))]) from None


def read_bank_file(path: str | Path) -> dict:
    """The bank file at `path` as plain data; a problem with the whole file is given without its
    path, which the command's message names."""
    try:
        return _bank_mapping(read_data_file(path, json_format=_is_json(Path(path).name)))
    except DataTextError as error:
        raise BankFileError([Problem("", str(error))]) from None


def _is_json(name: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix not in {".json", ".yaml", ".yml"}:
        raise DataTextError("expected a .yaml, .yml or .json file")
    return suffix == ".json"


def _bank_mapping(data) -> dict:
    if not isinstance(data, dict):
        raise DataTextError("expected a mapping with code, title and dimensions at the top")
    return data


# Validation ----------------------------------------------------------------------------


class FileChecker:
    """Collects the problems of a file by path; shared by the files of the assessment app."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: str, message: str):
        self.problems.append(Problem(path, message))

    def mapping(self, value, path: str, *, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping, got {kind_of(value)}")
            return False
        for key in sorted(set(value) - allowed, key=str):
            self.add(join_path(path, key), f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - set(value)):
            self.add(join_path(path, key), "is required")
        return True

    def code(self, value, path: str, seen: dict[str, str] | None = None):
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            self.add(path, "expected a non-empty code")
            return
        code = str(value)
        if len(code) > 20:
            self.add(path, "a code has at most 20 characters")
        if seen is not None:
            if code in seen:
                self.add(path, f"duplicate code {code!r} (first used at {seen[code]})")
            else:
                seen[code] = path

    def text(self, value, path: str, *, limit: int | None = None):
        """A text in both languages; `limit`: the most characters its columns hold, if any."""
        if not self.mapping(value, path, allowed=set(LANGUAGES), required={"zh-hans"}):
            return
        for language in LANGUAGES:
            text = value.get(language)
            blank = not (isinstance(text, str) and text.strip())
            # An English translation may be missing (absent or null); Chinese may not.
            if language in value and blank and (language == "zh-hans" or text is not None):
                self.add(join_path(path, language), "expected non-empty text")
            elif limit is not None and not blank and len(text) > limit:
                self.add(join_path(path, language), f"at most {limit} characters, got {len(text):,}")

    def weight(self, value, path: str):
        if not is_number(value) or value < 0:
            self.add(path, f"expected a number of 0 or more, got {value!r}")

    def flag(self, value, path: str):
        if not isinstance(value, bool):
            self.add(path, f"expected true or false, got {value!r}")

    def items_list(self, value, path: str) -> list:
        if not isinstance(value, list):
            self.add(path, f"expected a list, got {kind_of(value)}")
            return []
        if not value:
            self.add(path, "expected at least one entry")
        return value


def join_path(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def kind_of(value) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(type(value), "a number")


_LOOK_UP = object()


def validate_bank(data: dict, *, previous: dict[str, OldQuestion] | None | object = _LOOK_UP) -> list[Problem]:
    """Every problem of a question bank (plain data as read from a file), by path.

    `previous` holds the questions of the version named by `previous_version`; by default they
    are read from the database (None: that version is not loaded).
    """
    check = FileChecker()
    if not check.mapping(data, "", allowed=_TOP_KEYS, required={"code", "title", "dimensions"}):
        return check.problems
    if "code" in data:
        check.code(data["code"], "code")
        code = str(data["code"])
        if len(code) > 50 or not all(ch.isalnum() or ch in "-_" for ch in code) or not code.isascii():
            check.add("code", "use at most 50 letters, digits, '-' or '_'")
    if "title" in data:
        check.text(data["title"], "title", limit=_TITLE_LENGTH)
    weights = data.get("direction_weights")
    if weights is not None and check.mapping(
        weights, "direction_weights", allowed=set(Direction.values), required=set()
    ):
        for direction, weight in weights.items():
            check.weight(weight, f"direction_weights.{direction}")
        values = [w for w in weights.values() if is_number(w)]
        if values and len(values) == len(Direction.values) and sum(values) == 0:
            check.add("direction_weights", "at least one direction needs a weight above 0")

    if previous is _LOOK_UP:
        previous = previous_questions(data.get("previous_version"))
    if "previous_version" in data:
        _check_previous_version(check, data, previous)
    has_framework = "national_framework" in data
    indicators = check_framework(check, data.get("national_framework"))

    dimension_codes: dict[str, str] = {}
    question_codes: dict[str, str] = {}
    for d, dimension in enumerate(check.items_list(data.get("dimensions", []), "dimensions")):
        path = f"dimensions[{d}]"
        required = {"code", "direction", "title", "questions"}
        if not check.mapping(dimension, path, allowed=_DIMENSION_KEYS, required=required):
            continue
        if "code" in dimension:
            check.code(dimension["code"], f"{path}.code", dimension_codes)
        if "direction" in dimension and dimension["direction"] not in Direction.values:
            check.add(
                f"{path}.direction",
                f"unknown direction {dimension['direction']!r} (expected one of {', '.join(Direction.values)})",
            )
        if "title" in dimension:
            check.text(dimension["title"], f"{path}.title", limit=_TITLE_LENGTH)
        if "weight" in dimension:
            check.weight(dimension["weight"], f"{path}.weight")
        if "national" in dimension:
            check_national(check, dimension["national"], f"{path}.national", indicators, has_framework=has_framework)
        for q, question in enumerate(check.items_list(dimension.get("questions", []), f"{path}.questions")):
            _validate_question(check, question, f"{path}.questions[{q}]", question_codes)
            if isinstance(question, dict) and "national" in question:
                q_path = f"{path}.questions[{q}].national"
                check_national(check, question["national"], q_path, indicators, has_framework=has_framework)
    check_migrations(check, data, previous)
    return check.problems


def _check_previous_version(check: FileChecker, data: dict, previous):
    code = data["previous_version"]
    if not isinstance(code, str) or not code.strip():
        check.add("previous_version", "expected the code of a loaded questionnaire version")
    elif code == data.get("code"):
        check.add("previous_version", "a version cannot continue itself")
    elif previous is None:
        check.add("previous_version", f"no questionnaire version {code!r} is loaded: import it first")


def previous_questions(code) -> dict[str, OldQuestion] | None:
    """The questions of version `code` as the migration check needs them (2 queries); None if absent."""
    if not isinstance(code, str):
        return None
    version = QuestionnaireVersion.objects.filter(code=code).first()
    if version is None:
        return None
    questions = Question.objects.filter(dimension__version=version).prefetch_related("checklist_items")
    return {
        q.code: OldQuestion(type=q.type, unit=q.unit, items=frozenset(i.code for i in q.checklist_items.all()))
        for q in questions
    }


def _validate_question(check: FileChecker, question, path: str, question_codes: dict[str, str]):
    if not isinstance(question, dict):
        check.add(path, f"expected a mapping, got {kind_of(question)}")
        return
    qtype = question.get("type")
    if qtype not in QuestionType.values:
        check.add(f"{path}.type", f"unknown question type {qtype!r} (expected one of {', '.join(QuestionType.values)})")
        allowed = _QUESTION_KEYS | set().union(*_TYPE_KEYS.values())
    else:
        allowed = _QUESTION_KEYS | _TYPE_KEYS[qtype]
    required = {"code", "type", "text"} | ({"levels"} if qtype == QuestionType.LEVEL else set())
    required |= {"items"} if qtype == QuestionType.CHECKLIST else set()
    required |= {"thresholds"} if qtype == QuestionType.NUMBER else set()
    check.mapping(question, path, allowed=allowed, required=required)
    if "code" in question:
        check.code(question["code"], f"{path}.code", question_codes)
    for key in ("text", "guidance"):
        if key in question:
            check.text(question[key], f"{path}.{key}")
    if "weight" in question:
        check.weight(question["weight"], f"{path}.weight")
    for key in ("allow_na", "evidence"):
        if key in question:
            check.flag(question[key], f"{path}.{key}")
    if qtype == QuestionType.LEVEL and "levels" in question:
        levels = question["levels"]
        if not isinstance(levels, list):
            check.add(f"{path}.levels", f"expected a list of {LEVEL_COUNT} statements, got {kind_of(levels)}")
        elif len(levels) != LEVEL_COUNT:
            check.add(f"{path}.levels", f"expected {LEVEL_COUNT}, got {len(levels)}")
        else:
            for k, statement in enumerate(levels):
                check.text(statement, f"{path}.levels[{k}]")
    if qtype == QuestionType.NUMBER:
        for key in ("unit", "unit_en"):
            if key in question and not isinstance(question[key], str):
                check.add(f"{path}.{key}", "expected text")
            elif key in question and len(question[key]) > _UNIT_LENGTH:
                check.add(f"{path}.{key}", f"at most {_UNIT_LENGTH} characters, got {len(question[key]):,}")
        if str(question.get("unit_en") or "").strip() and not str(question.get("unit") or "").strip():
            check.add(f"{path}.unit_en", "an English unit needs the Chinese one in unit")
        if "thresholds" in question:
            for message in question_type_problems(type=qtype, thresholds=question["thresholds"]):
                check.add(f"{path}.thresholds", message)
    if qtype == QuestionType.CHECKLIST and "items" in question:
        item_codes: dict[str, str] = {}
        items = check.items_list(question["items"], f"{path}.items")
        for i, item in enumerate(items):
            item_path = f"{path}.items[{i}]"
            if not check.mapping(item, item_path, allowed=_ITEM_KEYS, required={"code", "text"}):
                continue
            if "code" in item:
                check.code(item["code"], f"{item_path}.code", item_codes)
            if "text" in item:
                check.text(item["text"], f"{item_path}.text")
            if "weight" in item:
                check.weight(item["weight"], f"{item_path}.weight")
        weights = [item.get("weight", 1) for item in items if isinstance(item, dict)]
        if items and all(is_number(w) for w in weights) and sum(weights) == 0:
            check.add(f"{path}.items", "at least one item needs a weight above 0")


# Import --------------------------------------------------------------------------------


def import_bank(data: dict, *, publish: bool = False) -> QuestionnaireVersion:
    """Create a questionnaire version from valid bank data, whole or not at all.

    Raises BankFileError listing every problem (nothing is written then).
    """
    problems = validate_bank(data)
    if not problems and QuestionnaireVersion.objects.filter(code=str(data["code"])).exists():
        problems = [Problem("code", f"a questionnaire version with code {data['code']!r} already exists")]
    if problems:
        raise BankFileError(problems)
    try:
        with transaction.atomic():
            version = _create_version(data)
            if publish:
                publish_version(version)
    except IntegrityError:  # A concurrent import took the same code between check and write.
        raise BankFileError([Problem("code", f"a questionnaire version with code {data['code']!r} already exists")])
    return version


def _zh(text: dict | None) -> str:
    return (text or {}).get("zh-hans") or ""


def _en(text: dict | None) -> str:
    return (text or {}).get("en") or ""


def _create_version(data: dict) -> QuestionnaireVersion:
    weights = data.get("direction_weights") or {}
    previous = data.get("previous_version")
    version = QuestionnaireVersion.objects.create(
        code=str(data["code"]),
        title_zh=_zh(data["title"]),
        title_en=_en(data["title"]),
        previous_version=QuestionnaireVersion.objects.get(code=previous) if previous else None,
        national_framework=data.get("national_framework"),
        **{f"weight_{direction}": weights.get(direction, 1) for direction in Direction.values},
    )
    statements, items = [], []
    for d, entry in enumerate(data["dimensions"]):
        dimension = Dimension.objects.create(
            version=version,
            code=str(entry["code"]),
            direction=entry["direction"],
            title_zh=_zh(entry["title"]),
            title_en=_en(entry["title"]),
            weight=entry.get("weight", 1),
            national=entry.get("national", []),
            position=d,
        )
        questions = Question.objects.bulk_create(
            [_question(dimension, q, position) for position, q in enumerate(entry["questions"])]
        )
        for question, q in zip(questions, entry["questions"], strict=True):
            statements += [
                LevelStatement(question=question, level=k, text_zh=_zh(text), text_en=_en(text))
                for k, text in enumerate(q.get("levels") or [], start=1)
            ]
            items += [
                ChecklistItem(
                    question=question,
                    code=str(item["code"]),
                    text_zh=_zh(item["text"]),
                    text_en=_en(item["text"]),
                    weight=item.get("weight", 1),
                    position=position,
                )
                for position, item in enumerate(q.get("items") or [])
            ]
    LevelStatement.objects.bulk_create(statements)
    ChecklistItem.objects.bulk_create(items)
    return version


def _question(dimension: Dimension, q: dict, position: int) -> Question:
    return Question(
        dimension=dimension,
        code=str(q["code"]),
        type=q["type"],
        text_zh=_zh(q["text"]),
        text_en=_en(q["text"]),
        guidance_zh=_zh(q.get("guidance")),
        guidance_en=_en(q.get("guidance")),
        weight=q.get("weight", 1),
        allow_na=q.get("allow_na", False),
        evidence=q.get("evidence", False),
        unit=q.get("unit", "") if q["type"] == QuestionType.NUMBER else "",
        unit_en=q.get("unit_en", "") if q["type"] == QuestionType.NUMBER else "",
        thresholds=q.get("thresholds") if q["type"] == QuestionType.NUMBER else None,
        national=q.get("national", []),
        migration=q.get("migration"),
        position=position,
    )


# Export --------------------------------------------------------------------------------


def _text(zh: str, en: str) -> dict:
    return {"zh-hans": zh, "en": en} if en else {"zh-hans": zh}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def export_version(version: QuestionnaireVersion) -> dict:
    """A version as bank data in the FORMATS.md layout (defaults written out), in 4 queries."""
    dimensions = list(
        version.dimensions.order_by("position", "pk").prefetch_related(
            "questions__level_statements", "questions__checklist_items"
        )
    )
    data = {
        "code": version.code,
        "title": _text(version.title_zh, version.title_en),
        "direction_weights": {d: _number(w) for d, w in version.direction_weights.items()},
    }
    if version.previous_version_id:
        data["previous_version"] = version.previous_version.code
    if version.national_framework is not None:
        data["national_framework"] = version.national_framework
    data["dimensions"] = [_export_dimension(dimension) for dimension in dimensions]
    return data


def _export_dimension(dimension: Dimension) -> dict:
    entry = {
        "code": dimension.code,
        "direction": dimension.direction,
        "title": _text(dimension.title_zh, dimension.title_en),
        "weight": _number(dimension.weight),
    }
    if dimension.national:
        entry["national"] = dimension.national
    entry["questions"] = [_export_question(q) for q in dimension.questions.all()]
    return entry


def _export_question(question: Question) -> dict:
    entry = {
        "code": question.code,
        "type": question.type,
        "text": _text(question.text_zh, question.text_en),
    }
    if question.guidance_zh:
        entry["guidance"] = _text(question.guidance_zh, question.guidance_en)
    entry |= {
        "weight": _number(question.weight),
        "allow_na": question.allow_na,
        "evidence": question.evidence,
    }
    if question.national:
        entry["national"] = question.national
    if question.migration is not None:
        entry["migration"] = question.migration
    if question.type == QuestionType.LEVEL:
        entry["levels"] = [_text(s.text_zh, s.text_en) for s in question.level_statements.all()]
    elif question.type == QuestionType.NUMBER:
        if question.unit:
            entry["unit"] = question.unit
        if question.unit_en:
            entry["unit_en"] = question.unit_en
        entry["thresholds"] = [_number(t) for t in question.thresholds or []]
    elif question.type == QuestionType.CHECKLIST:
        entry["items"] = [
            {"code": i.code, "text": _text(i.text_zh, i.text_en), "weight": _number(i.weight)}
            for i in question.checklist_items.all()
        ]
    return entry


def dump_bank(data: dict, *, fmt: str) -> str:
    """Bank data as YAML or JSON text, Chinese kept readable."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# Publishing and cloning versions ---------------------------------------------------------------


class _PreviousDraft:
    """A publish problem: the version this one continues may still change."""

    path = "previous_version"

    def __init__(self, code: str):
        self.message = f"{code} is still a draft: publish it first, so that the mapping to it cannot change"


def publish_version(version: QuestionnaireVersion) -> None:
    """Freeze a draft after checking, through its file form, that it is a complete, valid question bank;
    raises ValidationError listing every problem."""
    if version.is_stored_published():
        raise PublishedVersionError(version)
    problems = validate_bank(export_version(version))
    if version.previous_version_id and not version.previous_version.is_published:
        problems.append(_PreviousDraft(version.previous_version.code))
    if problems:
        raise ValidationError([f"{problem.path}: {problem.message}" for problem in problems])
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])


@transaction.atomic
def clone_version(version: QuestionnaireVersion, *, code: str) -> QuestionnaireVersion:
    """A new draft with the same dimensions, questions and choices, under a new code."""
    data = export_version(version)
    data["code"] = code
    clone = import_bank(data)
    clone.based_on = version
    clone.save(update_fields=["based_on"])
    return clone
