"""Officials answering an assessment: start, assign, save answers safely, progress.

Saving never loses an answer: every answer carries a revision; a save made from an older
revision than the stored one is a *conflict* and is returned to the user to decide, never
applied silently (SPEC §8).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Direction,
    DirectionAssignment,
    EventKind,
    Question,
    QuestionnaireVersion,
)
from cities.models import CityMembership

VALUE_FIELDS = ("level", "yes", "items", "number", "not_applicable")


# Starting and assigning ----------------------------------------------------------------


@transaction.atomic
def start_assessment(*, city, year: int, user, copy_previous: bool = False, version=None, source=None) -> Assessment:
    """Start the city's assessment for `year` on `version` (by default the current published one).

    With `source` (an earlier assessment of the city), or with `copy_previous` (the city's latest
    earlier one), its answers are carried over (`assessment.carry_over`): by the new version's
    mapping when it continues that assessment's version, else where a question has the same code
    and type (and the answer still fits it).
    """
    from assessment.carry_over import carry_summary, preview_carry, save_carried

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


@transaction.atomic
def assign_directions(*, assessment: Assessment, assignments: dict[str, list]) -> None:
    """Replace the direction assignments; only officials of the assessment's city can be assigned."""
    members = set(CityMembership.objects.filter(city=assessment.city).values_list("user_id", flat=True))
    for direction, users in assignments.items():
        if direction not in Direction.values:
            raise ValidationError(_("Unknown direction %(direction)s.") % {"direction": direction})
        strangers = [str(user) for user in users if user.pk not in members]
        if strangers:
            raise ValidationError(_("%(names)s do not work for this city.") % {"names": ", ".join(strangers)})
    DirectionAssignment.objects.filter(assessment=assessment).delete()
    DirectionAssignment.objects.bulk_create(
        DirectionAssignment(assessment=assessment, direction=direction, respondent=user)
        for direction, users in assignments.items()
        for user in users
    )


def assigned_directions(assessment: Assessment, user) -> set[str]:
    return set(assessment.assignments.filter(respondent=user).values_list("direction", flat=True))


# Saving answers ------------------------------------------------------------------------


@dataclass
class SaveResult:
    """The stored answer after a save; `conflict` is True when someone else's newer save was kept."""

    answer: Answer
    conflict: bool = False


def values_equal(answer: Answer, values: dict) -> bool:
    return all(getattr(answer, name) == values.get(name) for name in VALUE_FIELDS) and answer.comment == values.get(
        "comment", answer.comment
    )


@transaction.atomic
def save_answer(
    *,
    assessment: Assessment,
    question: Question,
    values: dict,
    base_revision: int,
    user,
    evidence_url: str | None = None,
    evidence_file=None,
    remove_file: bool = False,
) -> SaveResult:
    """Store one answer made from `base_revision` (0: there was none yet).

    `values` holds the answer fields (level, yes, items, number, not_applicable) and the comment.
    If the stored answer has moved on since `base_revision` and differs from what is being saved,
    nothing is written and the stored answer is returned with `conflict=True`.
    """
    if not Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).exists():
        raise ValidationError(_("This assessment has been submitted and can no longer be changed."))
    stored = Answer.objects.select_for_update().filter(assessment=assessment, question=question).first()
    if stored is None:
        if base_revision != 0:
            return SaveResult(Answer(assessment=assessment, question=question, revision=0), conflict=True)
        stored = Answer(assessment=assessment, question=question, revision=0)
    elif stored.revision != base_revision:
        return SaveResult(stored, conflict=not values_equal(stored, values))
    for name in (*VALUE_FIELDS, "comment"):
        if name in values:
            setattr(stored, name, values[name])
    if evidence_url is not None:
        stored.evidence_url = evidence_url
    if remove_file and stored.evidence_file:
        stored.evidence_file.delete(save=False)
    if evidence_file is not None:
        if stored.evidence_file:
            stored.evidence_file.delete(save=False)
        stored.evidence_file.save(evidence_file.name, evidence_file, save=False)
    stored.answered_by = user
    stored.answered_at = timezone.now()
    stored.needs_review = False  # a carried answer, saved by a respondent, is reviewed
    if stored.pk is None:
        stored.revision = 1
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:  # a colleague created it at the same moment: theirs stands
            theirs = Answer.objects.get(assessment=assessment, question=question)
            return SaveResult(theirs, conflict=True)
    else:
        stored.revision = F("revision") + 1
        stored.save()
        stored.refresh_from_db(fields=["revision"])
    return SaveResult(stored)


# Progress ------------------------------------------------------------------------------


@dataclass
class DirectionProgress:
    direction: str
    label: str
    answered: int
    total: int
    respondents: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass
class Progress:
    directions: list[DirectionProgress]
    unanswered: list[Question]

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.directions)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.directions)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


ANSWERED = (
    Q(not_applicable=True)
    | Q(level__isnull=False)
    | Q(yes__isnull=False)
    | Q(items__isnull=False)
    | Q(number__isnull=False)
)


def progress_of(assessment: Assessment, *, with_unanswered: bool = True) -> Progress:
    """Answered and total questions per direction, who answers what, and (optionally) the
    unanswered questions in questionnaire order: 3 or 4 queries whatever the size of the bank."""
    version_questions = Question.objects.filter(dimension__version_id=assessment.version_id)
    totals = dict(version_questions.values_list("dimension__direction").annotate(n=Count("pk")).order_by())
    answered = assessment.answers.filter(ANSWERED)
    done = dict(answered.values_list("question__dimension__direction").annotate(n=Count("pk")).order_by())
    respondents: dict[str, list] = {}
    for assignment in assessment.assignments.select_related("respondent").order_by("respondent__username"):
        respondents.setdefault(assignment.direction, []).append(assignment.respondent)
    directions = [
        DirectionProgress(direction, label, done.get(direction, 0), totals[direction], respondents.get(direction, []))
        for direction, label in Direction.choices
        if totals.get(direction)
    ]
    unanswered = []
    if with_unanswered:
        unanswered = list(
            version_questions.exclude(pk__in=answered.values("question_id"))
            .select_related("dimension")
            .order_by("dimension__position", "dimension__pk", "position", "pk")
        )
    return Progress(directions, unanswered)
