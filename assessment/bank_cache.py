"""Published questionnaire versions, read from the database once per process.

A published version never changes (`models.bank` refuses every change to it and its parts), so
its questions, with their dimension, level statements and checklist items, can be kept in memory
and shared by every request of the process: saving an answer then reads nothing of the bank.
Every server keeps its own copy; there is nothing to invalidate, because the key holds the
version's publication time and a published version is never edited or deleted. Drafts are read
afresh each time.
"""

from functools import lru_cache

from assessment.models import Question, QuestionnaireVersion
from assessment.review import questions_with_choices


def version_questions(version: QuestionnaireVersion) -> dict[int, Question]:
    """The version's questions by primary key, in questionnaire order, choices loaded.

    The instances are shared between requests: read them, never change them.
    """
    if not version.is_published:
        return _read(version.pk)
    return _published(version.pk, version.published_at)


def direction_questions(version: QuestionnaireVersion, direction: str) -> list[Question]:
    """The version's questions of one direction, in questionnaire order (shared, read-only)."""
    return [question for question in version_questions(version).values() if question.dimension.direction == direction]


@lru_cache(maxsize=32)
def _published(version_id: int, published_at) -> dict[int, Question]:
    return _read(version_id)


def _read(version_id: int) -> dict[int, Question]:
    return {question.pk: question for question in questions_with_choices(version_id)}


def clear() -> None:
    """Forget every cached version (tests that recreate the database between cases)."""
    _published.cache_clear()
