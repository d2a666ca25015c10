"""Answers files (FORMATS.md): YAML, JSON or XLSX in; a draft assessment created or updated.

A file with any problem — unknown city, missing year, unknown questionnaire or question code,
a level outside 1–5, a number that is not a number, N/A where it is not allowed, an unknown
checklist item, ... — is rejected whole with every problem listed, and nothing is written.
A submitted assessment is never changed by an import.
"""

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from assessment.answering import AnswerEdit, save_answers
from assessment.models import Answer, Assessment, QuestionnaireVersion, QuestionType
from cities.models import City
from common.data_text import MAX_INT_DIGITS, DataTextError, read_data_file
from common.data_workbook import read_first_sheet
from common.numbers import read_number
from common.spreadsheet import append_row

MIN_YEAR, MAX_YEAR = 2000, 2100
_TOP_KEYS = {"city", "year", "questionnaire", "answers", "comments"}
_NA = {"na", "n/a"}
XLSX_COLUMNS = 3  # code, answer, comment; columns after them are for the reader
_YES = {"yes": True, "true": True, "no": False, "false": False, "是": True, "否": False}
_ITEM_SEPARATORS = re.compile(r"[,，、]")  # checklist items in one cell: "a, c", "a，c", "a、c"


class AnswersFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class AnswersDocument:
    """An answers file as plain data; `where` names each answer's place for messages."""

    city: object = None
    year: object = None
    questionnaire: object = None
    answers: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def place(self, code: str, kind: str = "answers") -> str:
        return self.where.get((kind, code), f"{kind}.{code}")


# Reading -------------------------------------------------------------------------------


def read_answers_file(path: str | Path) -> AnswersDocument:
    """The answers file at `path` as a document to check; AnswersFileError (one line) if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json", ".xlsx"}:
        raise AnswersFileError(["expected a .yaml, .yml, .json or .xlsx file"])
    try:
        if suffix == ".xlsx":
            return _read_xlsx(path)
        return document_from_mapping(read_data_file(path, json_format=suffix == ".json"))
    except DataTextError as error:
        raise AnswersFileError([str(error)]) from None


def document_from_mapping(data) -> AnswersDocument:
    """The YAML/JSON layout: city, year, questionnaire, answers {code: value}, comments {code: text}."""
    if not isinstance(data, dict):
        raise AnswersFileError(["(file): expected a mapping with city, year, questionnaire and answers"])
    document = AnswersDocument(city=data.get("city"), year=data.get("year"), questionnaire=data.get("questionnaire"))
    document.problems += [f"{key}: unknown key" for key in sorted(set(data) - _TOP_KEYS, key=str)]
    for key in ("answers", "comments"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            document.problems.append(f"{key}: expected a mapping of question codes")
            continue
        by_code = {}
        for code, answer in value.items():
            if str(code) in by_code:  # `1:` and `"1":` are two keys to the parser, one question here
                document.problems.append(f"{key}.{code}: question {code} given twice")
            by_code[str(code)] = answer
        setattr(document, key, by_code)
    if "answers" not in data:
        document.problems.append("answers: is required")
    return document


def _read_xlsx(path: Path) -> AnswersDocument:
    """First sheet: rows `city | …`, `year | …`, `questionnaire | …`, then a header row
    `code | answer | comment` and one row per question. Within the limits of `read_first_sheet`."""
    document = AnswersDocument()
    in_table = False
    for number, row in enumerate(read_first_sheet(path, columns=XLSX_COLUMNS), start=1):
        cells = list(row) + [None] * XLSX_COLUMNS
        key = str(cells[0]).strip() if cells[0] is not None else ""
        if not key:
            continue
        if not in_table:
            if key.lower() == "code":
                in_table = True
            elif key.lower() in {"city", "year", "questionnaire"}:
                setattr(document, key.lower(), cells[1])
            else:
                document.problems.append(f"row {number}: expected city, year, questionnaire or the header 'code'")
            continue
        if ("answers", key) in document.where:
            document.problems.append(f"row {number}: question {key} appears twice")
            continue
        document.where[("answers", key)] = f"row {number} ({key})"
        document.where[("comments", key)] = f"row {number} ({key}) comment"
        if cells[1] is not None and str(cells[1]).strip() != "":
            document.answers[key] = _xlsx_answer(cells[1])
        if cells[2] is not None and str(cells[2]).strip():
            document.comments[key] = str(cells[2])
    if not in_table:
        document.problems.append("(sheet): no header row 'code | answer | comment' found")
    return document


def _xlsx_answer(cell):
    """Spreadsheet cells carry whole numbers as 3.0 (lists as text, 'a, c': read by the checklist)."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


