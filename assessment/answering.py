"""Officials answering an assessment: start, assign, save answers safely, progress.

Saving never loses an answer: every answer carries a revision; a save made from an older
revision than the stored one is a *conflict* and is returned to the user to decide, never
applied silently (SPEC §8).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
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
#
# Every save runs in a transaction that holds the assessment's row lock (SELECT … FOR UPDATE on
# PostgreSQL, the IMMEDIATE write lock on SQLite): a save never meets a submission half-way, and
# two saves of one answer are taken one after the other, so the revision read is the one written
# over. Submission and file imports take the same lock.

SAVED_FIELDS = (*VALUE_FIELDS, "comment", "evidence_url", "answered_by", "answered_at", "needs_review", "revision")


@dataclass
class SaveResult:
    """The stored answer after a save; `conflict` is True when someone else's newer save was kept."""

    answer: Answer
    conflict: bool = False


@dataclass
class AnswerEdit:
    """One answer to store: the values posted for `question`, made from `base_revision` (0: none yet)."""

    question: Question
    values: dict
    base_revision: int
    evidence_url: str | None = None


def values_equal(answer: Answer, values: dict) -> bool:
    return all(getattr(answer, name) == values.get(name) for name in VALUE_FIELDS) and answer.comment == values.get(
        "comment", answer.comment
    )


def _hold_lock(assessment: Assessment, locked: bool) -> None:
    """Hold the assessment's row lock for saving answers and refuse once it is submitted. `locked`:
    the caller's transaction took the lock when it fetched `assessment` (whose status is then
    current); else it is taken here (one query)."""
    if locked:
        draft = assessment.is_draft
    else:
        draft = Assessment.objects.select_for_update().filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).exists()
    if not draft:
        raise ValidationError(_("This assessment has been submitted and can no longer be changed."))


def assignment_annotations(user) -> dict:
    """`assigned_<direction>`: whether `user` answers each direction, fetched with the assessment
    (read them with `assigned_from`)."""
    return {
        f"assigned_{direction}": Exists(
            DirectionAssignment.objects.filter(assessment=OuterRef("pk"), respondent=user, direction=direction)
        )
        for direction in Direction.values
    }


def assigned_from(assessment: Assessment) -> set[str]:
    """The directions of an assessment fetched with `assignment_annotations`."""
    return {direction for direction in Direction.values if getattr(assessment, f"assigned_{direction}")}


def _apply(answer: Answer, edit: AnswerEdit, user, now) -> None:
    for name in (*VALUE_FIELDS, "comment"):
        if name in edit.values:
            setattr(answer, name, edit.values[name])
    if edit.evidence_url is not None:
        answer.evidence_url = edit.evidence_url
    answer.answered_by = user
    answer.answered_at = now
    answer.needs_review = False  # a carried answer, saved by a respondent, is reviewed
    answer.revision = edit.base_revision + 1


def _is_stale(stored: Answer | None, edit: AnswerEdit) -> bool:
    return (stored.revision if stored else 0) != edit.base_revision


def _conflict(stored: Answer | None, edit: AnswerEdit, assessment: Assessment) -> SaveResult:
    """The stored answer moved on since the edit's revision: keep it, and say whether it differs."""
    if stored is None:
        return SaveResult(Answer(assessment=assessment, question=edit.question, revision=0), conflict=True)
    return SaveResult(stored, conflict=not values_equal(stored, edit.values))


def save_answers(*, assessment: Assessment, edits: list[AnswerEdit], user, locked: bool = False) -> list[SaveResult]:
    """Store several answers of one assessment in one transaction, each with the revision check of a
    single save: an edit made from an older revision than the stored one is a conflict and is not
    written (the others are). One result per edit, in order; the questions must differ.

    `locked`: the caller's transaction already holds the assessment's row lock. Queries: the lock,
    one read of the stored answers, one INSERT and one UPDATE for all of them (split in batches
    where the database limits the parameters of one statement).
    """
    with transaction.atomic(savepoint=not locked):
        _hold_lock(assessment, locked)
        questions = {edit.question.pk: edit.question for edit in edits}
        stored = {a.question_id: a for a in Answer.objects.filter(assessment=assessment, question_id__in=questions)}
        now = timezone.now()
        results, to_create, to_update = [], [], []
        for edit in edits:
            answer = stored.get(edit.question.pk)
            if answer is not None:
                answer.question = edit.question
            if _is_stale(answer, edit):
                results.append(_conflict(answer, edit, assessment))
                continue
            answer = answer or Answer(assessment=assessment, question=edit.question)
            _apply(answer, edit, user, now)
            (to_update if answer.pk else to_create).append(answer)
            results.append(SaveResult(answer))
        Answer.objects.bulk_create(to_create)
        Answer.objects.bulk_update(to_update, SAVED_FIELDS)
    return results


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
    locked: bool = False,
) -> SaveResult:
    """Store one answer made from `base_revision` (0: there was none yet).

    `values` holds the answer fields (level, yes, items, number, not_applicable) and the comment.
    If the stored answer has moved on since `base_revision` and differs from what is being saved,
    nothing is written and the stored answer is returned with `conflict=True`. `locked`: as for
    `save_answers`. Queries: the lock (unless `locked`), a read and a write of the answer.
    """
    edit = AnswerEdit(question, values, base_revision, evidence_url)
    with transaction.atomic(savepoint=not locked):
        _hold_lock(assessment, locked)
        stored = Answer.objects.filter(assessment=assessment, question=question).first()
        if stored is not None:
            stored.question = question
        if _is_stale(stored, edit):
            return _conflict(stored, edit, assessment)
        answer = stored or Answer(assessment=assessment, question=question)
        if (remove_file or evidence_file is not None) and answer.evidence_file:
            answer.evidence_file.delete(save=False)
        if evidence_file is not None:
            answer.evidence_file.save(evidence_file.name, evidence_file, save=False)
        _apply(answer, edit, user, timezone.now())
        answer.save(force_insert=answer.pk is None)
    return SaveResult(answer)


