"""Spreadsheets out: one assessment (answers, scores, plan) as XLSX with openpyxl, and the sheet
helpers the portfolio's exports (`portfolio.exports`) share.

The answers sheet of an assessment is an answers file (FORMATS.md): `import_answers` reads it back
to the same answers and so the same scores. User text never becomes a formula (`common.spreadsheet`).
"""

import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.answers_file import write_answers_sheet
from assessment.bank_cache import version_questions
from assessment.models import Assessment, Direction
from assessment.scores import scores_of
from common.spreadsheet import append_row
from plans.compute import adjusted_plan, compute_plan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bold_header(sheet) -> None:
    """The row just written is the header: bold, and kept in view while scrolling."""
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"  # a coordinate: asking for the cell would create it


def finish(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rounded(value: float | None) -> float | None:
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
    plan_sheet(workbook.create_sheet("Plan"), [assessment])
    return finish(workbook)


def _scores_sheet(sheet, assessment: Assessment, questions) -> None:
    scores = scores_of(assessment)
    append_row(sheet, [_("Part"), _("Code"), _("Name"), _("Score"), _("Level"), _("Weakest link")])
    bold_header(sheet)
    node = scores.overall
    append_row(sheet, [_("Overall"), "", str(assessment), rounded(node.score), node.level, node.weakest_level])
    for direction, node in scores.directions.items():
        label = Direction(direction).label
        append_row(sheet, [_("Direction"), direction, str(label), rounded(node.score), node.level, node.weakest_level])
    dimensions = {q.dimension.code: q.dimension for q in questions}
    for code, node in scores.dimensions.items():
        title = str(dimensions[code].title) if code in dimensions else code
        append_row(sheet, [_("Dimension"), code, title, rounded(node.score), node.level, node.weakest_level])
    done = scores.completeness
    append_row(sheet, [])
    append_row(sheet, [_("Questions"), done.questions])
    append_row(sheet, [_("Answered"), done.answered])
    append_row(sheet, [_("Not applicable"), done.not_applicable])
    append_row(sheet, [_("With evidence"), done.with_evidence])


def plan_sheet(sheet, assessments: list[Assessment], progress: Callable[[int], None] | None = None) -> None:
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
    bold_header(sheet)
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
                        rounded(item.planned.cost),
                        rounded(item.planned.running_cost),
                        action.lead if action else "",
                        item.why,
                    ],
                )
        if progress is not None:
            progress(done)
