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
revision the answer was made from (0: none yet). Every entry is checked by the same form as a
single autosave (`forms.AnswerForm`), so a batch accepts exactly what one save accepts.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from assessment.answering import AnswerEdit
from assessment.forms import AnswerForm
from common.data_text import load_data

MAX_ANSWERS = 500
KEYS = {"question", "revision", "level", "yes", "items", "number", "not_applicable", "comment", "evidence_url"}


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
        document = load_data(body.decode("utf-8"), json_format=True)
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


def form_data(entry: Entry) -> QueryDict:
    """The entry as the answering page would post it."""
    data = entry.data
    posted = QueryDict(mutable=True)
    simple = {name: data.get(name) for name in ("revision", "level", "number", "comment", "evidence_url")}
    if isinstance(data.get("yes"), bool):
        simple["yes"] = "yes" if data["yes"] else "no"
    if data.get("not_applicable") is True:
        simple["not_applicable"] = "on"
    for name, value in simple.items():
        if value is not None:
            posted[name] = str(value)
    if isinstance(data.get("items"), list):
        posted["answered"] = "1"
        posted.setlist("items", [str(item) for item in data["items"]])
    return posted


def _errors(entry: Entry, question) -> dict[str, list[str]]:
    errors = {}
    unknown = sorted(set(entry.data) - KEYS)
    if unknown:
        errors["question"] = [_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}]
    if question is None:
        errors["question"] = [_("No question %(code)s in this direction.") % {"code": entry.code}]
    if not isinstance(entry.data.get("revision"), int) or isinstance(entry.data.get("revision"), bool):
        errors["revision"] = [_("Give the revision the answer was made from (0 for a new answer).")]
    return errors


def check(entries: list[Entry], questions: dict) -> Checked:
    """Edits for the valid entries, errors for the others; `questions` by code, of one direction."""
    checked = Checked()
    for entry in entries:
        question = questions.get(entry.code)
        errors = _errors(entry, question)
        form = None
        if not errors:
            form = AnswerForm(form_data(entry), question=question)
            if not form.is_valid():
                errors = form.error_lists()
        if errors:
            checked.invalid[entry.code] = {"status": "invalid", "errors": errors}
            continue
        values = form.answer_values()
        if "comment" not in entry.data:
            del values["comment"]
        evidence_url = form.cleaned_data.get("evidence_url", "") if "evidence_url" in entry.data else None
        checked.edits.append(AnswerEdit(question, values, form.cleaned_data["revision"], evidence_url))
    return checked
