"""Answers as people read them: for the submit summary, conflicts, and the report's appendix."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from assessment.models import Answer, Assessment, ChecklistItem, LevelStatement, Question


def display_answer(answer: Answer | None, question: Question, *, with_statement: bool = True) -> str:
    """One line for an answer, in the active language ("—" when unanswered); a level answer quotes
    its statement unless `with_statement` is False."""
    if answer is None or not answer.is_answered:
        return "—"
    if answer.not_applicable:
        return _("Not applicable")
    if answer.level is not None:
        statement = next((s for s in question.level_statements.all() if s.level == answer.level), None)
        return f"L{answer.level}" + (f" · {statement.text}" if statement and with_statement else "")
    if answer.yes is not None:
        return _("Yes") if answer.yes else _("No")
    if answer.items is not None:
        texts = [item.text for item in question.checklist_items.all() if item.code in answer.items]
        return _("; ").join(texts) if texts else _("None of these")
    return number_with_unit(answer.number, question)


def number_with_unit(value: float, question: Question) -> str:
    """A number with the question's unit in the active language: "66.4%", "26 per 10,000 residents"."""
    unit = question.unit_label
    if unit in ("%", "‰"):
        return f"{value:g}{unit}"
    return f"{value:g} {unit}".strip()


@dataclass
class AnswerRow:
    question: Question
    answer: Answer | None

    @property
    def display(self) -> str:
        return display_answer(self.answer, self.question)

    @property
    def lacks_expected_evidence(self) -> bool:
        """Answered with a value, the question expects evidence, and there is none."""
        answer = self.answer
        return bool(
            self.question.evidence
            and answer is not None
            and answer.is_answered
            and not answer.not_applicable
            and not answer.has_evidence
        )

    @property
    def short(self) -> str:
        """The answer without the level statement: for long lists such as the report's appendix."""
        return display_answer(self.answer, self.question, with_statement=False)


def questions_with_choices(version_id: int, **filters):
    """Questions of a version in questionnaire order, with dimension and choices loaded (3 queries)."""
    return (
        Question.objects.filter(dimension__version_id=version_id, **filters)
        .select_related("dimension")
        .prefetch_related(
            Prefetch("level_statements", queryset=LevelStatement.objects.order_by("level")),
            Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by("position", "pk")),
        )
        .order_by("dimension__position", "dimension__pk", "position", "pk")
    )


def answer_rows(assessment: Assessment) -> list[AnswerRow]:
    """Every question of the assessment with its answer (or None), in questionnaire order (4 queries)."""
    answers = {a.question_id: a for a in assessment.answers.select_related("answered_by")}
    return [AnswerRow(q, answers.get(q.pk)) for q in questions_with_choices(assessment.version_id)]
