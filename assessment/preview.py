"""A questionnaire version laid out as respondents see it: directions → dimensions → questions."""

from dataclasses import dataclass

from django.db.models import Prefetch

from assessment.models import ChecklistItem, Dimension, Direction, LevelStatement, Question, QuestionnaireVersion


@dataclass
class DirectionOutline:
    direction: str
    label: str
    dimensions: list[Dimension]

    @property
    def question_count(self) -> int:
        return sum(len(dimension.questions.all()) for dimension in self.dimensions)


def questionnaire_outline(version: QuestionnaireVersion) -> list[DirectionOutline]:
    """The version's dimensions grouped by direction, questions and choices prefetched (4 queries)."""
    dimensions = list(
        version.dimensions.order_by("position", "pk").prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("level_statements", queryset=LevelStatement.objects.order_by("level")),
                    Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by("position", "pk")),
                ),
            )
        )
    )
    return [
        DirectionOutline(direction, label, [d for d in dimensions if d.direction == direction])
        for direction, label in Direction.choices
        if any(d.direction == direction for d in dimensions)
    ]
