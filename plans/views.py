"""The plan page: the phased roadmap with reasons; consultants adjust it, apart from the computed plan."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessment.access import get_assessment_for_user
from plans.compute import (
    adjusted_plan,
    budget_facts,
    compute_plan,
    deliver_plan_once,
    describe_unscheduled,
    in_place_rows,
    recompute_plan,
)
from plans.models import DeliveredPlan, Horizon, PlanAdjustment
from plans.permissions import can_adjust_plan


class AdjustmentForm(forms.Form):
    action_code = forms.CharField(max_length=30)
    hidden = forms.BooleanField(required=False, label=gettext_lazy("Hide"))
    phase = forms.ChoiceField(
        choices=[("", gettext_lazy("as computed")), *Horizon.choices], required=False, label=gettext_lazy("Phase")
    )
    order = forms.IntegerField(required=False, min_value=-999, max_value=999, label=gettext_lazy("Order"))
    remark = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Remark")
    )


@login_required
def plan_page(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    computed = compute_plan(assessment)
    phases, hidden = adjusted_plan(assessment, computed)
    context = {
        "delivered": computed.delivered,
        "history": assessment.delivered_plans.select_related("delivered_by", "catalogue").order_by("-delivered_at"),
        "in_place": in_place_rows(computed),
        "duties": [item for phase in phases for item in phase.duties],
        "facts": budget_facts(assessment.city, computed.plan),
        "assessment": assessment,
        "phases": phases,
        "hidden": hidden,
        "unscheduled": [
            (u, computed.actions.get(u.planned.action.code), describe_unscheduled(u)) for u in computed.plan.unscheduled
        ],
        "plan": computed.plan,
        "catalogue": computed.catalogue,
        "can_adjust": can_adjust_plan(request.user, assessment),
        "adjusted": assessment.plan_adjustments.exists(),
        "phase_choices": Horizon.choices,
    }
    return render(request, "plans/plan.html", context)


@login_required
@require_POST
def adjust(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    if not can_adjust_plan(request.user, assessment):
        raise Http404
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The change could not be saved: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect("assessment_plan", assessment.pk)
    data = form.cleaned_data
    deliver_plan_once(assessment, reason=DeliveredPlan.Reason.ADJUSTED, user=request.user)  # what is adjusted stays
    if data["action_code"] not in _codes_in_plan(compute_plan(assessment)):
        messages.error(
            request,
            _("The change could not be saved: %(code)s is not an action of this plan.") % {"code": data["action_code"]},
        )
        return redirect("assessment_plan", assessment.pk)
    PlanAdjustment.objects.update_or_create(
        assessment=assessment,
        action_code=data["action_code"],
        defaults={
            "hidden": data["hidden"],
            "phase": data["phase"],
            "order": data["order"],
            "remark": data["remark"],
            "updated_by": request.user,
        },
    )
    messages.success(request, _("Saved the change to %(code)s.") % {"code": data["action_code"]})
    return redirect(f"{reverse('assessment_plan', args=[assessment.pk])}#action-{data['action_code']}")


def _codes_in_plan(computed) -> set[str]:
    """The actions a consultant can adjust: those the plan schedules or lists as unscheduled."""
    plan = computed.plan
    return {p.action.code for phase in plan.phases for p in phase.actions} | {
        u.planned.action.code for u in plan.unscheduled
    }


@login_required
@require_POST
def reset(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    if not can_adjust_plan(request.user, assessment):
        raise Http404
    assessment.plan_adjustments.all().delete()
    messages.success(request, _("The plan is back to the computed one."))
    return redirect("assessment_plan", assessment.pk)


@login_required
@require_POST
def recompute(request, assessment_id):
    """A consultant's explicit act: the plan made again with the current catalogue and engine; the plan
    the city received before stays in the record."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    if not can_adjust_plan(request.user, assessment) or assessment.is_draft:
        raise Http404
    delivered = recompute_plan(assessment, user=request.user)
    if delivered is None:
        messages.error(request, _("No action catalogue has been loaded yet."))
    else:
        messages.success(
            request,
            _("The plan was made again with catalogue %(catalogue)s and engine %(engine)s; the earlier plan is kept.")
            % {"catalogue": delivered.catalogue.code, "engine": delivered.engine},
        )
    return redirect("assessment_plan", assessment.pk)
