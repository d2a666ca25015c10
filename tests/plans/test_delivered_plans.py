"""Plans as delivered (issue 24, item 7): the plan of a submitted assessment is stored when its
report is made or a consultant adjusts it, a later catalogue, engine or profile never rewrites it,
and recomputing it is a consultant's explicit, recorded act."""

import copy
import json

import pytest
from django.urls import reverse

from assessment.lifecycle import reopen_assessment, submit_assessment
from plans.catalogue_file import import_catalogue
from plans.compute import compute_plan, plan_document
from plans.delivered import restored, stored_form
from plans.models import DeliveredPlan
from tests.plans.test_catalogue_and_plan import SMALL, action, team  # noqa: F401  (a fixture)
from tests.plans.test_plan_v3 import world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def codes(document):
    return [a["code"] for p in document["phases"] for a in p["actions"]]


def newer_catalogue():
    """The small catalogue again under a new code, with one more action the city would be given."""
    data = copy.deepcopy(SMALL)
    data["code"] = "test-actions-2"
    data["actions"].append(action("S-NEW-01", trigger={"question": "S1.1", "below": 5}))
    return data


@pytest.fixture
def submitted(team):  # noqa: F811
    submit_assessment(team.assessment, user=team.coordinator)
    team.assessment.refresh_from_db()
    return team


def test_the_report_delivers_the_plan_once(client, submitted):
    client.force_login(submitted.coordinator)
    url = reverse("assessment_report", args=[submitted.assessment.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    delivered = DeliveredPlan.objects.get()
    assert delivered.reason == DeliveredPlan.Reason.REPORT
    assert (
        delivered.catalogue.code == "test-actions"
        and delivered.engine == compute_plan(submitted.assessment).plan.engine
    )
    assert delivered.delivered_by is None


def test_a_draft_is_never_delivered_and_follows_the_current_catalogue(client, team):  # noqa: F811
    client.force_login(team.consultant)
    client.get(reverse("assessment_report", args=[team.assessment.pk]))
    assert not DeliveredPlan.objects.exists()
    import_catalogue(newer_catalogue())
    assert "S-NEW-01" in codes(plan_document(team.assessment, compute_plan(team.assessment)))


def test_a_newer_catalogue_or_profile_never_rewrites_a_delivered_plan(client, submitted):
    a = submitted.assessment
    client.force_login(submitted.consultant)
    client.get(reverse("assessment_report", args=[a.pk]))
    before = plan_document(a, compute_plan(a))
    import_catalogue(newer_catalogue())
    a.city.digital_budget = 1000
    a.city.save()
    after = plan_document(a, compute_plan(a))
    assert after == before
    assert "S-NEW-01" not in codes(after)
    api = client.get(reverse("api_assessment_plan", args=[a.pk])).json()
    assert api["catalogue"] == "test-actions" and codes(api) == codes(before)
    page = client.get(reverse("assessment_plan", args=[a.pk])).content.decode()
    assert 'id="delivered"' in page and "S-NEW-01" not in page


def test_a_consultants_first_adjustment_delivers_the_plan_it_adjusts(client, submitted):
    client.force_login(submitted.consultant)
    client.post(
        reverse("assessment_plan_adjust", args=[submitted.assessment.pk]), {"action_code": "S-ONE-01", "remark": "先做"}
    )
    delivered = DeliveredPlan.objects.get()
    assert delivered.reason == DeliveredPlan.Reason.ADJUSTED and delivered.delivered_by == submitted.consultant
    client.post(
        reverse("assessment_plan_adjust", args=[submitted.assessment.pk]), {"action_code": "S-ONE-01", "remark": "再做"}
    )
    assert DeliveredPlan.objects.count() == 1


def test_recomputing_is_recorded_and_keeps_the_earlier_plan(client, submitted):
    a = submitted.assessment
    client.force_login(submitted.consultant)
    client.get(reverse("assessment_report", args=[a.pk]))
    import_catalogue(newer_catalogue())
    response = client.post(reverse("assessment_plan_recompute", args=[a.pk]), follow=True)
    page = response.content.decode()
    assert "test-actions-2" in page and "S-NEW-01" in page
    first, second = DeliveredPlan.objects.order_by("delivered_at", "pk")
    assert first.catalogue.code == "test-actions" and first.reason == DeliveredPlan.Reason.REPORT
    assert second.catalogue.code == "test-actions-2" and second.reason == DeliveredPlan.Reason.RECOMPUTED
    assert second.delivered_by == submitted.consultant
    assert "S-NEW-01" in codes(plan_document(a, compute_plan(a)))
    assert 'id="delivered"' in page and "Earlier plans" in page


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("coordinator", False),
        ("services", False),
        ("other_official", False),
        ("consultant", True),
        ("other_consultant", False),
        ("admin", True),
        ("stranger", False),
        (None, False),
    ],
)
def test_only_the_assigned_consultant_recomputes(client, submitted, role, allowed):
    if role:
        client.force_login(getattr(submitted, role))
    response = client.post(reverse("assessment_plan_recompute", args=[submitted.assessment.pk]))
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == (302 if allowed else 404)
    assert DeliveredPlan.objects.exists() == allowed


def test_a_draft_cannot_be_recomputed(client, team):  # noqa: F811
    client.force_login(team.consultant)
    assert client.post(reverse("assessment_plan_recompute", args=[team.assessment.pk])).status_code == 404
    assert not DeliveredPlan.objects.exists()


def test_a_resubmitted_assessment_gets_a_new_plan_and_keeps_the_old_one(client, submitted):
    a = submitted.assessment
    client.force_login(submitted.consultant)
    client.get(reverse("assessment_report", args=[a.pk]))
    import_catalogue(newer_catalogue())
    reopen_assessment(assessment=a, user=submitted.consultant, reason="答案有误")
    submit_assessment(a, user=submitted.coordinator)
    a.refresh_from_db()
    assert "S-NEW-01" in codes(plan_document(a, compute_plan(a)))
    client.get(reverse("assessment_report", args=[a.pk]))
    assert DeliveredPlan.objects.count() == 2
    assert DeliveredPlan.objects.in_force(a).catalogue.code == "test-actions-2"


def test_the_stored_form_gives_back_the_same_plan(world):  # noqa: F811
    """Seven real cities at three budgets survive storing as JSON: phases, reasons, the in-place
    list, the unscheduled and the money."""
    specs, _profiles, plans = world
    by_code = {spec.code: spec for spec in specs}
    for plan in plans.values():
        assert restored(json.loads(json.dumps(stored_form(plan))), by_code) == plan
    assert any(plan.in_place for plan in plans.values()) and any(plan.unscheduled for plan in plans.values())
