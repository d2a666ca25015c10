"""Starting an assessment from an earlier one, also on another bank version (`carry_rules`).

`preview_carry` shows what would be carried, reviewed and left new before anything is saved;
`carry_over` saves it as a new draft (through `answering.start_assessment`, which creates every
assessment). The source assessment is only read: its answers, status
and stored scores never change.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import carry_rules
from assessment.evidence import evidence_storage, evidence_upload_path
from assessment.models import Answer, Assessment, Question, QuestionnaireVersion


class CarryError(Exception):
    """Why an assessment cannot be started from this source on this version (one line)."""


@dataclass
class CarryRow:
    question: Question
    outcome: carry_rules.Outcome


@dataclass
class CarryPreview:
    source: Assessment
    version: QuestionnaireVersion
    rows: list[CarryRow]
    retired: list[str]  # codes of the source's answered questions that nothing continues

    @property
    def counts(self) -> dict[str, int]:
        return carry_rules.counts([row.outcome for row in self.rows])

    def rows_with(self, *statuses: str) -> list[CarryRow]:
        return [row for row in self.rows if row.outcome.status in statuses]

    @property
    def explicit(self) -> bool:
        """Whether the version maps its questions to the source's version (else by code and type)."""
        return self.version.previous_version_id == self.source.version_id


def _targets(version: QuestionnaireVersion, source_version: QuestionnaireVersion) -> tuple[list, list]:
    questions = list(
        Question.objects.filter(dimension__version=version)
        .select_related("dimension")
        .prefetch_related("checklist_items")
        .order_by("dimension__position", "position", "pk")
    )
    targets = [
        carry_rules.Target(
            code=q.code,
            type=q.type,
            allow_na=q.allow_na,
            items=frozenset(item.code for item in q.checklist_items.all()),
            continues=_continuation(q.migration),
        )
        for q in questions
    ]
    if version.previous_version_id != source_version.pk:
        old_types = dict(Question.objects.filter(dimension__version=source_version).values_list("code", "type"))
        targets = carry_rules.by_code_and_type(targets, old_types)
    return questions, targets


def _continuation(migration: dict | None) -> carry_rules.Continuation:
    if not migration:
        return carry_rules.Continuation()
    return carry_rules.Continuation(
        how=migration.get("how", "new"),
        sources=tuple(str(code) for code in migration.get("from", [])),
        levels=migration.get("levels"),
        items={str(k): str(v) for k, v in (migration.get("items") or {}).items()},
    )


def _source_values(source: Assessment) -> dict[str, carry_rules.Value]:
    values = {}
    for answer in source.answers.select_related("question"):
        values[answer.question.code] = carry_rules.Value(
            level=answer.level,
            yes=answer.yes,
            items=tuple(answer.items) if answer.items is not None else None,
            number=answer.number,
            not_applicable=answer.not_applicable,
            comment=answer.comment,
            evidence_url=answer.evidence_url,
            evidence_file=answer.evidence_file.name or "",
        )
    return values


def preview_carry(source: Assessment, version: QuestionnaireVersion) -> CarryPreview:
    """What starting on `version` from `source`'s answers would carry, mark for review and leave new."""
    questions, targets = _targets(version, source.version)
    values = _source_values(source)
    outcomes = carry_rules.carry(targets, values)
    continued = {code for target in targets for code in target.continues.sources}
    retired = sorted(code for code, value in values.items() if value.is_answered and code not in continued)
    rows = [CarryRow(q, o) for q, o in zip(questions, outcomes, strict=True)]
    return CarryPreview(source=source, version=version, rows=rows, retired=retired)


def carry_summary(preview: CarryPreview) -> str:
    """One line for the assessment's history: where it started from and what was carried."""
    tally = preview.counts
    return _(
        "Started from the %(year)s answers (%(code)s): %(carried)s carried, %(review)s to review, "
        "%(new)s new or unanswered."
    ) % {
        "year": preview.source.year,
        "code": preview.source.version.code,
        "carried": tally[carry_rules.CARRIED],
        "review": tally[carry_rules.REVIEW],
        "new": tally[carry_rules.NEW] + tally[carry_rules.UNANSWERED],
    }


def save_carried(target: Assessment, preview: CarryPreview, *, user) -> int:
    """Write the carried and to-review answers of `preview` into `target` (a new draft)."""
    now = timezone.now()
    answers = []
    for row in preview.rows:
        outcome = row.outcome
        if outcome.status not in (carry_rules.CARRIED, carry_rules.REVIEW):
            continue
        value = outcome.value or carry_rules.Value()
        answers.append(
            Answer(
                assessment=target,
                question=row.question,
                level=value.level,
                yes=value.yes,
                items=list(value.items) if value.items is not None else None,
                number=value.number,
                not_applicable=value.not_applicable,
                comment=value.comment,
                evidence_url=value.evidence_url,
                evidence_file=_copy_evidence(target, value.evidence_file),
                needs_review=outcome.status == carry_rules.REVIEW,
                carried_note=_carried_note(preview.source, outcome),
                answered_by=user,
                answered_at=now,
            )
        )
    Answer.objects.bulk_create(answers)
    return len(answers)


def _copy_evidence(target: Assessment, name: str) -> str:
    """A copy of an evidence file for the new assessment, so replacing it never touches the source's."""
    storage = evidence_storage()
    if not name or not storage.exists(name):
        return ""
    with storage.open(name) as content:
        return storage.save(evidence_upload_path(Answer(assessment=target), name), content)


def _carried_note(source: Assessment, outcome: carry_rules.Outcome) -> str:
    """Where the answer came from, in any language: "2026 · smc-2026 · S1.1"."""
    return f"{source.year} · {source.version.code} · {', '.join(outcome.sources)}"[:300]
