"""Small helpers around questionnaire versions."""

from assessment.models import QuestionnaireVersion


def next_draft_code(code: str) -> str:
    """A free version code for a draft cloned from `code`: smc-2026 → smc-2026-draft, -draft-2, ..."""
    base = f"{code}-draft"[:44]
    candidate, number = base, 1
    while QuestionnaireVersion.objects.filter(code=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate
