"""Models of the assessment app: the versioned question bank, its rules for checking answers, and the
assessments."""

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
from assessment.models.checks import CheckRuleSet

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentEvent",
    "AssessmentQuerySet",
    "AssessmentStatus",
    "BankPart",
    "CheckRuleSet",
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
