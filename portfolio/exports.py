"""The portfolio as spreadsheets: scores by city, answers by question and planned actions with
costs as XLSX, and the scores as CSV, for the cities the portfolio page shows. User text never
becomes a formula (`common.spreadsheet`)."""

import csv
import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from assessment.answers_file import xlsx_cell
from assessment.bank_cache import version_questions
from assessment.models import Answer, Assessment, Direction
from cities.geography import Province, Region
from cities.models import AdministrativeLevel
from common.spreadsheet import append_row, csv_cell
from portfolio import rules
from reports.exports import XLSX_TYPE, bold_header, finish, plan_sheet, rounded

__all__ = ["XLSX_TYPE", "portfolio_csv", "portfolio_workbook"]


def _score_rows(rows: list[rules.CityRow]):
    header = [_("City"), _("Province"), _("Region"), _("Tier"), _("Year")]
    score, level = _("score"), _("level")
    for direction in rules.DIRECTIONS:
        label = str(Direction(direction).label)
        header += [f"{label} · {score}", f"{label} · {level}"]
    header += [_("Overall score"), _("Overall level"), _("Weakest link"), _("Completeness (%)"), _("Trend")]
    yield header
    for row in rows:
        line = [
            row.name,
            _label(Province, row.province),
            _label(Region, row.region),
            _label(AdministrativeLevel, row.tier),
        ]
        line.append(row.year)
        for direction in rules.DIRECTIONS:
            cell = row.cell(direction)
            line += [rounded(cell.score), cell.level]
        completeness = None if row.completeness is None else round(100 * row.completeness, 1)
        line += [rounded(row.overall.score), row.overall.level, row.weakest_level, completeness, row.trend or ""]
        yield line


def _label(choices, value: str) -> str:
    """The label of a code in the active language (the code itself if it is unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def portfolio_workbook(rows: list[rules.CityRow], progress: Callable[[int], None] | None = None) -> bytes:
    """Scores by city; answers by question (one row per city and question); planned actions
    (`progress` hears how many cities' plans are done)."""
    workbook = Workbook()
    scores = workbook.active
    scores.title = "Scores by city"
    for number, line in enumerate(_score_rows(rows)):
        append_row(scores, line)
        if number == 0:
            bold_header(scores)
    assessments = list(
        Assessment.objects.filter(pk__in=[row.assessment_id for row in rows if row.assessed])
        .select_related("city", "version")
        .order_by("city__name_zh", "year")
    )
    _answers_by_question(workbook.create_sheet("Answers by question"), assessments)
    plan_sheet(workbook.create_sheet("Planned actions"), assessments, progress)
    return finish(workbook)


def _answers_by_question(sheet, assessments: list[Assessment]) -> None:
    header = [_("City"), _("Year"), _("Questionnaire"), _("Code"), _("Question"), _("Answer"), _("Unit"), _("Comment")]
    append_row(sheet, header)
    bold_header(sheet)
    answers = {}
    for answer in Answer.objects.filter(assessment__in=assessments):
        answers[(answer.assessment_id, answer.question_id)] = answer
    for assessment in assessments:
        for question in version_questions(assessment.version).values():
            answer = answers.get((assessment.pk, question.pk))
            append_row(
                sheet,
                [
                    assessment.city.name,
                    assessment.year,
                    assessment.version.code,
                    question.code,
                    question.text,
                    xlsx_cell(answer, question),
                    question.unit_label or None,
                    answer.comment if answer is not None and answer.comment else None,
                ],
            )


def portfolio_csv(rows: list[rules.CityRow]) -> str:
    """The scores by city as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese names)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for line in _score_rows(rows):
        writer.writerow([csv_cell(value) for value in line])
    return buffer.getvalue()
