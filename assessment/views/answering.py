"""Answering one direction: the page, saving one answer (autosave or button), evidence downloads."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessment import answers_batch
from assessment.access import get_assessment_for_user
from assessment.answering import (
    assigned_directions,
    assigned_from,
    assignment_annotations,
    progress_counts,
    progress_of,
    save_answer,
    save_answers,
)
from assessment.bank_cache import direction_questions, version_questions
from assessment.findings import assessment_findings, findings_after_save, rule_set_annotation, states_by_question
from assessment.forms import AnswerForm
from assessment.models import Answer, Direction
from assessment.permissions import can_edit_direction
from assessment.review import display_answer

# Messages of the page's autosave script (static/js/answering.js), translated here.
ANSWERING_TEXTS = {
    "saving": gettext_lazy("Saving…"),
    "saved": gettext_lazy("Saved %(at)s %(by)s"),  # as the card says after a reload (_question.html)
    "unsaved": gettext_lazy("Not saved yet"),
    "failed": gettext_lazy(
        "Not saved: the server cannot be reached. Your answer is kept on this device and will be saved when "
        "the connection is back."
    ),
    "invalid": gettext_lazy("Not saved:"),
    "conflict": gettext_lazy("A colleague changed this answer meanwhile:"),
    "keepMine": gettext_lazy("Keep my answer"),
    "takeTheirs": gettext_lazy("Take theirs"),
    "allSaved": gettext_lazy("All answers saved"),
    "nothingToSave": gettext_lazy("Nothing to save: every answer on this page is saved."),
    "restored": gettext_lazy("Restored your unsaved answer from this device"),
    "refusedNote": gettext_lazy("What you entered is kept on this device and not sent again until you change it."),
    "toCorrect": gettext_lazy("Not saved, please correct:"),
    "explainedBy": gettext_lazy("Explained in the comment of %(code)s."),
    "explainHow": gettext_lazy("If the answers are right, say why in the comment of %(codes)s."),
}


def _direction_or_404(direction: str) -> str:
    if direction not in Direction.values:
        raise Http404
    return direction


@login_required
def direction_page(request, assessment_id, direction, form=None):
    """All questions of one direction, grouped by dimension, editable if the user may answer them."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    _direction_or_404(direction)
    mine = assigned_directions(assessment, request.user)
    editable = can_edit_direction(request.user, assessment, direction, mine)
    questions = direction_questions(assessment.version, direction)
    answers = {
        a.question_id: a
        for a in assessment.answers.filter(question__dimension__direction=direction).select_related("answered_by")
    }
    findings = states_by_question(assessment_findings(assessment))
    sections = []
    for question in questions:
        if not sections or sections[-1]["dimension"].pk != question.dimension_id:
            sections.append({"dimension": question.dimension, "questions": []})
        answer = answers.get(question.pk)
        bound = form if form is not None and form.question.pk == question.pk else None
        sections[-1]["questions"].append(
            {"question": question, "answer": answer, "form": bound, "findings": findings.get(question.code, [])}
        )
    progress = progress_of(assessment, with_unanswered=False)
    context = {
        "assessment": assessment,
        "direction": direction,
        "direction_label": Direction(direction).label,
        "sections": sections,
        "editable": editable,
        "has_review": editable and any(a.needs_review for a in answers.values()),
        "progress": progress,
        "next_direction": _next_direction(progress, direction, mine),
        "texts": ANSWERING_TEXTS,
    }
    return render(request, "assessment/direction.html", context, status=400 if form is not None else 200)


def _next_direction(progress, current: str, mine: set[str]):
    """Where to go after this direction: the next one (in questionnaire order, wrapping around) of
    the user's own if they answer any, else of all; an unfinished one first; None if there is none."""
    names = [d.direction for d in progress.directions]
    if current not in names:
        return None
    at = names.index(current)
    after = progress.directions[at + 1 :] + progress.directions[:at]
    candidates = [d for d in after if d.direction in mine] if mine else after
    return next((d for d in candidates if not d.complete), candidates[0] if candidates else None)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def answer_state(answer: Answer, question) -> dict:
    """What the page needs to show a stored answer (after a save, or someone else's in a conflict)."""
    return {
        "revision": answer.revision,
        "level": answer.level,
        "yes": answer.yes,
        "items": answer.items,
        "number": answer.number,
        "not_applicable": answer.not_applicable,
        "comment": answer.comment,
        "evidence_url": answer.evidence_url,
        "has_file": bool(answer.evidence_file),
        "needs_review": answer.needs_review,
        "display": display_answer(answer, question),
        "by": str(answer.answered_by) if answer.answered_by else "",
        # The card's format after a reload (_question.html), so the message does not change with it.
        "at": date_format(timezone.localtime(answer.answered_at), "SHORT_DATETIME_FORMAT")
        if answer.answered_at
        else "",
    }


def progress_state(assessment) -> dict:
    """The page's progress bars after a save (one query)."""
    progress = progress_counts(assessment)
    return {
        "directions": {
            d.direction: {"answered": d.answered, "total": d.total, "percent": d.percent} for d in progress.directions
        },
        "overall": {
            "answered": progress.answered,
            "total": progress.total,
            "percent": progress.percent,
            "evidence_percent": progress.evidence_percent,
        },
    }


def _login_needed(request):
    login = f"{reverse('login')}?next={request.POST.get('next') or reverse('home')}"
    if _wants_json(request):
        return JsonResponse({"status": "login", "login_url": login}, status=401)
    return redirect(login)


