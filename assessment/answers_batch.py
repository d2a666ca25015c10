"""The body of a batch save: many answers of one direction in one JSON request.

    {"answers": [
        {"question": "S1.1", "revision": 2, "level": 3, "comment": "…"},
        {"question": "S2.4", "revision": 0, "yes": true},
        {"question": "G1.3", "revision": 1, "items": ["a", "c"]},
        {"question": "I1.1", "revision": 0, "number": 24.5, "evidence_url": "https://…"},
        {"question": "E2.1", "revision": 3, "not_applicable": true}
    ]}

Each entry states the whole answer, as the answering page's form does: a value key left out
clears that value. `comment` and `evidence_url` are kept when left out. `revision` is the stored
revision the answer was made from (0: none yet). `"confirm": true` confirms a carried answer
flagged for review. An entry equal to the stored answer changes nothing (`answering.save_answers`).

Every entry is cleaned by the fields and checks of the single autosave's form (`forms.AnswerForm`),
so a batch accepts exactly what one save accepts (without building a form per entry: a batch of
120 answers is checked in a few milliseconds); before that, each key must hold its type (a level a whole
number, yes a boolean, items a list of item codes, number a number or its text, not_applicable and
confirm booleans, comment and evidence_url text) and a value of the question's own kind: an entry
that does not is invalid and the stored answer stays as it is.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.answering import AnswerEdit
from assessment.forms import (
    VALUE_FIELD_NAMES,
    AnswerForm,
    answer_values,
    check_not_applicable,
    check_number,
    value_field,
)
from common.data_text import load_data

MAX_ANSWERS = 500


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float | str) and not isinstance(value, bool)


def _is_codes(value) -> bool:
    return isinstance(value, list) and all(isinstance(code, str) for code in value)


# What each key may hold when it is given and not null.
TYPES = {
    "level": (_is_whole, gettext_lazy("A level must be a whole number from 1 to 5.")),
    "yes": (lambda value: isinstance(value, bool), gettext_lazy("yes must be true or false.")),
    "items": (_is_codes, gettext_lazy("items must be a list of item codes.")),
    "number": (_is_number, gettext_lazy("number must be a number.")),
    "not_applicable": (lambda value: isinstance(value, bool), gettext_lazy("not_applicable must be true or false.")),
    "confirm": (lambda value: isinstance(value, bool), gettext_lazy("confirm must be true or false.")),
    "comment": (lambda value: isinstance(value, str), gettext_lazy("comment must be text.")),
    "evidence_url": (lambda value: isinstance(value, str), gettext_lazy("evidence_url must be text.")),
}
KEYS = {"question", "revision", *TYPES}


class BatchError(ValueError):
    """The body is not a batch at all; nothing is saved."""


@dataclass
class Entry:
    code: str
    data: dict


@dataclass
class Checked:
    edits: list[AnswerEdit] = field(default_factory=list)
    invalid: dict[str, dict] = field(default_factory=dict)  # question code → {"status": "invalid", "errors": …}


def parse(body: bytes) -> list[Entry]:
    """The entries of a batch body, or BatchError saying what is wrong with it."""
    try:
        # As large as the server lets a request body be (config/request_size.py): 500 answers with long comments.
        document = load_data(body.decode("utf-8"), json_format=True, max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    except ValueError as error:  # not UTF-8, not JSON, or beyond the limits of `load_data`
        raise BatchError(_("The body is not JSON: %(error)s") % {"error": error}) from None
    answers = document.get("answers") if isinstance(document, dict) else None
    if not isinstance(answers, list) or not answers:
        raise BatchError(_('The body must be {"answers": [...]} with at least one answer.'))
    if len(answers) > MAX_ANSWERS:
        raise BatchError(_("At most %(count)s answers in one batch.") % {"count": MAX_ANSWERS})
    entries, seen = [], set()
    for position, answer in enumerate(answers, start=1):
        code = answer.get("question") if isinstance(answer, dict) else None
        if not isinstance(code, str) or not code:
            raise BatchError(_("Answer %(position)s names no question.") % {"position": position})
        if code in seen:
            raise BatchError(_("Question %(code)s appears twice.") % {"code": code})
        seen.add(code)
        entries.append(Entry(code, answer))
    return entries


def _posted(entry: Entry) -> dict:
    """The entry's values as the answering page would post them (after the type checks of `_errors`)."""
    data = entry.data
    posted = {name: data.get(name) for name in ("revision", "level", "comment", "evidence_url", "items")}
    if isinstance(data.get("yes"), bool):
        posted["yes"] = "yes" if data["yes"] else "no"
    if data.get("number") is not None:
        posted["number"] = str(data["number"])
    posted["not_applicable"] = data.get("not_applicable") is True
    posted["confirm"] = data.get("confirm") is True
    return posted