# Checking ------------------------------------------------------------------------------


@dataclass
class CheckedAnswers:
    city: City
    year: int
    version: QuestionnaireVersion
    values: dict  # question code -> dict of Answer field values
    comments: dict  # question code -> text
    questions: dict  # question code -> Question, for writing


def check_document(document: AnswersDocument) -> CheckedAnswers:
    """Resolve city, year and questionnaire and check every answer; raise with all problems."""
    problems = list(document.problems)
    city = _find_city(document.city, problems)
    year = _check_year(document.year, problems)
    version = None
    if document.questionnaire in (None, ""):
        problems.append("questionnaire: is required")
    else:
        version = QuestionnaireVersion.objects.published().filter(code=str(document.questionnaire)).first()
        if version is None:
            problems.append(f"questionnaire: no published questionnaire version {document.questionnaire!r}")
    if version is None:
        raise AnswersFileError(problems)
    questions = _questions_of(version)
    values = {}
    for code, raw in document.answers.items():
        question = questions.get(code)
        if question is None:
            problems.append(f"{document.place(code)}: unknown question code {code!r} in {version.code}")
            continue
        value = _answer_values(question, raw, document.place(code), problems)
        if value is not None:
            values[code] = value
    comments = {}
    for code, text in document.comments.items():
        if code not in questions:
            problems.append(f"{document.place(code, 'comments')}: unknown question code {code!r} in {version.code}")
        elif not isinstance(text, str | int | float):
            problems.append(f"{document.place(code, 'comments')}: expected text")
        elif len(str(text)) > Answer.COMMENT_MAX_LENGTH:
            # The answering page keeps a comment to this length: a longer one would block each later save.
            problems.append(
                f"{document.place(code, 'comments')}: a comment has at most {Answer.COMMENT_MAX_LENGTH:,} "
                f"characters, this one {len(str(text)):,}"
            )
        else:
            comments[code] = str(text)
    if problems:
        raise AnswersFileError(problems)
    return CheckedAnswers(city=city, year=year, version=version, values=values, comments=comments, questions=questions)


def _questions_of(version: QuestionnaireVersion) -> dict:
    from assessment.models import Question

    questions = Question.objects.filter(dimension__version=version).prefetch_related("checklist_items")
    return {question.code: question for question in questions}


def _find_city(value, problems: list) -> City | None:
    if value in (None, ""):
        problems.append("city: is required")
        return None
    city = None
    if isinstance(value, int) and not isinstance(value, bool):
        city = City.objects.filter(pk=value).first()
    elif isinstance(value, str):
        text = value.strip()
        city = City.objects.filter(name_zh=text).first()
        if city is None and _whole_number(text) is not None:
            city = City.objects.filter(pk=_whole_number(text)).first()
    if city is None:
        problems.append(f"city: unknown city {value!r} (give its Chinese name or its id)")
    return city


def _check_year(value, problems: list) -> int | None:
    if value in (None, ""):
        problems.append("year: is required")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _whole_number(value) is not None:
        value = _whole_number(value)
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_YEAR <= value <= MAX_YEAR:
        problems.append(f"year: expected a year from {MIN_YEAR} to {MAX_YEAR}, got {value!r}")
        return None
    return value


def _whole_number(text: str) -> int | None:
    """`text` as a whole number if it is one of a few decimal digits ("2026", full-width "２０２６")."""
    text = text.strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses; and int() refuses 4,300 digits
    return int(text) if text.isdecimal() and len(text) <= MAX_INT_DIGITS else None


def _blank_values() -> dict:
    return {"level": None, "yes": None, "items": None, "number": None, "not_applicable": False}


