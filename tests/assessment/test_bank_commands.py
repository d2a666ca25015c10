"""import_questionnaire / export_questionnaire as FORMATS.md's command-line contract says."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessment.bank_file import dump_bank, export_version
from assessment.models import QuestionnaireVersion
from tests.factories import bank_data, make_version

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, data, fmt="yaml"):
    path = tmp_path / name
    path.write_text(dump_bank(data, fmt=fmt), encoding="utf-8")
    return path


def test_import_loads_a_draft_and_reports_it(tmp_path):
    out, _ = run("import_questionnaire", str(write(tmp_path, "bank.yaml", bank_data())))
    assert out.strip() == "Imported test-bank (draft): 3 dimensions, 5 questions."
    assert not QuestionnaireVersion.objects.get(code="test-bank").is_published


def test_import_with_publish_publishes(tmp_path):
    out, _ = run("import_questionnaire", str(write(tmp_path, "bank.json", bank_data(), "json")), "--publish")
    assert "(published)" in out
    assert QuestionnaireVersion.objects.get(code="test-bank").is_published


def test_a_bad_file_exits_non_zero_lists_problems_and_writes_nothing(tmp_path):
    data = bank_data()
    data["dimensions"][0]["questions"][0]["levels"].pop()
    data["dimensions"][1]["direction"] = "economy"
    err = StringIO()
    with pytest.raises(CommandError, match=r"rejected, 2 problems \(listed above\); nothing was written"):
        call_command("import_questionnaire", str(write(tmp_path, "bad.yaml", data)), stderr=err)
    assert "dimensions[0].questions[0].levels: expected 5, got 4" in err.getvalue()
    assert "dimensions[1].direction: unknown direction 'economy'" in err.getvalue()
    assert not QuestionnaireVersion.objects.exists()


def test_a_missing_file_is_a_one_line_error():
    with pytest.raises(CommandError, match="no such file"):
        run("import_questionnaire", "/nonexistent/bank.yaml")


def test_export_to_stdout_and_to_files(tmp_path):
    version = make_version()
    expected = export_version(version)
    out, _ = run("export_questionnaire", "test-bank")
    assert yaml.safe_load(out) == expected
    run("export_questionnaire", "test-bank", "-o", str(tmp_path / "out.json"))
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == expected
    run("export_questionnaire", "test-bank", "-o", str(tmp_path / "out.yaml"))
    assert "一网通办的程度" in (tmp_path / "out.yaml").read_text(encoding="utf-8")


def test_export_of_an_unknown_code_fails_cleanly():
    with pytest.raises(CommandError, match="No questionnaire version with code 'nope'"):
        run("export_questionnaire", "nope")


def test_export_then_import_round_trips_through_the_commands(tmp_path):
    make_version()
    run("export_questionnaire", "test-bank", "-o", str(tmp_path / "bank.yaml"))
    original = export_version(QuestionnaireVersion.objects.get())
    QuestionnaireVersion.objects.all().delete()
    run("import_questionnaire", str(tmp_path / "bank.yaml"))
    assert export_version(QuestionnaireVersion.objects.get()) == original