# Progress ------------------------------------------------------------------------------


@dataclass
class DirectionProgress:
    direction: str
    label: str
    answered: int
    total: int
    valued: int = 0  # answered with a value, not "not applicable"
    with_evidence: int = 0  # of those, backed by an evidence link or file
    respondents: list = field(default_factory=list)
    first_unanswered: str | None = None  # the code of its first unanswered question, when listed

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

    @property
    def with_evidence(self) -> int:
        return sum(d.with_evidence for d in self.directions)

    @property
    def evidence_percent(self) -> int:
        """The share of the answers with a value that are backed by evidence (as the scores count it)."""
        valued = sum(d.valued for d in self.directions)
        return round(100 * self.with_evidence / valued) if valued else 0


def answered_condition(prefix: str = "") -> Q:
    """An answer counts as answered when it is N/A or holds a value; `prefix` reaches it through a relation."""
    return Q(**{f"{prefix}not_applicable": True}) | Q(
        *(Q(**{f"{prefix}{name}__isnull": False}) for name in ("level", "yes", "items", "number")), _connector=Q.OR
    )


ANSWERED = answered_condition()


def progress_counts(assessment: Assessment) -> Progress:
    """Answered and total questions per direction, in one query (what a save sends back to the page)."""
    mine = FilteredRelation("answers", condition=Q(answers__assessment=assessment))
    valued = answered_condition("mine__") & Q(mine__not_applicable=False)
    evidenced = valued & (~Q(mine__evidence_url="") | ~Q(mine__evidence_file=""))
    counts = (
        Question.objects.filter(dimension__version_id=assessment.version_id)
        .annotate(mine=mine)
        .values_list("dimension__direction")
        .annotate(
            total=Count("pk"),
            answered=Count("mine", filter=answered_condition("mine__")),
            valued=Count("mine", filter=valued),
            with_evidence=Count("mine", filter=evidenced),
        )
        .order_by()
    )
    found = {direction: rest for direction, *rest in counts}
    directions = [
        DirectionProgress(d, label, answered, total, valued, with_evidence)
        for d, label in Direction.choices
        if d in found
        for total, answered, valued, with_evidence in [found[d]]
    ]
    return Progress(directions, [])


def progress_of(assessment: Assessment, *, with_unanswered: bool = True) -> Progress:
    """`progress_counts`, with who answers what and (optionally) the unanswered questions in
    questionnaire order: 2 or 3 queries whatever the size of the bank."""
    progress = progress_counts(assessment)
    respondents: dict[str, list] = {}
    for assignment in assessment.assignments.select_related("respondent").order_by("respondent__username"):
        respondents.setdefault(assignment.direction, []).append(assignment.respondent)
    for direction in progress.directions:
        direction.respondents = respondents.get(direction.direction, [])
    if with_unanswered:
        progress.unanswered = list(
            Question.objects.filter(dimension__version_id=assessment.version_id)
            .exclude(pk__in=assessment.answers.filter(ANSWERED).values("question_id"))
            .select_related("dimension")
            .order_by("dimension__position", "dimension__pk", "position", "pk")
        )
        first = {}
        for question in progress.unanswered:
            first.setdefault(question.dimension.direction, question.code)
        for direction in progress.directions:
            direction.first_unanswered = first.get(direction.direction)
    return progress


def directions_to_answer(user) -> list[tuple[DirectionAssignment, DirectionProgress]]:
    """The directions `user` answers in draft assessments, each with its progress and first unanswered
    question: 3 queries however many there are."""
    assignments = list(
        DirectionAssignment.objects.filter(respondent=user, assessment__status=AssessmentStatus.DRAFT)
        .select_related("assessment__city")
        .order_by("assessment__city__name_zh", "assessment__year")
    )
    if not assignments:
        return []
    order = {name: position for position, name in enumerate(Direction.values)}
    assignments.sort(key=lambda a: (a.assessment.city.name_zh, a.assessment.year, order[a.direction]))
    directions = {a.direction for a in assignments}
    questions = (
        Question.objects.filter(
            dimension__version_id__in={a.assessment.version_id for a in assignments},
            dimension__direction__in=directions,
        )
        .order_by("dimension__position", "dimension__pk", "position", "pk")
        .values_list("pk", "code", "dimension__version_id", "dimension__direction")
    )
    by_part: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for pk, code, version_id, direction in questions:
        by_part.setdefault((version_id, direction), []).append((pk, code))
    answered = set(
        Answer.objects.filter(ANSWERED, assessment_id__in={a.assessment_id for a in assignments}).values_list(
            "assessment_id", "question_id"
        )
    )
    rows = []
    for assignment in assignments:
        part = by_part.get((assignment.assessment.version_id, assignment.direction), [])
        todo = [code for pk, code in part if (assignment.assessment_id, pk) not in answered]
        progress = DirectionProgress(
            assignment.direction,
            Direction(assignment.direction).label,
            answered=len(part) - len(todo),
            total=len(part),
            first_unanswered=todo[0] if todo else None,
        )
        rows.append((assignment, progress))
    return rows
