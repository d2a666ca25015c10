"""The catalogue file, show_plan, the plan API and the plan page with the consultant's adjustments."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.models import Answer, Question
from plans.catalogue_file import CatalogueFileError, import_catalogue, read_catalogue_file, validate_catalogue
from plans.models import ActionCatalogue, PlanAdjustment
from tests.assessment.answering_helpers import make_team, question

pytestmark = pytest.mark.django_db


def action(code, *, dimension="S1", direction="services", trigger=None, cost=(20, 40), **extra):
    return {
        "code": code,
        "direction": direction,
        "dimension": dimension,
        "title": {"zh-hans": f"行动{code}", "en": f"Action {code}"},
        "description": {"zh-hans": "做一件事", "en": "Do a thing"},
        "triggers": [trigger or {"question": "S1.1", "below": 4}],
        "target_level": 4,
        "cost_tier": "low",
        "cost_range": list(cost),
        "horizon": "near",
        **extra,
    }


def catalogue(*actions, code="test-actions"):
    return {"code": code, "title": {"zh-hans": "测试行动库"}, "actions": list(actions)}


SMALL = catalogue(
    action("S-ONE-01"),
    action("S-ONE-02", prerequisites=["S-ONE-01"], trigger={"dimension": "S1", "below": 4}),
    action("G-DATA-01", direction="governance", dimension="G1", trigger={"question": "G1.2", "below": 5}),
    action("S-XCITY-01", suits={"cluster": True}),
    action(
        "E-AGRI-01",
        direction="industry",
        dimension="E1",
        suits={"specialties": ["agriculture"]},
        trigger={"question": "S1.2", "below": 5},
    ),
)


def test_the_real_catalogue_is_valid_and_large_enough():
    data = read_catalogue_file("fixtures/actions-2026.yaml")
    assert validate_catalogue(data) == []
    actions = data["actions"]
    assert len(actions) >= 60
    assert {a["direction"] for a in actions} == {"services", "governance", "industry", "infrastructure"}
    specialties = {s for a in actions for s in a.get("suits", {}).get("specialties", [])}
    assert specialties == {
        "agriculture",
        "manufacturing",
        "ecommerce",
        "culture_tourism",
        "digital_industry",
        "ecology",
    }
    assert sum(a.get("suits", {}).get("cluster") is True for a in actions) >= 4


BAD = {
    "duplicate code": (lambda d: d["actions"][1].update(code="S-ONE-01"), "actions[1].code: duplicate code"),
    "bad code": (lambda d: d["actions"][0].update(code="one"), "actions[0].code: expected a code like"),
    "unknown direction": (lambda d: d["actions"][0].update(direction="economy"), "actions[0].direction"),
    "trigger without below": (lambda d: d["actions"][0].update(triggers=[{"question": "S1.1"}]), "triggers[0]"),
    "tier does not match the cost": (
        lambda d: d["actions"][0].update(cost_range=[800, 1200]),
        "actions[0].cost_tier: the midpoint of cost_range is high",
    ),
    "unknown prerequisite": (lambda d: d["actions"][0].update(prerequisites=["X-NONE-01"]), "prerequisites"),
    "circular prerequisites": (lambda d: d["actions"][0].update(prerequisites=["S-ONE-02"]), "form a circle"),
    "unknown specialty": (lambda d: d["actions"][4].update(suits={"specialties": ["mining"]}), "suits.specialties"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_catalogue_is_rejected_whole(case):
    data = copy.deepcopy(SMALL)
    BAD[case][0](data)
    with pytest.raises(CatalogueFileError) as raised:
        import_catalogue(data)
    assert any(BAD[case][1] in p for p in raised.value.problems), raised.value.problems
    assert not ActionCatalogue.objects.exists()


@pytest.fixture
def team():
    team = make_team()
    import_catalogue(SMALL)
    city = team.assessment.city
    city.digital_budget = 100
    city.save()
    a = team.assessment
    Answer.objects.create(assessment=a, question=question(a, "S1.1"), level=2)
    Answer.objects.create(assessment=a, question=question(a, "S1.2"), number=30)
    Answer.objects.create(assessment=a, question=question(a, "G1.2"), yes=False)
    return team


def show_plan(assessment, *args):
    out = StringIO()
    call_command("show_plan", str(assessment.pk), *args, stdout=out)
    return json.loads(out.getvalue())


def test_show_plan_prints_the_plan_json(team):
    plan = show_plan(team.assessment)
    assert plan["annual_budget"] == 100 and plan["catalogue"] == "test-actions"
    assert [p["phase"] for p in plan["phases"]] == ["near", "medium", "long"]
    assert [p["years"] for p in plan["phases"]] == [[0, 1], [1, 3], [3, 5]]
    assert [p["budget"] for p in plan["phases"]] == [100, 200, 200]
    codes = [a["code"] for p in plan["phases"] for a in p["actions"]]
    assert set(codes) == {"S-ONE-01", "S-ONE-02", "G-DATA-01"}  # no cluster, no agriculture
    first = plan["phases"][0]["actions"][0]
    # Engine v2 adds running_cost, lead, kpi, funding, stage and entry_point (FORMATS.md: fields may be added).
    assert set(first) >= {
        "code",
        "title",
        "direction",
        "dimension",
        "priority",
        "cost",
        "cost_range",
        "prerequisites",
        "why",
    }
    assert first["priority"] == 1.0 and "below" in first["why"]
    for phase in plan["phases"]:
        assert phase["cost"] == sum(a["cost"] for a in phase["actions"]) <= phase["budget"]


def test_a_smaller_budget_pushes_actions_later(team):
    def phases(budget):
        plan = show_plan(team.assessment, "--budget", str(budget))
        return {a["code"]: i for i, p in enumerate(plan["phases"]) for a in p["actions"]} | {
            u["code"]: 3 for u in plan["unscheduled"]
        }

    large, small = phases(1000), phases(40)
    assert all(small[code] >= large[code] for code in large)
    assert small != large


def test_show_plan_rejects_a_negative_budget_and_unknown_ids(team):
    with pytest.raises(CommandError, match="--budget must be 0 or more"):
        show_plan(team.assessment, "--budget", "-5")
    with pytest.raises(CommandError, match="No assessment with id 999999"):
        call_command("show_plan", "999999", stdout=StringIO())


def test_the_plan_speaks_the_report_language(team):
    from django.utils import translation

    with translation.override("zh-hans"):
        plan = show_plan(team.assessment)
    assert "行动S-ONE-01" in json.dumps(plan, ensure_ascii=False)
    assert "低于" in plan["phases"][0]["actions"][0]["why"]


def test_a_foundation_reason_counts_the_actions_that_build_on_it_in_good_grammar():
    from django.utils import translation

    from plans.compute import describe_reason
    from plans.recommendations import Reason

    with translation.override("en"):
        assert describe_reason(Reason("foundation", level=1)) == "1 other recommended action builds on it"
        assert describe_reason(Reason("foundation", level=3)) == "3 other recommended actions build on it"
    with translation.override("zh-hans"):
        assert describe_reason(Reason("foundation", level=3)) == "另有 3 项推荐行动以其为基础"


@pytest.mark.parametrize(
    "role, status",
    [
        ("coordinator", 200),
        ("services", 200),
        ("consultant", 200),
        ("admin", 200),
        ("other_official", 404),
        ("other_consultant", 404),
        ("stranger", 404),
    ],
)
def test_plan_api_and_page_permissions(client, team, role, status):
    client.force_login(getattr(team, role))
    assert client.get(reverse("api_assessment_plan", args=[team.assessment.pk])).status_code == status
    assert client.get(reverse("assessment_plan", args=[team.assessment.pk])).status_code == status


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("coordinator", False),
        ("services", False),
        ("consultant", True),
        ("admin", True),
        ("other_consultant", False),
    ],
)
def test_only_assigned_consultants_adjust_the_plan(client, team, role, allowed):
    client.force_login(getattr(team, role))
    url = reverse("assessment_plan_adjust", args=[team.assessment.pk])
    response = client.post(url, {"action_code": "S-ONE-01", "hidden": "on"})
    assert response.status_code == (302 if allowed else 404)
    assert PlanAdjustment.objects.exists() == allowed


def test_a_consultant_hides_moves_orders_and_remarks_then_resets(client, team):
    client.force_login(team.consultant)
    adjust = reverse("assessment_plan_adjust", args=[team.assessment.pk])
    client.post(adjust, {"action_code": "G-DATA-01", "hidden": "on", "remark": "已由省里统一建设"})
    client.post(adjust, {"action_code": "S-ONE-02", "phase": "long", "remark": "先做好平台整合"})
    client.post(adjust, {"action_code": "S-ONE-01", "order": "1", "remark": "<b>优先</b> file:///etc/passwd"})
    page = client.get(reverse("assessment_plan", args=[team.assessment.pk])).content.decode()
    long_phase = page[page.index('id="phase-long"') : page.index("</section>", page.index('id="phase-long"'))]
    assert "S-ONE-02" in long_phase and "先做好平台整合" in long_phase
    hidden = page[page.index('id="hidden-actions"') :]
    assert "G-DATA-01" in hidden and "已由省里统一建设" in hidden
    assert "&lt;b&gt;优先&lt;/b&gt;" in page and "<b>优先</b>" not in page
    # The computed plan (JSON) is untouched by the adjustments.
    plan = show_plan(team.assessment)
    assert "G-DATA-01" in [a["code"] for p in plan["phases"] for a in p["actions"]]
    client.post(reverse("assessment_plan_reset", args=[team.assessment.pk]))
    assert not PlanAdjustment.objects.exists()


def test_plan_page_uses_a_constant_number_of_queries(client, team, django_assert_max_num_queries):
    client.force_login(team.consultant)
    with django_assert_max_num_queries(20):
        client.get(reverse("assessment_plan", args=[team.assessment.pk]))


def test_the_plan_follows_the_stored_scores_once_submitted(team):
    from assessment.lifecycle import submit_assessment

    submit_assessment(team.assessment)
    Answer.objects.filter(assessment=team.assessment).update(level=5, number=100, yes=True)
    plan = show_plan(team.assessment)
    assert "S-ONE-01" in [a["code"] for p in plan["phases"] for a in p["actions"]]


def test_questions_are_reachable(team):
    assert Question.objects.filter(code="S1.1").exists()


def test_catalogue_admin_lists_and_filters(client):
    from tests.factories import make_user

    import_catalogue(SMALL)
    client.force_login(make_user(staff=True))
    url = reverse("admin:plans_action_changelist")
    body = client.get(url, {"specialty": "agriculture"}).content.decode()
    assert "E-AGRI-01" in body and "S-ONE-01" not in body
    assert client.get(url, {"direction__exact": "services", "horizon__exact": "near", "q": "S-ONE"}).status_code == 200


def test_a_city_without_a_budget_is_told_to_set_one(team, client):
    city = team.assessment.city
    city.digital_budget = None
    city.save()
    with pytest.raises(CommandError, match="no annual digital budget on record"):
        show_plan(team.assessment)
    assert show_plan(team.assessment, "--budget", "50")["annual_budget"] == 50
    client.force_login(team.consultant)
    page = client.get(reverse("assessment_plan", args=[team.assessment.pk])).content.decode()
    assert "no annual digital budget on record" in page


@pytest.mark.parametrize("code", ["NOT-AN-ACTION", "<script>", "I-TWIN-01"])
def test_an_adjustment_to_an_action_outside_the_plan_is_refused_with_a_message(client, team, code):
    client.force_login(team.consultant)
    adjust = reverse("assessment_plan_adjust", args=[team.assessment.pk])
    planned = {a["code"] for p in show_plan(team.assessment)["phases"] for a in p["actions"]}
    assert code not in planned
    response = client.post(adjust, {"action_code": code, "hidden": "on"}, follow=True)
    assert not PlanAdjustment.objects.exists()
    assert "is not an action of this plan" in response.content.decode()


def test_the_catalogues_old_admin_addresses_lead_to_its_new_home(client):
    from tests.factories import make_user

    client.force_login(make_user(staff=True, username="catalogue-admin"))
    response = client.get("/admin/reports/action/?stage__exact=advanced")
    assert response.status_code == 301 and response["Location"] == "/admin/plans/action/?stage__exact=advanced"
    assert client.get("/admin/reports/planadjustment/").headers["Location"] == "/admin/plans/planadjustment/"
