"""Officials answering an assessment: assign, save answers safely, progress.

Saving never loses an answer: every answer carries a revision; a save made from an older
revision than the stored one is a *conflict* and is returned to the user to decide, never
applied silently (SPEC §8).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Direction,
    DirectionAssignment,
    Question,
)
from cities.models import CityMembership

# Assigning ----------------------------------------------------------------------------


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
# over. Submission and file imports take the same lock. Every write of answers goes through
# `save_answers`, so that the record of who answered what, and when, is kept in one place.

BOOKKEEPING_FIELDS = ("answered_by", "answered_at", "revision")


@dataclass
class SaveResult:
    """The stored answer after a save; `conflict` is True when someone else's newer save was kept."""

    answer: Answer
    conflict: bool = False


@dataclass
class AnswerEdit:
    """One answer to store: the values posted for `question`, made from `base_revision` (0: none yet).

    `values` holds answer fields (level, yes, items, number, not_applicable) and, when given, the
    comment; a field left out is kept. `evidence_url` None keeps the stored link. `evidence_file` is
    a new file to store; `remove_file` removes the stored one. `confirm` confirms a carried answer
    flagged for review as it stands.
    """

    question: Question
    values: dict
    base_revision: int
    evidence_url: str | None = None
    evidence_file: object = None
    remove_file: bool = False
    confirm: bool = False


def changed_fields(stored: Answer | None, edit: AnswerEdit) -> dict:
    """What `edit` would change on the stored answer (None: not stored yet), field by field.

    An edit equal to the stored answer changes nothing: it is written neither as a new revision nor
    under another author. A new evidence file, or removing the stored one, is a change of
    `evidence_file` (its new value: the upload, or None); confirming an answer flagged for review
    is a change of `needs_review`.
    """
    current = stored or Answer()
    changes = {name: value for name, value in edit.values.items() if getattr(current, name) != value}
    if edit.evidence_url is not None and edit.evidence_url != current.evidence_url:
        changes["evidence_url"] = edit.evidence_url
    if edit.evidence_file is not None or (edit.remove_file and current.evidence_file):
        changes["evidence_file"] = edit.evidence_file
    if edit.confirm and current.needs_review:
        changes["needs_review"] = False
    return changes


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


def _unsaved(assessment: Assessment, question: Question) -> Answer:
    """What a question with no stored answer reads as (shown after a save that changed nothing)."""
    return Answer(assessment=assessment, question=question, revision=0, answered_at=None)


@dataclass
class _Write:
    """One answer to write: the row, the fields that change, and the evidence files to handle."""

    answer: Answer
    stored: Answer | None  # the row as stored, None for a new answer
    fields: tuple[str, ...] = ()
    new_file: object = None  # an upload to store as the evidence file
    stored_new: str = ""  # the name it was stored under
    old_file: str = ""  # the stored evidence file it replaces or removes: deleted once committed


def _write_for(answer: Answer, changes: dict, stored: Answer | None, user, now) -> _Write:
    """Apply `changes` to `answer` (a stored row, or a new one) as `user`'s save at `now`."""
    write = _Write(answer, stored)
    if "evidence_file" in changes:
        write.new_file = changes.pop("evidence_file")
        write.old_file = stored.evidence_file.name if stored is not None and stored.evidence_file else ""
        answer.evidence_file = None
    for name, value in changes.items():
        setattr(answer, name, value)
    reviewed = ("needs_review",) if answer.needs_review else ()
    answer.needs_review = False  # a carried answer, changed or confirmed by a respondent, is reviewed
    answer.answered_by = user
    answer.answered_at = now
    answer.revision = (stored.revision if stored is not None else 0) + 1
    evidence = ("evidence_file",) if write.new_file is not None or write.old_file else ()
    write.fields = (*changes, *reviewed, *evidence, *BOOKKEEPING_FIELDS)
    return write


