"""Files made to hurt the importers (issues 13 and 22): alias bombs, deep nesting, huge files, keys
given twice, numbers and text no column holds — a one-line refusal, nothing written, never a
traceback or an exhausted machine."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessment.answers_file import read_answers_file
from assessment.models import Assessment, QuestionnaireVersion
from common import data_text
from plans.catalogue_file import validate_catalogue
from tests.factories import make_city, make_version
from tests.plans.test_catalogue_and_plan import action, catalogue

pytestmark = pytest.mark.django_db

LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]" for p, x in zip("abcdefgh", "bcdefghi", strict=True)),
        "city: 昆山市",
        "year: 2026",
        "questionnaire: smc-2026",
        "answers: {S1.1: *i}",
        "comments: {S1.1: *i}",
    ]
)
COMMANDS = ["import_answers", "import_questionnaire"]


def refusal(command, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    versions = QuestionnaireVersion.objects.count()
    with pytest.raises(CommandError) as error:
        call_command(command, str(path))
    assert not Assessment.objects.exists() and QuestionnaireVersion.objects.count() == versions
    return str(error.value)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_alias_bomb_is_refused_before_it_is_expanded(command, tmp_path):
    message = refusal(command, tmp_path, "laughs.yaml", LAUGHS)
    assert "with its aliases expanded, the file would hold more than 200,000 values: refused" in message


@pytest.mark.parametrize("command", COMMANDS)
def test_more_aliases_than_a_small_budget_are_refused(command, tmp_path):
    text = "x: &x 1\ny: [" + ", ".join(["*x"] * 101) + "]\n"
    assert "more than 100 YAML aliases" in refusal(command, tmp_path, "aliases.yaml", text)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", ["deep.yaml", "deep.json"])
def test_nesting_100000_deep_is_refused_without_a_recursion_error(command, name, tmp_path):
    text = ("a: " if name.endswith(".yaml") else "") + "[" * 100_000 + "]" * 100_000
    assert "nested more than 64 levels deep: refused" in refusal(command, tmp_path, name, text)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_beyond_the_size_limit_is_refused_unread(command, tmp_path, monkeypatch):
    monkeypatch.setattr(data_text, "MAX_BYTES", 1024 * 1024)
    text = "comments: {S1.1: '" + "长" * 400_000 + "'}\n"  # 1.2 MB of UTF-8
    assert "larger than 1 MB: refused" in refusal(command, tmp_path, "big.yaml", text)


def test_the_real_files_are_far_inside_the_limits():
    for name in ("questionnaire-smc-2026.yaml", "questionnaire-smc-2027.yaml", "actions-2027.yaml", "cities.yaml"):
        with open(f"fixtures/{name}", encoding="utf-8") as file:
            assert data_text.load_data(file.read(), json_format=False)


# Duplicate keys (issue 22, item 11): the parsers keep the last one silently -----------------------


def test_a_year_given_twice_is_refused_and_no_assessment_is_made(tmp_path, published):
    text = "city: 昆山市\nyear: 2026\nquestionnaire: test-bank\nanswers: {S1.1: 3}\nyear: 2027\n"
    message = refusal("import_answers", tmp_path, "answers.yaml", text)
    assert message.endswith(
        "answers.yaml: line 5: duplicate key 'year' (first on line 2): refused; nothing was written."
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: 1\nb:\n  c: 1\n  c: 2\n", "line 4: duplicate key 'c' (first on line 3): refused"),
        ("{a: 1, a: 2}", "line 1: duplicate key 'a' (first on line 1): refused"),
        ("1: x\n0x1: y\n", "line 2: duplicate key 1 (first on line 1): refused"),  # the same number
        ("yes: x\ntrue: y\n", "line 2: duplicate key True (first on line 1): refused"),
    ],
)
def test_a_yaml_key_given_twice_is_refused_with_its_lines(text, message):
    with pytest.raises(data_text.DataTextError) as error:
        data_text.load_data(text, json_format=False)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"year": 2026, "year": 2027}', "(top): duplicate key 'year': refused"),
        ('{"answers": {"S1.1": 3, "S1.1": 4}}', "answers: duplicate key 'S1.1': refused"),
        ('{"d": [{"c": 1}, {"c": 1, "c": 2}]}', "d[1]: duplicate key 'c': refused"),
    ],
)
def test_a_json_key_given_twice_is_refused_with_its_place(text, message):
    with pytest.raises(data_text.DataTextError) as error:
        data_text.load_data(text, json_format=True)
    assert str(error.value) == message


def test_keys_beside_a_yaml_merge_override_the_merged_ones_as_yaml_defines():
    text = "base: &base {weight: 1, unit: '%'}\nq: {<<: *base, weight: 2}\nr: {<<: [*base, {weight: 3}]}\n"
    data = data_text.load_data(text, json_format=False)
    assert data["q"] == {"weight": 2, "unit": "%"} and data["r"] == {"weight": 1, "unit": "%"}


def test_a_mapping_merged_before_it_is_read_is_not_taken_for_a_duplicate():
    # y merges A while A, deeper in x, is still to be built: its own q must not meet Z's q twice
    text = "z: &Z {q: 0}\nx: [{a: &A {q: 1, <<: *Z}}]\ny: {<<: *A}\n"
    assert data_text.load_data(text, json_format=False)["y"] == {"q": 1}


def test_every_shipped_fixture_still_loads():
    for path in sorted(Path("fixtures").glob("*.yaml")):
        assert data_text.read_data_file(path, json_format=False), path


def test_one_question_written_as_a_number_and_as_text_is_refused(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("city: 昆山市\nyear: 2026\nquestionnaire: test-bank\nanswers: {1: 3, '1': 4}\n", encoding="utf-8")
    assert read_answers_file(path).problems == ["answers.1: question 1 given twice"]


# Numbers and text no column can hold ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, json_format, message",
    [
        ("a: " + "9" * 5_000, False, "line 1: a whole number of more than 15 digits: refused"),
        ("a: [0x" + "f" * 400 + "]", False, "line 1: a whole number of more than 15 digits: refused"),
        ("a: 1_000_000_000_000_000", False, "line 1: a whole number of more than 15 digits: refused"),
        ('{"a": [1, ' + "9" * 5_000 + "]}", True, "a[1]: a whole number of more than 15 digits: refused"),
        ('{"a": {"b": "x\\u0000"}}', True, "a.b: text holding a NUL character: refused"),
        ('a: "\\0"', False, "a: text holding a NUL character: refused"),
        ('{"\\ud800": 1}', True, "\ud800: text holding half a surrogate pair: refused"),
    ],
)
def test_numbers_and_text_that_no_column_holds_are_refused_by_place(text, json_format, message):
    with pytest.raises(data_text.DataTextError) as error:
        data_text.load_data(text, json_format=json_format)
    assert str(error.value) == message


def test_the_largest_whole_numbers_the_files_need_still_load():
    assert data_text.load_data("a: 999_999_999_999_999", json_format=False) == {"a": 999_999_999_999_999}
    assert data_text.load_data('{"a": -999999999999999}', json_format=True) == {"a": -999_999_999_999_999}


def test_a_byte_order_mark_before_json_is_dropped(tmp_path):
    path = tmp_path / "bank.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"a": 1}')
    assert data_text.read_data_file(path, json_format=True) == {"a": 1}


# Digits that are not plain ones, comments over the answering page's limit -------------------------


@pytest.fixture
def published():
    make_city(name="昆山市")
    make_version(publish=True)


def answers_text(**overrides) -> str:
    data = {"city": "昆山市", "year": 2026, "questionnaire": "test-bank", "answers": {"S1.1": 3}} | overrides
    return json.dumps(data, ensure_ascii=False)


def imported(tmp_path, text):
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    call_command("import_answers", str(path), stdout=StringIO())
    return Assessment.objects.get()


def test_a_year_in_superscript_digits_is_refused_and_full_width_digits_are_read(tmp_path, published):
    message = refusal("import_answers", tmp_path, "answers.json", answers_text(year="²⁰²⁶"))
    assert "year: expected a year from 2000 to 2100, got '²⁰²⁶'" in message
    assessment = imported(tmp_path, answers_text(year="２０２６", answers={"S1.1": "３"}))
    assert assessment.year == 2026 and assessment.answers.get().level == 3


def test_a_comment_over_5000_characters_is_refused_by_its_question(tmp_path, published):
    message = refusal("import_answers", tmp_path, "answers.json", answers_text(comments={"S1.1": "长" * 5_001}))
    assert message.endswith(
        "comments.S1.1: a comment has at most 5,000 characters, this one 5,001; nothing was written."
    )


def test_a_comment_of_5000_characters_is_imported(tmp_path, published):
    assessment = imported(tmp_path, answers_text(comments={"S1.1": "长" * 5_000}))
    assert len(assessment.answers.get().comment) == 5_000


# Catalogues that chain thousands of actions -------------------------------------------------------


def chain(count: int, *, circle: bool) -> dict:
    """`count` actions, each waiting for the one before; the first for the last if `circle`."""
    codes = [f"S-C{n}-01" for n in range(count)]
    actions = [action(code, prerequisites=[codes[n - 1]] if n or circle else []) for n, code in enumerate(codes)]
    return catalogue(*actions)


def test_a_chain_of_3000_prerequisites_is_checked_without_recursion():
    assert validate_catalogue(chain(3_000, circle=False)) == []
    [problem] = validate_catalogue(chain(3_000, circle=True))
    assert problem.startswith("actions: prerequisites form a circle through S-C0-01, S-C1-01, S-C10-01")
