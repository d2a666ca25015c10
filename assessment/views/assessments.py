"""The assessment as a whole: start, overview and progress, assignments, submit, reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from accounts.models import User
from assessment import carry_rules
from assessment.access import get_assessment_for_user
from assessment.answering import assign_directions, progress_of
from assessment.bank_cache import version_questions
from assessment.carry_over import CarryError, preview_carry
from assessment.findings import assessment_findings, blocking, finding_state
from assessment.forms import AssignmentForm, ReopenForm, StartAssessmentForm
from assessment.interim import interim_results
from assessment.lifecycle import carry_over, reopen_assessment, start_assessment, submit_assessment
from assessment.models import Assessment, Direction
from assessment.permissions import can_coordinate, can_reopen, is_coordinator
from assessment.review import answer_rows
from assessment.scores import compute_scores
from cities.access import get_city_for_user


@login_required
def start(request, city_id):
    """The coordinator starts the year's assessment, empty or from an earlier one's answers.

    Starting from earlier answers goes through a summary (carried / needs review / new) that
    saves nothing; the coordinator confirms it to create the draft.
    """
    city = get_city_for_user(request.user, city_id)
    if not is_coordinator(request.user, city.pk):
        raise Http404
    form = StartAssessmentForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        year, source = form.cleaned_data["year"], form.cleaned_data["start_from"]
        version = form.cleaned_data["version"]
        try:
            if source is None:
                assessment = start_assessment(city=city, year=year, user=request.user, version=version)
            elif "confirm" not in request.POST:
                return _carry_summary(request, city, form, source, version or source.version)
            else:
                assessment = carry_over(source, version=version or source.version, year=year, user=request.user)
        except (ValidationError, CarryError) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(
                request,
                _("The %(year)s assessment has started. Assign the directions to your colleagues.")
                % {"year": assessment.year},
            )
            return redirect("assessment_overview", assessment.pk)
    return _start_page(request, city, form)


def _start_page(request, city, form):
    previous = city.assessments.order_by("-year").select_related("version")
    return render(request, "assessment/start.html", {"city": city, "form": form, "previous": previous})


def _carry_summary(request, city, form, source, version):
    year = form.cleaned_data["year"]
    if Assessment.objects.filter(city=city, year=year).exists():
        form.add_error("year", _("The city already has an assessment for %(year)s.") % {"year": year})
        return _start_page(request, city, form)
    preview = preview_carry(source, version)
    context = {
        "city": city,
        "preview": preview,
        "year": year,
        "version": version,
        "source": source,
        "carried": preview.rows_with(carry_rules.CARRIED),
        "review": preview.rows_with(carry_rules.REVIEW),
        "new": preview.rows_with(carry_rules.NEW, carry_rules.UNANSWERED),
    }
    return render(request, "assessment/carry_preview.html", context)


def finding_rows(assessment, findings) -> list[dict]:
    """The findings of the answer checks as the overview and the submit page list them: each
    question it names linked to its place, and the comment that explains it, if one does."""
    directions = {q.code: q.dimension.direction for q in version_questions(assessment.version).values()}
    rows = []
    for checked in findings:
        row = finding_state(checked)
        row["links"] = [
            (code, reverse("assessment_direction", args=[assessment.pk, directions[code]]) + f"#question-{code}")
            for code in checked.finding.questions
            if code in directions
        ]
        row["comment"] = checked.explanation.comment if checked.explanation else ""
        row["blocks"] = checked.blocks_submission
        rows.append(row)
    return rows


def _officials(assessment):
    return User.objects.filter(memberships__city=assessment.city).order_by("first_name", "username")


@login_required
def overview(request, assessment_id):
    """Progress per direction, who answers what, what is unanswered; the coordinator's controls."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    progress = progress_of(assessment)
    coordinating = can_coordinate(request.user, assessment) and assessment.is_draft
    context = {
        "assessment": assessment,
        "progress": progress,
        "coordinating": coordinating,
        "can_reopen": can_reopen(request.user, assessment),
        "events": assessment.events.select_related("user"),
    }
    context["interim"] = interim_results(assessment, progress)
    context["findings"] = finding_rows(assessment, assessment_findings(assessment))
    if assessment.is_draft:
        context["to_review"] = [
            answer.question
            for answer in assessment.answers.filter(needs_review=True)
            .select_related("question__dimension")
            .order_by("question__dimension__position", "question__position")
        ]
    if coordinating:
        current = {}
        for direction in progress.directions:
            current[direction.direction] = {user.pk for user in direction.respondents}
        context["assignment_form"] = AssignmentForm(officials=_officials(assessment), current=current)
        context["assigned_any"] = any(current.values())
    if context["can_reopen"]:
        context["reopen_form"] = ReopenForm()
    return render(request, "assessment/overview.html", context)


