"""Files made to hurt the importers (issue 13): alias bombs, deep nesting, huge files — a one-line
refusal, nothing written, never a traceback or an exhausted machine."""

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Assessment, QuestionnaireVersion
from common import data_text

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
    with pytest.raises(CommandError) as error:
        call_command(command, str(path))
    assert not Assessment.objects.exists() and not QuestionnaireVersion.objects.exists()
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
