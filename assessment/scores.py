"""The one place that turns an assessment into scoring input, and scores into the stored form.

`compute_scores` feeds the pure engine (`assessment.scoring`) from the database;
`scores_of` gives the stored scores of a submitted assessment (never recomputed, SPEC §4.6)
and computes a draft's on the fly; `scores_document` is the scores JSON of FORMATS.md.
"""

from dataclasses import asdict

from django.db.models import Prefetch

from assessment import framework, scoring
from assessment.models import Assessment, ChecklistItem, Question, QuestionnaireVersion


def questionnaire_spec(version: QuestionnaireVersion) -> scoring.QuestionnaireSpec:
    """A questionnaire version as plain scoring input (3 queries)."""
    dimensions = version.dimensions.order_by("position", "pk").prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("position", "pk").prefetch_related(
                Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by("position", "pk"))
            ),
        )
    )
    return scoring.QuestionnaireSpec(
        code=version.code,
        direction_weights=version.direction_weights,
        dimensions=tuple(
            scoring.DimensionSpec(
                code=dimension.code,
                direction=dimension.direction,
                weight=dimension.weight,
                questions=tuple(
                    scoring.QuestionSpec(
                        code=question.code,
                        type=question.type,
                        weight=question.weight,
                        allow_na=question.allow_na,
                        thresholds=tuple(question.thresholds or ()),
                        items=tuple((item.code, item.weight) for item in question.checklist_items.all()),
                    )
                    for question in dimension.questions.all()
                ),
            )
            for dimension in dimensions
        ),
    )


def answers_of(assessment: Assessment) -> dict[str, scoring.Answer]:
    """The assessment's answers as plain scoring input (1 query); empty answers are left out."""
    rows = assessment.answers.values_list(
        "question__code", "level", "yes", "items", "number", "not_applicable", "evidence_url", "evidence_file"
    )
    answers = {}
    for code, level, yes, items, number, not_applicable, evidence_url, evidence_file in rows:
        evidenced = bool(evidence_url or evidence_file)  # as Answer.has_evidence: a link or a file
        answer = plain_answer(level, yes, items, number, not_applicable, has_evidence=evidenced)
        if answer is not None:
            answers[code] = answer
    return answers


def plain_answer(level, yes, items, number, not_applicable: bool, *, has_evidence: bool = False):
    """One stored answer's fields as a plain `scoring.Answer`; None for a row without an answer
    yet (only a comment)."""
    if not not_applicable and level is None and yes is None and items is None and number is None:
        return None
    return scoring.Answer(
        level=None if not_applicable else level,
        yes=None if not_applicable else yes,
        items=None if not_applicable or items is None else frozenset(items),
        number=None if not_applicable else number,
        not_applicable=not_applicable,
        has_evidence=has_evidence,
    )


def compute_scores(assessment: Assessment) -> scoring.Scores:
    """Score the assessment's current answers with the current engine."""
    return scoring.score_assessment(questionnaire_spec(assessment.version), answers_of(assessment))


def stored_form(scores: scoring.Scores) -> dict:
    """Scores as JSON-ready data, unrounded, so levels can be shown exactly as computed."""
    return asdict(scores)


def restore(data: dict) -> scoring.Scores:
    """The inverse of `stored_form`."""
    return scoring.Scores(
        overall=scoring.NodeScore(**data["overall"]),
        directions={name: scoring.NodeScore(**node) for name, node in data["directions"].items()},
        dimensions={code: scoring.NodeScore(**node) for code, node in data["dimensions"].items()},
        completeness=scoring.Completeness(**data["completeness"]),
        engine=data["engine"],
        question_scores=data.get("question_scores", {}),
    )


def scores_of(assessment: Assessment) -> scoring.Scores:
    """Stored scores of a submitted assessment; a draft's computed on the fly."""
    if assessment.stored_scores is not None and not assessment.is_draft:
        return restore(assessment.stored_scores)
    return compute_scores(assessment)


def national_view(version: QuestionnaireVersion, scores: scoring.Scores) -> framework.FrameworkView | None:
    """The scores read through the version's national framework (1 query), or None if it maps none."""
    if not version.national_framework:
        return None
    rows = (
        Question.objects.filter(dimension__version=version)
        .order_by("dimension__position", "dimension__pk", "position", "pk")
        .values_list("code", "weight", "national", "dimension__national")
    )
    questions = [
        framework.MappedQuestion(code=code, weight=weight, indicators=tuple(own or of_dimension or ()))
        for code, weight, own, of_dimension in rows
    ]
    return framework.framework_view(version.national_framework, questions, scores.question_scores)


def scores_document(assessment: Assessment) -> dict:
    """The scores JSON of FORMATS.md for one assessment (city, version loaded with it).

    Beside the four directions, `national_framework` gives the results by the indicators of the
    national standard the version maps to (only for versions that map to one).
    """
    scores = scores_of(assessment)
    document = {
        "assessment": assessment.pk,
        "city": assessment.city.name_zh,
        "year": assessment.year,
        "questionnaire": assessment.version.code,
        **scores.to_json_dict(),
    }
    view = national_view(assessment.version, scores)
    if view is not None:
        document["national_framework"] = view.to_json_dict()
    return document
