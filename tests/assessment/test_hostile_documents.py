"""Every importer against documents of the wrong shape everywhere (issue 22, item 12): a value of
every wrong type at every place of a valid file, and files that are not files at all. Each is
imported or refused with one line naming the file; refused, it writes nothing; never a traceback.

Run through the commands (`import_answers`, `import_questionnaire`, `import_catalogue`,
`import_checks`) and the admin's upload form, which share the importers with the seed and the tests."""

import copy
import datetime
import json
import os
import tempfile
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from assessment.models import Answer, Assessment, CheckRuleSet, Dimension, Question, QuestionnaireVersion
from common.spreadsheet import append_row
from plans.models import Action, ActionCatalogue
from tests.factories import bank_data, make_city, make_version
from tests.plans.test_catalogue_and_plan import action, catalogue

pytestmark = pytest.mark.django_db

ANSWERS = {
    "city": "昆山市",
    "year": 2026,
    "questionnaire": "test-bank",
    "answers": {"S1.1": 3, "S1.2": 72.5, "G1.1": ["a"], "G1.2": "yes", "I1.1": 1.45},
    "comments": {"S1.1": "已上线"},
}
# Two actions using every key of the catalogue format between them
CATALOGUE = catalogue(
    action("S-ONE-01", stage="foundation", scales_with="population", running_cost=5, funding=["local_budget"]),
    action(
        "S-ONE-02",
        prerequisites=[["S-ONE-01", "G-DATA-01"]],
        trigger={"dimension": "S1", "below": 4},
        lead={"zh-hans": "数据局", "en": "Data bureau"},
        kpi={"zh-hans": "上线", "en": "Live"},
        policy={"zh-hans": "国办发", "en": "State Council"},
        rationale={"zh-hans": "因为", "en": "Because"},
        suits={"cluster": True, "specialties": ["agriculture"], "regions": ["east"], "min_population": 10},
    ),
    action("G-DATA-01", direction="governance", dimension="G1", cost=(100, 300), cost_tier="medium"),
)
# Rules of every kind, using every test and profile key between them
MESSAGE = {"zh-hans": "S1.1为{S1.1}，S1.2为{S1.2}", "en": "S1.1 is {S1.1}, S1.2 is {S1.2}"}
RULES = {
    "questionnaire": "test-bank",
    "rules": [
        {
            "code": "cross",
            "kind": "cross",
            "severity": "warning",
            "when": [{"question": "S1.1", "level": {"min": 4}}, {"question": "S1.2", "number": {"min": 1, "max": 90}}],
            "expect": {
                "any": [
                    {"question": "G1.2", "answer": True},
                    {"question": "G1.1", "ticked": ["a"]},
                    {"question": "G1.1", "ticked_any": ["a", "b"]},
                    {"question": "G1.1", "not_ticked": ["b"]},
                    {"all": [{"question": "G1.1", "ticked_count": {"max": 1}}, {"question": "I1.1", "answered": True}]},
                ]
            },
            "message": MESSAGE,
        },
        {
            "code": "profile",
            "kind": "profile",
            "severity": "notice",
            "profile": {
                "specialties": ["agriculture"],
                "without_specialties": ["manufacturing"],
                "cluster": False,
                "functional_zones": ["major_agricultural"],
                "terrains": ["plain"],
                "levels": ["county"],
                "regions": ["east"],
            },
            "when": {"question": "S1.1", "level": 1},
            "expect": {"question": "G1.1", "not_applicable": False},
            "message": {"zh-hans": "S1.1为{S1.1}", "en": "S1.1 is {S1.1}"},
        },
        {
            "code": "range",
            "kind": "range",
            "severity": "notice",
            "question": "I1.1",
            "min": 1.0,
            "max": 3.0,
            "message": {"zh-hans": "PUE为{I1.1}", "en": "PUE {I1.1}"},
        },
    ],
}
VALID = {
    "import_answers": ANSWERS,
    "import_questionnaire": bank_data(code="hostile-bank"),
    "import_catalogue": CATALOGUE,
    "import_checks": RULES,
}
FORMATS = {
    "import_answers": (".yaml", ".json"),
    "import_questionnaire": (".yaml", ".json"),
    "import_catalogue": (".yaml",),
    "import_checks": (".yaml", ".json"),
}
WRITTEN = [Assessment, Answer, QuestionnaireVersion, Dimension, Question, ActionCatalogue, Action, CheckRuleSet]

EXTREMES = [
    10**400,
    -(10**400),
    2**64,
    10**15,
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    -0.0,
    "x" * 6_000,
    "长" * 400,
    "\x00",
    "a\u0000b",
    "\ud800",
    "\ufeff",
    "line\nbreak",
    "",
    " ",
    "na",
    "=HYPERLINK(1)",
    datetime.date(2026, 1, 1),
    datetime.datetime(2026, 1, 1, 8, 0),
    b"\x00\xff",
    [[[[[[[[[[]]]]]]]]]],
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(EXTREMES),
)
KEYS = st.one_of(st.text(max_size=6), st.integers(-3, 3), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)


