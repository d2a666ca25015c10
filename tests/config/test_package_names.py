"""The installed packages' apps, models and statuses in the admin speak the reader's language
(config/apps.py): Chinese in the Chinese admin, English in the English one."""

import pytest
from django.urls import reverse

from reports.tasks import build_report_zip
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ENGLISH_NAMES = ["Tasks Database Backend", "Task Results", "Login protection", "Access attempts", "Access logs"]


def test_the_chinese_admin_index_names_background_tasks_and_login_protection_in_chinese(chinese_client):
    chinese_client.force_login(make_user(staff=True))
    body = chinese_client.get(reverse("admin:index")).content.decode()
    for chinese in ["后台任务", "任务结果", "登录保护", "登录尝试", "登录日志"]:
        assert chinese in body
    for english in ENGLISH_NAMES:
        assert english.lower() not in body.lower()


def test_the_english_admin_index_keeps_the_english_names(client):
    client.force_login(make_user(staff=True))
    body = client.get(reverse("admin:index")).content.decode()
    for english in ENGLISH_NAMES:
        assert english in body


def test_the_chinese_task_results_show_their_columns_and_status_in_chinese(chinese_client):
    build_report_zip.enqueue(job_id=1)
    chinese_client.force_login(make_user(staff=True))
    body = chinese_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    for chinese in ["任务结果", "入队时间", "开始时间", "队列名称", "待运行"]:
        assert chinese in body
    for english in ["Task Result", "Enqueued at", "Started at", "Queue name", ">Ready<"]:
        assert english not in body
