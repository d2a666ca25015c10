"""An assessment's life: started (empty, or from earlier answers carried by `carry_over`), draft →
submitted → reviewed, and reopened."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.carry_over import CarryError, carry_summary, preview_carry, save_carried
from assessment.findings import assessment_findings, blocking, blocking_message
from assessment.models import Assessment, AssessmentEvent, AssessmentStatus, EventKind, QuestionnaireVersion
from assessment.scores import compute_scores, stored_form


@transaction.atomic
def start_assessment(*, city, year: int, user, copy_previous: bool = False, version=None, source=None) -> Assessment:
    """Start the city's assessment for `year` on `version` (by default the current published one).

    With `source` (an earlier assessment of the city), or with `copy_previous` (the city's latest
    earlier one), its answers are carried over (`assessment.carry_over`): by the new version's
    mapping when it continues that assessment's version, else where a question has the same code
    and type (and the answer still fits it).
    """
    version = version or QuestionnaireVersion.objects.current()
    if version is None:
        raise ValidationError(_("No questionnaire version has been published yet."))
    if Assessment.objects.filter(city=city, year=year).exists():
        raise ValidationError(_("The city already has an assessment for %(year)s.") % {"year": year})
    if source is None and copy_previous:
        source = Assessment.objects.filter(city=city, year__lt=year).order_by("-year").first()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(city=city, year=year, version=version, based_on=source)
    except IntegrityError:
        raise ValidationError(_("The city already has an assessment for %(year)s.") % {"year": year}) from None
    reason = ""
    if source is not None:
        preview = preview_carry(source, version)
        save_carried(assessment, preview, user=user)
        reason = carry_summary(preview)
    AssessmentEvent.objects.create(assessment=assessment, kind=EventKind.STARTED, user=user, reason=reason)
    return assessment


def carry_over(source: Assessment, *, version: QuestionnaireVersion, year: int, user) -> Assessment:
    """A new draft for the source's city and `year` on `version`, starting from the source's answers."""
    if not version.is_published:
        raise CarryError(_("Questionnaire version %(code)s is not published.") % {"code": version.code})
    try:
        return start_assessment(city=source.city, year=year, user=user, version=version, source=source)
    except ValidationError as error:
        raise CarryError(" ".join(error.messages)) from None


@transaction.atomic
def submit_assessment(assessment: Assessment, *, user=None) -> Assessment:
    """Freeze the assessment: score it now and store the scores with the engine's version.

    Refused while a warning of the answer checks (`assessment.findings`) is neither resolved nor
    explained in the comment of one of the questions it names; notices never hold it up."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise ValidationError(_("This assessment has already been submitted."))
    held = blocking(assessment_findings(locked))
    if held:
        raise ValidationError(blocking_message(held))
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