def places(data, place=()):
    """Every place in `data` (the top included), as a tuple of keys and indexes."""
    yield place
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, child in children:
        yield from places(child, (*place, key))


def replaced(data, place, value):
    data = copy.deepcopy(data)
    if not place:
        return value
    parent = data
    for key in place[:-1]:
        parent = parent[key]
    parent[place[-1]] = value
    return data


def dumped(data, suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(data, default=str)  # dates and bytes as text; NaN and Infinity as Python writes them
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def published():
    make_city(name="昆山市")
    make_version(publish=True)


def written() -> dict:
    return {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in WRITTEN}


def assert_fits_every_database(before: dict) -> None:
    """What an accepted document wrote fits PostgreSQL's columns too (SQLite would store anything):
    text within its length, whole numbers within 32 bits, JSON without NaN or infinities."""
    for model in WRITTEN:
        for row in model.objects.exclude(pk__in=before[model.__name__]):
            row.clean_fields(exclude=[field.name for field in model._meta.fields if field.is_relation])
            for field in model._meta.fields:
                value = getattr(row, field.attname)
                if isinstance(field, models.JSONField):
                    json.dumps(value, allow_nan=False)
                elif isinstance(field, models.IntegerField) and value is not None:
                    assert -(2**31) <= value < 2**31, (field, value)


def undo(before: dict) -> None:
    """Remove what an accepted document created, so the next one meets the same database."""
    Assessment.objects.exclude(pk__in=before["Assessment"]).delete()
    Answer.objects.exclude(pk__in=before["Answer"]).delete()
    QuestionnaireVersion.objects.exclude(pk__in=before["QuestionnaireVersion"]).delete()
    ActionCatalogue.objects.exclude(pk__in=before["ActionCatalogue"]).delete()
    CheckRuleSet.objects.exclude(pk__in=before["CheckRuleSet"]).delete()


def run(command: str, path: Path) -> str | None:
    """Import `path`; None if it was imported (and undone), else the refusal, checked to be one line
    naming the file, with the problems listed on stderr one line each, and nothing written."""
    before = written()
    stderr = StringIO()
    try:
        call_command(command, str(path), stdout=StringIO(), stderr=stderr)
    except CommandError as error:
        message = str(error)
    else:
        assert_fits_every_database(before)
        undo(before)
        return None
    assert written() == before, message
    assert "\n" not in message and message.startswith(f"{path}: "), message
    assert message.endswith("; nothing was written."), message
    listed = stderr.getvalue().splitlines()
    if "problems (listed above)" in message:
        assert f"rejected, {len(listed)} problems" in message
        assert all(line.strip() and len(line) <= 300 for line in listed), listed
    else:
        assert not listed and len(message) <= 300 + len(str(path)) + 40, message
    return message


def write(directory: str, suffix: str, text: str) -> Path:
    path = Path(directory) / f"hostile{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


# A fixed set of documents on every run; FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 searches further.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)),
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("command", sorted(VALID))
@FUZZ
@given(data=st.data())
def test_a_wrong_value_anywhere_is_imported_or_refused_in_one_line(command, data, published):
    valid = VALID[command]
    place = data.draw(st.sampled_from(list(places(valid))), label="place")
    document = replaced(valid, place, data.draw(VALUES, label="value"))
    suffix = data.draw(st.sampled_from(FORMATS[command]), label="format")
    with tempfile.TemporaryDirectory() as directory:
        run(command, write(directory, suffix, dumped(document, suffix)))


@pytest.mark.parametrize("command", sorted(VALID))
@FUZZ
@given(data=st.data())
def test_an_unknown_key_anywhere_is_refused_in_one_line(command, data, published):
    valid = VALID[command]
    mappings = [place for place in places(valid) if isinstance(_at(valid, place), dict)]
    place = data.draw(st.sampled_from(mappings), label="mapping")
    key = data.draw(KEYS.filter(lambda key: key not in _at(valid, place)), label="key")
    document = replaced(valid, place, {**_at(valid, place), key: data.draw(VALUES, label="value")})
    suffix = data.draw(st.sampled_from(FORMATS[command]), label="format")
    with tempfile.TemporaryDirectory() as directory:
        assert run(command, write(directory, suffix, dumped(document, suffix))) is not None


def _at(data, place):
    for key in place:
        data = data[key]
    return data


# Every place of each valid file, in turn, holding each of these: what a fuzzer rarely hits by chance
# (text longer than any column, a number no float holds, a list where one thing belongs).
WORST = ["长" * 501, 10**400, ["x"]]


@pytest.mark.parametrize("command", sorted(VALID))
def test_each_place_holding_the_worst_values_is_imported_or_refused_in_one_line(command, published, tmp_path):
    valid, suffix = VALID[command], FORMATS[command][-1]  # JSON where it may be: parsed far faster
    for place in list(places(valid))[1:]:
        for value in WORST:
            run(command, write(tmp_path, suffix, dumped(replaced(valid, place, value), suffix)))


@pytest.mark.parametrize("command", sorted(VALID))
def test_the_valid_documents_the_others_start_from_import(command, published, tmp_path):
    for suffix in FORMATS[command]:
        assert run(command, write(tmp_path, suffix, dumped(VALID[command], suffix))) is None


NOT_DOCUMENTS = {
    "empty": b"",
    "a byte-order mark alone": b"\xef\xbb\xbf",
    "a NUL byte": b"a: \x00",
    "every byte": bytes(range(256)),
    "GB 18030 text": "城市: 昆山市".encode("gb18030"),
    "a number": b"42",
    "a list": b"[1, 2]",
    "two YAML documents": b"a: 1\n---\nb: 2\n",
    "a Python object tag": b"!!python/object/apply:os.system [echo]",
    "an unknown tag": b"a: !secret 1",
    "a tab for indentation": b"a:\n\tb: 1",
    "a 5,000-digit number": b"a: " + b"9" * 5_000,
    "a 5,000-digit hexadecimal number": b"a: 0x" + b"f" * 5_000,
    "NaN in JSON": b'{"a": NaN}',
    "an escaped NUL": b'{"a": "\\u0000"}',
    "half a surrogate pair": b'{"a": "\\ud800"}',
    "an unhashable key": b"? [a, b]\n: 1",
    "a key given twice": b"code: x\ncode: y\n",
    "a recursive alias": b"a: &a [*a]",
    "a long line": b"a: " + b"x" * 1_000_000,
}


@pytest.mark.parametrize("command", sorted(VALID))
@pytest.mark.parametrize("name", sorted(NOT_DOCUMENTS))
def test_a_file_that_is_no_document_is_refused_in_one_line(command, name, published, tmp_path):
    for suffix in FORMATS[command]:
        path = tmp_path / f"file{suffix}"
        path.write_bytes(NOT_DOCUMENTS[name])
        assert run(command, path) is not None


@pytest.mark.parametrize("command", sorted(VALID))
def test_a_directory_a_missing_file_and_a_pipe_are_refused_in_one_line(command, published, tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    assert "a directory, not a file" in run(command, tmp_path / "folder.yaml")
    assert "no such file" in run(command, tmp_path / "missing.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    assert "not a regular file" in run(command, tmp_path / "pipe.yaml")


# XLSX answers: a cell of any kind anywhere in the columns the importer reads -----------------------

CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
    st.sampled_from(["na", "L9", "²", "２０２６", "a, b, ,", "=1/0", "#N/A", "长" * 5_001, "yes", "none"]),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.times(),
)
SHEET = [["city", "昆山市"], ["year", 2026], ["questionnaire", "test-bank"], ["code", "answer", "comment"]]
SHEET += [["S1.1", 3, "已上线"], ["S1.2", 72.5], ["G1.1", "a"], ["G1.2", "yes"], ["I1.1", 1.45]]


@FUZZ
@given(data=st.data())
def test_a_workbook_with_any_cell_anywhere_is_imported_or_refused_in_one_line(data, published):
    rows = copy.deepcopy(SHEET)
    for _ in range(data.draw(st.integers(1, 3), label="cells")):
        row = data.draw(st.integers(0, len(rows)), label="row")
        if row == len(rows):
            rows.append([])
        column = data.draw(st.integers(0, 2), label="column")
        rows[row] += [None] * (column + 1 - len(rows[row]))
        rows[row][column] = data.draw(CELLS, label="value")
    workbook = Workbook()
    for row in rows:
        append_row(workbook.active, row)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "answers.xlsx"
        workbook.save(path)
        run("import_answers", path)


# The admin's upload form: the same importer, each problem on its own line -------------------------


@FUZZ
@given(data=st.data())
def test_the_admin_upload_shows_a_wrong_value_anywhere_as_one_line_problems(data, admin_client):
    valid = VALID["import_questionnaire"]
    place = data.draw(st.sampled_from(list(places(valid))), label="place")
    suffix = data.draw(st.sampled_from([".yaml", ".json"]), label="format")
    text = dumped(replaced(valid, place, data.draw(VALUES, label="value")), suffix)
    before = written()
    response = admin_client.post(
        reverse("admin:assessment_questionnaireversion_import"),
        {"file": SimpleUploadedFile(f"bank{suffix}", text.encode("utf-8", errors="surrogatepass"))},
    )
    if response.status_code == 302:  # imported
        assert_fits_every_database(before)
        undo(before)
        return
    assert response.status_code == 200
    assert written() == before
    problems = response.context["problems"]
    assert problems and all("\n" not in problem and len(problem) <= 300 for problem in problems), problems
