"""Answering one direction: the page, saving one answer (autosave or button), evidence downloads."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessment.access import get_assessment_for_user
from assessment.answering import assigned_directions, progress_of, save_answer
from assessment.forms import AnswerForm
from assessment.models import Answer, Direction
from assessment.permissions import can_edit_direction
from assessment.review import display_answer, questions_with_choices

# Messages of the page's autosave script (static/js/answering.js), translated here.
ANSWERING_TEXTS = {
    "saving": gettext_lazy("Saving…"),
    "saved": gettext_lazy("Saved"),
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
    "restored": gettext_lazy("Restored your unsaved answer from this device"),
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
    editable = can_edit_direction(request.user, assessment, direction, assigned_directions(assessment, request.user))
    questions = list(questions_with_choices(assessment.version_id, dimension__direction=direction))
    answers = {
        a.question_id: a
        for a in assessment.answers.filter(question__dimension__direction=direction).select_related("answered_by")
    }
    sections = []
    for question in questions:
        if not sections or sections[-1]["dimension"].pk != question.dimension_id:
            sections.append({"dimension": question.dimension, "questions": []})
        answer = answers.get(question.pk)
        bound = form if form is not None and form.question.pk == question.pk else None
        sections[-1]["questions"].append({"question": question, "answer": answer, "form": bound})
    progress = progress_of(assessment, with_unanswered=False)
    context = {
        "assessment": assessment,
        "direction": direction,
        "direction_label": Direction(direction).label,
        "sections": sections,
        "editable": editable,
        "progress": progress,
        "texts": ANSWERING_TEXTS,
    }
    return render(request, "assessment/direction.html", context, status=400 if form is not None else 200)


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
        "display": display_answer(answer, question),
        "by": str(answer.answered_by) if answer.answered_by else "",
        "at": date_format(timezone.localtime(answer.answered_at), "DATETIME_FORMAT") if answer.pk else "",
    }


@require_POST
def save(request, assessment_id, question_id):
    """Save one answer. JSON for the page's autosave; a redirect (or the page with errors) without JS."""
    if not request.user.is_authenticated:  # the session expired while the official was typing
        login = f"{reverse('login')}?next={request.POST.get('next') or reverse('home')}"
        if _wants_json(request):
            return JsonResponse({"status": "login", "login_url": login}, status=401)
        return redirect(login)
    assessment = get_assessment_for_user(request.user, assessment_id)
    question = get_object_or_404(questions_with_choices(assessment.version_id), pk=question_id)
    direction = question.dimension.direction
    if not can_edit_direction(request.user, assessment, direction, assigned_directions(assessment, request.user)):
        raise Http404
    form = AnswerForm(request.POST, request.FILES, question=question)
    if not form.is_valid():
        if _wants_json(request):
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"status": "invalid", "errors": errors}, status=400)
        return direction_page(request, assessment.pk, direction, form=form)
    result = save_answer(
        assessment=assessment,
        question=question,
        values=form.answer_values(),
        base_revision=form.cleaned_data["revision"],
        user=request.user,
        evidence_url=form.cleaned_data.get("evidence_url", ""),
        evidence_file=form.cleaned_data.get("evidence_file"),
        remove_file=form.cleaned_data.get("remove_file", False),
    )
    state = answer_state(result.answer, question)
    if _wants_json(request):
        if result.conflict:
            return JsonResponse({"status": "conflict", "theirs": state}, status=409)
        progress = progress_of(assessment)
        return JsonResponse(
            {
                "status": "saved",
                "answer": state,
                "progress": {
                    "directions": {
                        d.direction: {"answered": d.answered, "total": d.total, "percent": d.percent}
                        for d in progress.directions
                    },
                    "overall": {"answered": progress.answered, "total": progress.total, "percent": progress.percent},
                },
            }
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
