"""XLSX answers files made to exhaust the reader (issue 22, item 8): a 4.2 MB workbook took 1.8 GB
in `import_answers`. Each is refused in one line naming the part and the limit, within seconds and
200 MB, before openpyxl reads it; the app's own largest export still imports."""

import json
import os
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from openpyxl import Workbook

from assessment.answers_file import AnswersFileError, import_answers, read_answers_file
from assessment.models import Answer, Assessment, Question
from common import data_workbook
from reports.exports import assessment_workbook
from tests.assessment import hostile_workbooks as hostile
from tests.factories import bank_with_questions, make_city, make_version

pytestmark = pytest.mark.django_db

# Each builder with what the refusal says; all but the smallest about 5 MB packed.
HOSTILE = {
    "zip_bomb": (hostile.zip_bomb, "xl/sharedStrings.xml unpacks to 1,945.2 MB, more than 8.0 MB: refused"),
    "declared_strings": (
        lambda path: hostile.many_shared_strings(path, count=300_000),
        "xl/sharedStrings.xml: declares 300,000 shared strings, more than 20,000: refused",
    ),
    "undeclared_strings": (
        lambda path: hostile.many_shared_strings(path, count=300_000, declare=False),
        "xl/sharedStrings.xml: more than 20,000 shared strings: refused",
    ),
    "wide_rows": (
        lambda path: hostile.wide_rows(path, rows=20, dimension="A1:XFD20"),
        "xl/worksheets/sheet1.xml: the sheet declares 20 rows and 16,384 columns "
        "(at most 2,000 rows and 100 columns): refused",
    ),
    "wide_rows_under_a_lying_dimension": (
        lambda path: hostile.wide_rows(path, rows=20, dimension="A1:C20"),
        "xl/worksheets/sheet1.xml: row 1 holds more than 100 cells: refused",
    ),
    "many_rows_under_a_lying_dimension": (
        lambda path: hostile.many_rows(path, rows=200_000),
        "xl/worksheets/sheet1.xml: more than 2,000 rows: refused",
    ),
    "many_styles": (hostile.many_styles, "xl/styles.xml unpacks to 50.5 MB, more than 8.0 MB: refused"),
    "many_parts": (hostile.many_members, "20,009 parts in the archive, more than 100: refused"),
    "billion_laughs": (hostile.entity_bomb, "xl/sharedStrings.xml: declares a document type (entities): refused"),
    "rich_strings": (
        hostile.rich_strings,
        "the workbook holds more than 100,000 XML elements: refused",
    ),
}

# The peak is read from /proc (VmHWM), not getrusage: a process started from pytest inherits in its
# ru_maxrss the size pytest had when it forked.
CHILD = """
import json, sys, time
import django
django.setup()
from django.core.management import CommandError, call_command
def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
results = {}
for path in sys.argv[1:]:
    start = time.monotonic()
    try:
        call_command("import_answers", path)
        outcome = "imported"
    except CommandError as error:
        outcome = str(error)
    results[path] = {"outcome": outcome, "seconds": time.monotonic() - start, "peak_mb": peak_mb()}
print(json.dumps(results))
"""


def test_hostile_workbooks_are_refused_within_seconds_and_200_mb(tmp_path):
    paths = {}
    for name, (build, _message) in HOSTILE.items():
        paths[name] = tmp_path / f"{name}.xlsx"
        build(paths[name])
    assert paths["zip_bomb"].stat().st_size > 4.5 * 1024 * 1024
    # A process of its own, so its peak memory is the importer's (with Django's), not the test run's
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, paths.values())],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
    )
    results = json.loads(done.stdout.splitlines()[-1])
    for name, (_build, message) in HOSTILE.items():
        result = results[str(paths[name])]
        assert result["outcome"] == f"{paths[name]}: {message}; nothing was written.", name
        assert result["seconds"] < 5, (name, result)
        assert result["peak_mb"] < 200, (name, result)


def refusal(path) -> str:
    with pytest.raises(AnswersFileError) as error:
        read_answers_file(path)
    [problem] = error.value.problems
    return problem


def test_a_part_packed_more_than_500_times_is_refused(tmp_path):
    path = tmp_path / "answers.xlsx"
    hostile.save(path, hostile.answers_parts() | {"xl/media/zeros.bin": bytes(2 * 1024 * 1024)})
    assert refusal(path).startswith("xl/media/zeros.bin unpacks to ")
    assert refusal(path).endswith("times its packed size, more than 500 times: refused")


