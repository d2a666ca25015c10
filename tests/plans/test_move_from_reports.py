"""The catalogue and the plan adjustments moved from `reports` to `plans` (issue 23): a database made
before the move migrates with every row kept, its content types (and so the permissions given for
the models) carried along, and back again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.models import Action, ActionCatalogue, PlanAdjustment
from tests.assessment.answering_helpers import make_team

BEFORE = [("reports", "0006_job_coverage_and_retries"), ("plans", None)]


def after() -> list[tuple[str, str]]:
    """The latest migrations of every app (later migrations of plans and reports included)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    """Migrate to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_move_keeps_every_row_and_its_permissions():
    team = make_team()  # an assessment to adjust a plan of (its tables are not migrated)
    old = migrate(BEFORE)
    catalogue = old.get_model("reports", "ActionCatalogue").objects.create(
        code="actions-2026", title_zh="行动目录", title_en="Catalogue"
    )
    action = old.get_model("reports", "Action").objects.create(
        catalogue=catalogue,
        code="G-DATA-01",
        direction="governance",
        dimension="G2",
        title_zh="政务数据共享平台",
        description_zh="建设政务数据共享交换平台。",
        triggers=[{"dimension": "G2", "below": 3}],
        target_level=3,
        cost_tier="medium",
        cost_low=100,
        cost_high=300,
        running_cost=30,
        funding=["local_budget"],
        prerequisites=["G-ORG-01"],
        suits_specialties=["manufacturing"],
        horizon="near",
    )
    adjustment = old.get_model("reports", "PlanAdjustment").objects.create(
        assessment_id=team.assessment.pk, action_code="G-DATA-01", hidden=False, order=2, remark="先做试点"
    )
    content_type = ContentType.objects.get_or_create(app_label="reports", model="action")[0]
    migrate(after())
    moved = Action.objects.get(pk=action.pk)
    assert (moved.code, moved.catalogue_id, moved.catalogue.code) == ("G-DATA-01", catalogue.pk, "actions-2026")
    assert (moved.triggers, moved.prerequisites, moved.suits_specialties) == (
        [{"dimension": "G2", "below": 3}],
        ["G-ORG-01"],
        ["manufacturing"],
    )
    assert (moved.cost_low, moved.cost_high, moved.running_cost, moved.funding) == (100, 300, 30, ["local_budget"])
    assert ActionCatalogue.objects.get(pk=catalogue.pk).title_zh == "行动目录"
    kept = PlanAdjustment.objects.get(pk=adjustment.pk)
    assert (kept.assessment_id, kept.action_code, kept.order, kept.remark) == (
        team.assessment.pk,
        "G-DATA-01",
        2,
        "先做试点",
    )
    assert ContentType.objects.get(pk=content_type.pk).app_label == "plans"
    assert {table for table in connection.introspection.table_names() if "action" in table} >= {
        "plans_action",
        "plans_actioncatalogue",
    }
    assert "reports_action" not in connection.introspection.table_names()
    # And back: the tables and content types return to reports.
    migrate(BEFORE)
    assert "reports_action" in connection.introspection.table_names()
    assert ContentType.objects.get(pk=content_type.pk).app_label == "reports"
    migrate(after())
    assert Action.objects.filter(pk=action.pk).exists()