def _answer_values(question, raw, where: str, problems: list) -> dict | None:
    """The Answer fields for one raw answer, or None after adding a problem."""
    values = _blank_values()
    if isinstance(raw, str) and raw.strip().lower() in _NA:
        if not question.allow_na:
            problems.append(f"{where}: {question.code} may not be answered 'not applicable'")
            return None
        return values | {"not_applicable": True}
    kind = question.type
    if kind == QuestionType.LEVEL:
        level = raw
        if isinstance(raw, str) and _whole_number(raw.strip().lstrip("Ll")) is not None:
            level = _whole_number(raw.strip().lstrip("Ll"))
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
            problems.append(f"{where}: a level must be a whole number from 1 to 5, got {raw!r}")
            return None
        return values | {"level": level}
    if kind == QuestionType.YES_NO:
        answer = raw if isinstance(raw, bool) else _YES.get(str(raw).strip().lower())
        if answer is None:
            problems.append(f"{where}: expected yes or no, got {raw!r}")
            return None
        return values | {"yes": answer}
    if kind == QuestionType.CHECKLIST:
        known = [item.code for item in question.checklist_items.all()]
        if isinstance(raw, str) and raw.strip().lower() == NONE_TICKED and NONE_TICKED not in known:
            raw = []  # the XLSX way of writing "none of these"
        ticked = _ITEM_SEPARATORS.split(raw) if isinstance(raw, str) else raw
        if not isinstance(ticked, list) or not all(isinstance(code, str | int) for code in ticked):
            problems.append(f"{where}: expected a list of item codes, got {raw!r}")
            return None
        ticked = [str(code).strip() for code in ticked if str(code).strip()]
        unknown = [code for code in ticked if code not in known]
        if unknown:
            problems.append(
                f"{where}: unknown checklist item {', '.join(map(repr, unknown))} (items: {', '.join(known)})"
            )
            return None
        return values | {"items": sorted(set(ticked), key=known.index)}
    # Text as people type it: "72.5%", full-width "７２．５％", "1,234" (common.numbers.read_number)
    number = read_number(raw) if isinstance(raw, str) else raw
    if not isinstance(number, int | float) or isinstance(number, bool) or not math.isfinite(number):
        problems.append(f"{where}: expected a number, got {raw!r}")
        return None
    low, high = question.number_range
    if not low <= number <= high:
        problems.append(f"{where}: expected a number from {low:,.0f} to {high:,.0f}, got {raw!r}")
        return None
    return values | {"number": float(number)}


# Writing -------------------------------------------------------------------------------


@transaction.atomic
def import_answers(document: AnswersDocument) -> Assessment:
    """Create or update the city's draft assessment for the year from a checked file.

    Answers in the file replace those of the same questions; other answers stay. Raises
    AnswersFileError (nothing written) for any problem, or when the assessment is submitted.
    """
    checked = check_document(document)
    assessment = Assessment.objects.select_for_update().filter(city=checked.city, year=checked.year).first()
    if assessment is None:
        assessment = Assessment.objects.create(city=checked.city, year=checked.year, version=checked.version)
    elif not assessment.is_draft:
        raise AnswersFileError([f"{assessment}: the assessment is {assessment.status}; an import never changes it"])
    elif assessment.version_id != checked.version.pk:
        raise AnswersFileError(
            [f"questionnaire: the assessment {assessment} uses {assessment.version.code}, not {checked.version.code}"]
        )
    stored = {a.question_id: a.revision for a in assessment.answers.all()}
    edits = []
    for code in sorted(set(checked.values) | set(checked.comments)):
        question = checked.questions[code]
        values = dict(checked.values.get(code, {}))
        if code in checked.comments:
            values["comment"] = checked.comments[code]
        edits.append(AnswerEdit(question, values, base_revision=stored.get(question.pk, 0)))
    # Through the one writer of answers: each imported answer that changes gets a new revision (a
    # page opened before the import then meets a conflict instead of saving over it), and an
    # answer the file leaves as it is keeps its revision, author and time.
    save_answers(assessment=assessment, edits=edits, user=None, locked=True)
    return assessment


# Writing an answers file ----------------------------------------------------------------


NONE_TICKED = "none"  # an XLSX checklist cell for "none of these" (a YAML file writes [])


def xlsx_cell(answer: Answer | None, question) -> object:
    """An answer as the answers XLSX holds it (and `_read_xlsx` reads it back); None if unanswered."""
    if answer is None or not answer.is_answered:
        return None
    if answer.not_applicable:
        return "na"
    if answer.level is not None:
        return answer.level
    if answer.yes is not None:
        return "yes" if answer.yes else "no"
    if answer.items is not None:
        return ", ".join(answer.items) if answer.items else NONE_TICKED
    return answer.number


def write_answers_sheet(sheet, assessment: Assessment, questions, answers: dict) -> None:
    """The answers of `assessment` on an openpyxl sheet in the answers-file layout (FORMATS.md):
    city, year and questionnaire rows, the header `code | answer | comment`, one row per question,
    and the question's direction, text and unit (in the active language) beside it for the reader
    (the import reads the first three columns). `questions` in questionnaire order; `answers` by
    question id."""
    for heading in (
        ["city", assessment.city.name_zh],
        ["year", assessment.year],
        ["questionnaire", assessment.version.code],
    ):
        append_row(sheet, heading)
    append_row(sheet, [])
    append_row(sheet, ["code", "answer", "comment", "direction", "question", "unit"])
    for question in questions:
        answer = answers.get(question.pk)
        comment = answer.comment if answer is not None else ""
        direction, text, unit = question.dimension.direction, question.text, question.unit_label or None
        append_row(sheet, [question.code, xlsx_cell(answer, question), comment or None, direction, text, unit])