def _locked_for_saving(request, assessment_id):
    """The assessment, if the user may see it, locked for saving (call inside a transaction), with the
    directions the user answers."""
    assessment = get_assessment_for_user(
        request.user,
        assessment_id,
        for_update=True,
        rule_set_id=rule_set_annotation(),
        **assignment_annotations(request.user),
    )
    return assessment, assigned_from(assessment)


SUBMITTED = gettext_lazy(
    "This assessment has been submitted: answers can no longer be changed. What you entered is kept on this "
    "device; ask the coordinator if the assessment should be reopened."
)


def _submitted(request, assessment, direction):
    """A save that arrives after submission: JSON the page understands, or the page with a message."""
    if _wants_json(request) or request.content_type == "application/json":
        return JsonResponse({"status": "submitted", "message": str(SUBMITTED)}, status=409)
    messages.error(request, SUBMITTED)
    return redirect("assessment_direction", assessment.pk, direction)


@require_POST
def save(request, assessment_id, question_id):
    """Save one answer. JSON for the page's autosave; a redirect (or the page with errors) without JS.

    Queries: the session, the user, the locked assessment with the user's assignments, the user's
    memberships, the stored answer, its write and the progress; the bank comes from `bank_cache`.
    """
    if not request.user.is_authenticated:  # the session expired while the official was typing
        return _login_needed(request)
    with transaction.atomic():
        assessment, assigned = _locked_for_saving(request, assessment_id)
        question = version_questions(assessment.version).get(question_id)
        if question is None:
            raise Http404
        direction = question.dimension.direction
        if not assessment.is_draft:
            return _submitted(request, assessment, direction)
        if not can_edit_direction(request.user, assessment, direction, assigned):
            raise Http404
        form = AnswerForm(request.POST, request.FILES, question=question)
        result = None
        if form.is_valid():
            result = save_answer(
                assessment=assessment,
                question=question,
                values=form.answer_values(),
                base_revision=form.cleaned_data["revision"],
                user=request.user,
                evidence_url=form.cleaned_data.get("evidence_url", ""),
                evidence_file=form.cleaned_data.get("evidence_file"),
                remove_file=form.cleaned_data.get("remove_file", False),
                confirm=form.cleaned_data.get("confirm", False),
                locked=True,
            )
    if result is None:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "errors": form.error_lists()}, status=400)
        return direction_page(request, assessment.pk, direction, form=form)
    state = answer_state(result.answer, question)
    if _wants_json(request):
        if result.conflict:
            return JsonResponse({"status": "conflict", "theirs": state}, status=409)
        checks = findings_after_save(assessment, {question.code}).to_json_dict()
        return JsonResponse(
            {"status": "saved", "answer": state, "progress": progress_state(assessment), "checks": checks}
        )
    if result.conflict:
        messages.warning(
            request,
            _("%(code)s was changed by %(by)s meanwhile; their answer is shown. Yours was: %(yours)s")
            % {
                "code": question.code,
                "by": state["by"] or _("a colleague"),
                "yours": display_answer(Answer(**form.answer_values(), question=question), question),
            },
        )
    url = reverse("assessment_direction", args=[assessment.pk, direction])
    return redirect(f"{url}#question-{question.code}")


@require_POST
def save_batch(request, assessment_id, direction):
    """Save many answers of one direction in one transaction (the page resending what it kept
    offline, "Save all", or an API client). The body is JSON, see `answers_batch`; each answer gets
    the revision check of a single save, and its own result: saved, conflict (theirs is kept) or
    invalid (the stored answer is kept). An entry equal to the stored answer changes nothing."""
    if not request.user.is_authenticated:
        return JsonResponse({"status": "login", "login_url": reverse("login")}, status=401)
    _direction_or_404(direction)
    try:
        entries = answers_batch.parse(request.body)
    except answers_batch.BatchError as error:
        return JsonResponse({"status": "invalid", "errors": {"batch": [str(error)]}}, status=400)
    with transaction.atomic():
        assessment, assigned = _locked_for_saving(request, assessment_id)
        if not assessment.is_draft:
            return _submitted(request, assessment, direction)
        if not can_edit_direction(request.user, assessment, direction, assigned):
            raise Http404
        questions = {q.code: q for q in direction_questions(assessment.version, direction)}
        checked = answers_batch.check(entries, questions)
        results = save_answers(assessment=assessment, edits=checked.edits, user=request.user, locked=True)
    outcome = dict(checked.invalid)
    for edit, result in zip(checked.edits, results, strict=True):
        state = answer_state(result.answer, edit.question)
        outcome[edit.question.code] = (
            {"status": "conflict", "theirs": state} if result.conflict else {"status": "saved", "answer": state}
        )
    # The rules that name the answers of this batch, checked once for all of them.
    checks = findings_after_save(assessment, {edit.question.code for edit in checked.edits})
    return JsonResponse(
        {
            "status": "saved" if all(r["status"] == "saved" for r in outcome.values()) else "partial",
            "answers": [{"question": entry.code, **outcome[entry.code]} for entry in entries],
            "progress": progress_state(assessment),
            "checks": checks.to_json_dict(),
        }
    )


@login_required
def evidence(request, assessment_id, answer_id):
    """Download an evidence file: only for users who may see the assessment; never a public URL."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id, assessment=assessment)
    if not answer.evidence_file:
        raise Http404
    suffix = PurePath(answer.evidence_file.name).suffix
    name = f"{assessment.city.name_zh}-{assessment.year}-{answer.question.code}{suffix}"
    response = FileResponse(answer.evidence_file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