def _fields(question) -> dict[str, forms.Field]:
    """The fields an entry is cleaned with: the answering form's own (`AnswerForm`), built once per
    question of a published bank (they hold no state: cleaning a value does not change them)."""
    fields = getattr(question, "_batch_fields", None)
    if fields is None:
        base = AnswerForm.base_fields
        fields = {name: base[name] for name in ("revision", "not_applicable", "comment", "evidence_url", "confirm")}
        fields[VALUE_FIELD_NAMES[question.type]] = value_field(question)
        question._batch_fields = fields
    return fields


def _clean(entry: Entry, question) -> tuple[dict, dict[str, list[str]]]:
    """The cleaned values of an entry, or the errors of its fields, as `AnswerForm` would give them."""
    posted, cleaned, errors = _posted(entry), {}, {}
    for name, form_field in _fields(question).items():
        try:
            cleaned[name] = form_field.clean(posted.get(name))
        except ValidationError as error:
            errors[name] = [str(message) for message in error.messages]
    checks = {  # the form's checks beyond single fields
        "number": lambda: check_number(question, cleaned.get("number")),
        "not_applicable": lambda: check_not_applicable(question, posted["not_applicable"]),
    }
    for name, check in checks.items():
        if name in errors:
            continue
        try:
            check()
        except ValidationError as error:
            errors[name] = [str(message) for message in error.messages]
    return cleaned, errors


def _errors(entry: Entry, question) -> dict[str, list[str]]:
    errors = {}
    unknown = sorted(set(entry.data) - KEYS)
    if unknown:
        errors["question"] = [_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}]
    if question is None:
        errors["question"] = [_("No question %(code)s in this direction.") % {"code": entry.code}]
    if not _is_whole(entry.data.get("revision")):
        errors["revision"] = [_("Give the revision the answer was made from (0 for a new answer).")]
    for key, (fits, message) in TYPES.items():
        value = entry.data.get(key)
        if value is not None and not fits(value):
            errors[key] = [str(message)]
    if question is not None:
        own = VALUE_FIELD_NAMES[question.type]  # the others must be left out or null
        others = sorted(key for key in set(VALUE_FIELD_NAMES.values()) - {own} if entry.data.get(key) is not None)
        if others:
            wrong = {"code": entry.code, "key": own, "others": ", ".join(others)}
            errors.setdefault(others[0], []).append(_("%(code)s takes %(key)s, not %(others)s.") % wrong)
    return errors


def check(entries: list[Entry], questions: dict) -> Checked:
    """Edits for the valid entries, errors for the others; `questions` by code, of one direction."""
    checked = Checked()
    for entry in entries:
        question = questions.get(entry.code)
        errors = _errors(entry, question)
        if not errors:
            cleaned, errors = _clean(entry, question)
        if errors:
            checked.invalid[entry.code] = {"status": "invalid", "errors": errors}
            continue
        values = answer_values(question, cleaned, answered=isinstance(entry.data.get("items"), list))
        if "comment" not in entry.data:
            del values["comment"]
        evidence_url = cleaned["evidence_url"] if "evidence_url" in entry.data else None
        edit = AnswerEdit(question, values, cleaned["revision"], evidence_url, confirm=cleaned["confirm"])
        checked.edits.append(edit)
    return checked
