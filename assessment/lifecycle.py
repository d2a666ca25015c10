"""Moving an assessment through draft → submitted → reviewed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Assessment, AssessmentEvent, AssessmentStatus, EventKind
from assessment.scores import compute_scores, stored_form


@transaction.atomic
def submit_assessment(assessment: Assessment, *, user=None) -> Assessment:
    """Freeze the assessment: score it now and store the scores with the engine's version."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise ValidationError(_("This assessment has already been submitted."))
    scores = compute_scores(locked)
    locked.stored_scores = stored_form(scores)
    locked.engine_version = scores.engine
    locked.status = AssessmentStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.save(update_fields=["stored_scores", "engine_version", "status", "submitted_at", "submitted_by"])
    AssessmentEvent.objects.create(assessment=locked, kind=EventKind.SUBMITTED, user=user)
    return locked


@transaction.atomic
def reopen_assessment(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Return a submitted assessment to draft, recording who did it and why; stored scores are dropped."""
    if not reason.strip():
        raise ValidationError(_("Say why the assessment is reopened."))
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_draft:
        raise ValidationError(_("This assessment is already open."))
    locked.status = AssessmentStatus.DRAFT
    locked.stored_scores = None
    locked.engine_version = ""
    locked.save(update_fields=["status", "stored_scores", "engine_version"])
    AssessmentEvent.objects.create(assessment=locked, kind=EventKind.REOPENED, user=user, reason=reason.strip())
    return locked
