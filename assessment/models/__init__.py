"""Models of the assessment app: the versioned question bank and the assessments."""

from assessment.models.assessments import (
    Answer,
    Assessment,
    AssessmentEvent,
    AssessmentQuerySet,
    AssessmentStatus,
    DirectionAssignment,
    EventKind,
)
from assessment.models.bank import (
    BankPart,
    ChecklistItem,
    Dimension,
    Direction,
    LevelStatement,
    PublishedVersionError,
    Question,
    QuestionnaireVersion,
    QuestionType,
    VersionStatus,
)

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentEvent",
    "AssessmentQuerySet",
    "AssessmentStatus",
    "BankPart",
    "ChecklistItem",
    "Dimension",
    "Direction",
    "DirectionAssignment",
    "EventKind",
    "LevelStatement",
    "PublishedVersionError",
    "Question",
    "QuestionType",
    "QuestionnaireVersion",
    "VersionStatus",
]