def save_answers(*, assessment: Assessment, edits: list[AnswerEdit], user, locked: bool = False) -> list[SaveResult]:
    """Store several answers of one assessment in one transaction. One result per edit, in order;
    the questions must differ.

    Each edit gets the revision check: made from an older revision than the stored one, it is a
    conflict and not written, unless it asks for exactly what is stored (then it is no conflict,
    and nothing is written). An edit that changes nothing is not written either: the stored answer
    keeps its revision, author and time. Only the answers and fields that change are written.

    `locked`: the caller's transaction already holds the assessment's row lock. Queries: the lock
    (unless `locked`), one read of the stored answers, one INSERT for the new ones, and one UPDATE
    statement per set of changed fields (`update_rows`).

    Evidence files: a new file is stored before the database write (and deleted again if the write
    fails); the file it replaces is deleted only once the transaction has committed, so a save that
    fails leaves the answer and its file as they were.
    """
    writes: list[_Write] = []
    try:
        with transaction.atomic(savepoint=not locked):
            _hold_lock(assessment, locked)
            questions = {edit.question.pk: edit.question for edit in edits}
            rows = Answer.objects.filter(assessment=assessment, question_id__in=questions).select_related("answered_by")
            stored = {a.question_id: a for a in rows}  # the author comes along: results name who answered
            now = timezone.now()
            results = []
            for edit in edits:
                answer = stored.get(edit.question.pk)
                if answer is not None:
                    answer.question = edit.question
                changes = changed_fields(answer, edit)
                if not changes:
                    results.append(SaveResult(answer or _unsaved(assessment, edit.question)))
                elif (answer.revision if answer else 0) != edit.base_revision:
                    results.append(SaveResult(answer or _unsaved(assessment, edit.question), conflict=True))
                else:
                    row = answer or Answer(assessment=assessment, question=edit.question)
                    writes.append(_write_for(row, changes, answer, user, now))
                    results.append(SaveResult(row))
            for write in writes:
                if write.new_file is not None:
                    write.answer.evidence_file.save(write.new_file.name, write.new_file, save=False)
                    write.stored_new = write.answer.evidence_file.name
            Answer.objects.bulk_create([w.answer for w in writes if w.stored is None])
            update_rows(Answer, [(w.answer, w.fields) for w in writes if w.stored is not None])
    except BaseException:
        storage = Answer._meta.get_field("evidence_file").storage
        for write in writes:
            if write.stored_new:  # the write failed: the new file is not kept
                storage.delete(write.stored_new)
        raise
    replaced = [w.old_file for w in writes if w.old_file]
    if replaced:  # deleted only once the write is committed (at once when no outer transaction)
        storage = Answer._meta.get_field("evidence_file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])
    return results


def save_answer(*, assessment: Assessment, user, locked: bool = False, **edit) -> SaveResult:
    """Store one answer: `save_answers` for one `AnswerEdit(**edit)` (question, values,
    base_revision, and optionally evidence_url, evidence_file, remove_file, confirm)."""
    return save_answers(assessment=assessment, edits=[AnswerEdit(**edit)], user=user, locked=locked)[0]


def update_rows(model, rows: list[tuple[object, tuple[str, ...]]]) -> None:
    """Write the named fields of each stored object: one UPDATE statement per set of fields, sent
    with all its rows at once (executemany).

    This replaces `bulk_update`, whose CASE … WHEN expression over every field and row took 82 % of
    a 120-answer batch save (benchmarks/batch_save.py): here each row sends only its own changed
    fields, and the database gets one prepared statement per shape of change.
    """
    shapes: dict[tuple[str, ...], list] = {}
    for obj, fields in rows:
        shapes.setdefault(tuple(fields), []).append(obj)
    meta, connection = model._meta, connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    for names, objs in shapes.items():
        columns = [meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        params = [
            [column.get_db_prep_save(column.pre_save(obj, add=False), connection) for column in columns] + [obj.pk]
            for obj in objs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


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
