"""Spreadsheets out: one assessment (answers, scores, plan) and a portfolio (scores by city, answers
by question, planned actions with costs), as XLSX with openpyxl, and the portfolio's scores as CSV.

The answers sheet of an assessment is an answers file (FORMATS.md): `import_answers` reads it back
to the same answers and so the same scores. User text never becomes a formula (`common.spreadsheet`).
"""

import csv
import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.answers_file import write_answers_sheet, xlsx_cell
from assessment.bank_cache import version_questions
from assessment.models import Answer, Assessment, Direction
from assessment.scores import scores_of
from cities.geography import Province, Region
from cities.models import AdministrativeLevel
from common.spreadsheet import append_row, csv_cell
from reports import portfolio_rules as rules
from reports.plans import adjusted_plan, compute_plan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bold_header(sheet) -> None:
    """The row just written is the header: bold, and kept in view while scrolling."""
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"  # a coordinate: asking for the cell would create it


def _finish(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# One assessment --------------------------------------------------------------------------


def assessment_workbook(assessment: Assessment) -> bytes:
    """Three sheets: Answers (importable), Scores (overall, directions, dimensions), Plan (as adjusted)."""
    workbook = Workbook()
    answers_sheet = workbook.active
    answers_sheet.title = "Answers"
    questions = list(version_questions(assessment.version).values())
    answers = {a.question_id: a for a in assessment.answers.all()}
    write_answers_sheet(answers_sheet, assessment, questions, answers)
    _scores_sheet(workbook.create_sheet("Scores"), assessment, questions)
    _plan_sheet(workbook.create_sheet("Plan"), [assessment])
    return _finish(workbook)


def _scores_sheet(sheet, assessment: Assessment, questions) -> None:
    scores = scores_of(assessment)
    append_row(sheet, [_("Part"), _("Code"), _("Name"), _("Score"), _("Level"), _("Weakest link")])
    _bold_header(sheet)
    node = scores.overall
    append_row(sheet, [_("Overall"), "", str(assessment), _round(node.score), node.level, node.weakest_level])
    for direction, node in scores.directions.items():
        label = Direction(direction).label
        append_row(sheet, [_("Direction"), direction, str(label), _round(node.score), node.level, node.weakest_level])
    dimensions = {q.dimension.code: q.dimension for q in questions}
    for code, node in scores.dimensions.items():
        title = str(dimensions[code].title) if code in dimensions else code
        append_row(sheet, [_("Dimension"), code, title, _round(node.score), node.level, node.weakest_level])
    done = scores.completeness
    append_row(sheet, [])
    append_row(sheet, [_("Questions"), done.questions])
    append_row(sheet, [_("Answered"), done.answered])
    append_row(sheet, [_("Not applicable"), done.not_applicable])
    append_row(sheet, [_("With evidence"), done.with_evidence])


def _plan_sheet(sheet, assessments: list[Assessment], progress: Callable[[int], None] | None = None) -> None:
    """The plan of each assessment as its report shows it (the consultant's moves and hides applied);
    `progress` hears how many plans are done."""
    append_row(
        sheet,
        [
            _("City"),
            _("Year"),
            _("Phase"),
            _("Action"),
            _("Title"),
            _("Direction"),
            _("Cost (10,000 CNY)"),
            _("Running cost per year (10,000 CNY)"),
            _("Lead department"),
            _("Why"),
        ],
    )
    _bold_header(sheet)
    for done, assessment in enumerate(assessments, 1):
        phases, _hidden = adjusted_plan(assessment, compute_plan(assessment))
        for phase in phases:
            for item in phase.items:
                action = item.action
                append_row(
                    sheet,
                    [
                        assessment.city.name,
                        assessment.year,
                        str(phase.label),
                        item.planned.action.code,
                        action.title if action else item.planned.action.code,
                        str(Direction(item.planned.action.direction).label),
                        _round(item.planned.cost),
                        _round(item.planned.running_cost),
                        action.lead if action else "",
                        item.why,
                    ],
                )
        if progress is not None:
            progress(done)


# A portfolio ------------------------------------------------------------------------------


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
            line += [_round(cell.score), cell.level]
        completeness = None if row.completeness is None else round(100 * row.completeness, 1)
        line += [_round(row.overall.score), row.overall.level, row.weakest_level, completeness, row.trend or ""]
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
            _bold_header(scores)
    assessments = list(
        Assessment.objects.filter(pk__in=[row.assessment_id for row in rows if row.assessed])
        .select_related("city", "version")
        .order_by("city__name_zh", "year")
    )
    _answers_by_question(workbook.create_sheet("Answers by question"), assessments)
    _plan_sheet(workbook.create_sheet("Planned actions"), assessments, progress)
    return _finish(workbook)


def _answers_by_question(sheet, assessments: list[Assessment]) -> None:
    header = [_("City"), _("Year"), _("Questionnaire"), _("Code"), _("Question"), _("Answer"), _("Unit"), _("Comment")]
    append_row(sheet, header)
    _bold_header(sheet)
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
