"""The report through GB/T 33356-2022 on bank 2027, and the change across bank versions (demo round 2027)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from assessment.models import Assessment
from reports import delivery
from tests.reports.test_report import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhangjiagang(settings, tmp_path):
    """The demo's Zhangjiagang 2027: started from its 2026 answers (bank 2026), submitted on bank 2027."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    return Assessment.objects.select_related("city", "version").get(city__name_zh="张家港市", year=2027)


def test_the_2027_round_starts_from_2026_and_leaves_it_as_it_was(zhangjiagang):
    assert zhangjiagang.version.code == "smc-2027" and not zhangjiagang.is_draft
    source = zhangjiagang.based_on
    assert source.year == 2026 and source.version.code == "smc-2026" and not source.is_draft
    draft = Assessment.objects.get(city__name_zh="平湖市", year=2027)
    assert draft.is_draft and draft.answers.filter(needs_review=True).exists()


def test_the_report_page_shows_the_national_view_and_the_change_of_version(zhangjiagang, client, chinese_client):
    consultant = User.objects.get(username="consultant")
    url = reverse("assessment_report", args=[zhangjiagang.pk])
    client.force_login(consultant)
    english = client.get(url).content.decode()
    assert 'id="national-framework"' in english and "GB/T 33356-2022" in english
    assert "Services for citizens" in english and "Citizen experience" in english
    assert "Covered by the standard but not by this questionnaire" in english
    assert 'id="trend-versions"' in english and "smc-2026" in english
    chinese_client.force_login(consultant)
    chinese = chinese_client.get(url).content.decode()
    assert "对照国家标准" in chinese and "新型智慧城市评价指标" in chinese and "惠民服务" in chinese
    assert "标准涵盖而本问卷未涉及的指标" in chinese and "社保服务、就业服务和城市服务" in chinese


def test_the_pdf_shows_the_national_view_in_both_languages(zhangjiagang):
    chinese = pdf_text(delivery.report_pdf(zhangjiagang, "zh-hans").file.read())
    assert "GB/T33356-2022" in chinese and "对照国家标准" in chinese and "市民体验" in chinese
    english = pdf_text(delivery.report_pdf(zhangjiagang, "en").file.read())
    assert "GB/T33356-2022" in english and "Throughthenationalframework" in english
    assert "Reformandinnovation" in english