def test_parts_together_beyond_24_mb_are_refused(tmp_path):
    path = tmp_path / "answers.xlsx"
    rare_bs = bytes(ord("b") if byte < 16 else ord("a") for byte in range(256))  # packs about 20 times
    noise = {f"xl/media/noise{n}.bin": os.urandom(7 * 1024 * 1024).translate(rare_bs) for n in range(4)}
    hostile.save(path, hostile.answers_parts() | noise)
    assert refusal(path) == "the archive unpacks to 28.0 MB, more than 24.0 MB: refused"


def test_a_part_read_whole_holds_at_most_20000_elements(tmp_path):
    path = tmp_path / "answers.xlsx"
    hostile.many_styles(path, count=20_001)
    assert refusal(path) == "xl/styles.xml: more than 20,000 XML elements: refused"


def test_a_damaged_archive_or_no_archive_is_unreadable_in_one_line(tmp_path):
    path = tmp_path / "answers.xlsx"
    hostile.save(path, hostile.answers_parts())
    data = bytearray(path.read_bytes())
    start = data.index(b"<sheetData") if b"<sheetData" in data else len(data) // 3
    data[start : start + 40] = bytes(40)  # the sheet's packed bytes broken: a bad checksum or bad deflate
    path.write_bytes(bytes(data))
    assert refusal(path).startswith("not a readable XLSX workbook: ")
    path.write_bytes(b"PK\x03\x04 not really")
    assert refusal(path).startswith("not a readable XLSX workbook: ")


def test_a_dimension_beyond_the_limits_is_refused_before_a_cell_is_read(tmp_path):
    path = tmp_path / "answers.xlsx"
    hostile.save(path, hostile.answers_parts() | {hostile.SHEET: hostile.sheet_xml(b"", dimension="A1:C1048576")})
    assert refusal(path).endswith(
        "the sheet declares 1,048,576 rows and 3 columns (at most 2,000 rows and 100 columns): refused"
    )


def test_only_the_first_three_columns_and_2000_rows_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(data_workbook, "MAX_ROWS", 10_000_000)  # the scan lets a far row through
    path = tmp_path / "answers.xlsx"
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>S1.1</t></is></c></row>'
    wide = b'<row r="1">' + b"".join(b"<c><v>%d</v></c>" % n for n in range(1, 60)) + b"</row>"
    hostile.save(path, hostile.answers_parts() | {hostile.SHEET: hostile.sheet_xml(wide + far, dimension="A1:C2")})
    monkeypatch.setattr(data_workbook, "MAX_ROWS", 2_000)
    rows = data_workbook.read_first_sheet(path, columns=3)
    assert rows[0] == (1, 2, 3) and len(rows) <= 2_000


def test_the_largest_export_of_the_app_imports_again(tmp_path):
    """An assessment of 120 questions, every comment at its 5,000-character limit: the workbook
    the app exports stays far inside the limits and imports as it is."""
    version = make_version(publish=True, **bank_with_questions(120))
    assessment = Assessment.objects.create(city=make_city(name="昆山市"), year=2026, version=version)
    questions = Question.objects.filter(dimension__version=version)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, comment=f"{q.code}说明" + "长" * (5_000 - len(q.code) - 2))
        for q in questions
    )
    path = tmp_path / "export.xlsx"
    path.write_bytes(assessment_workbook(assessment))
    with zipfile.ZipFile(path) as archive:
        largest = max(info.file_size for info in archive.infolist())
    assert largest < data_workbook.MAX_MEMBER_BYTES / 4
    document = read_answers_file(path)
    assert len(document.comments) == 120 and all(len(text) == 5_000 for text in document.comments.values())
    Answer.objects.filter(assessment=assessment).update(comment="")
    import_answers(document)
    assert all(len(a.comment) == 5_000 for a in Answer.objects.filter(assessment=assessment))


def test_a_comment_beyond_the_5000_characters_of_the_answering_page_is_refused_by_its_row(tmp_path):
    make_city(name="昆山市")
    make_version(publish=True)
    workbook = Workbook()
    for row in (["city", "昆山市"], ["year", 2026], ["questionnaire", "test-bank"], ["code", "answer", "comment"]):
        workbook.active.append(row)
    workbook.active.append(["S1.1", 3, "长" * 5_001])
    path = tmp_path / "answers.xlsx"
    workbook.save(path)
    with pytest.raises(AnswersFileError) as error:
        import_answers(read_answers_file(path))
    assert error.value.problems == ["row 5 (S1.1) comment: a comment has at most 5,000 characters, this one 5,001"]
    assert not Assessment.objects.exists()