@login_required
@require_POST
def assign(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    if not (can_coordinate(request.user, assessment) and assessment.is_draft):
        raise Http404
    form = AssignmentForm(request.POST, officials=_officials(assessment), current={})
    if form.is_valid():
        try:
            assign_directions(assessment=assessment, assignments=form.assignments())
            messages.success(request, _("Assignments saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("The assignments could not be saved: choose officials of this city."))
    return redirect("assessment_overview", assessment.pk)


@login_required
def submit(request, assessment_id):
    """The coordinator reviews answers, completeness and the engine's scores, then submits.

    The page names the questions that expect evidence and have none; with little evidence (less
    than half of the answers backed by it) the submit button's confirmation names them too."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    if not (can_coordinate(request.user, assessment) and assessment.is_draft):
        raise Http404
    if request.method == "POST":
        try:
            submit_assessment(assessment, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Submitted. The scores are stored and the answers are now read-only."))
        return redirect("assessment_overview", assessment.pk)
    scores = compute_scores(assessment)
    progress = progress_of(assessment)
    rows = answer_rows(assessment)
    without_evidence = [row.question for row in rows if row.lacks_expected_evidence]
    little_evidence = scores.completeness.low_evidence and scores.completeness.answered > 0
    findings = assessment_findings(assessment)
    context = {
        "findings": finding_rows(assessment, findings),
        "held": len(blocking(findings)),
        "assessment": assessment,
        "progress": progress,
        "scores": scores,
        "direction_scores": [(Direction(name).label, node) for name, node in scores.directions.items()],
        "rows": rows,
        "little_evidence": little_evidence,
        "without_evidence": without_evidence,
        "confirmation": _submit_confirmation(progress, little_evidence, without_evidence),
    }
    return render(request, "assessment/submit.html", context)


def _submit_confirmation(progress, little_evidence: bool, without_evidence: list) -> str:
    """What the submit button asks: what is missing (unanswered questions, directions with no answer
    at all, evidence), then whether to submit."""
    between = pgettext("between the items of a list", ", ")
    parts = []
    unanswered = progress.total - progress.answered
    if unanswered:
        parts.append(
            ngettext(
                "%(count)s question is unanswered and will not count in the scores.",
                "%(count)s questions are unanswered and will not count in the scores.",
                unanswered,
            )
            % {"count": unanswered}
        )
        empty = [str(d.label) for d in progress.directions if d.answered == 0]
        if empty:
            parts.append(_("No answer at all in: %(directions)s.") % {"directions": between.join(empty)})
    if little_evidence:
        parts.append(_("Less than half of the answers have evidence."))
        if without_evidence:
            codes = between.join(q.code for q in without_evidence[:20]) + (" …" if len(without_evidence) > 20 else "")
            parts.append(_("Questions that expect evidence and have none: %(codes)s.") % {"codes": codes})
    parts.append(_("Submit now? The answers become read-only and the scores are stored."))
    return " ".join(parts)


@login_required
@require_POST
def reopen(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    if not can_reopen(request.user, assessment):
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        reopen_assessment(assessment=assessment, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The assessment is open again for the city's officials."))
    else:
        messages.error(request, _("Say why the assessment is reopened."))
    return redirect("assessment_overview", assessment.pk)
