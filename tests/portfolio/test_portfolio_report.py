"""The portfolio report: a PDF about many cities, made by a background job, stored and reused."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from plans.catalogue_file import import_catalogue
from plans.models import PlanAdjustment
from reports.models import JobKind, JobStatus, ReportJob
from tests.plans.test_catalogue_and_plan import SMALL
from tests.portfolio.test_portfolio import world  # noqa: F401 — the fixture
from tests.reports.test_report import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def make_report(client, language="en", query=""):
    response = client.post(reverse("portfolio_report"), {"language": language, "query": query})
    job = ReportJob.objects.filter(kind=JobKind.PORTFOLIO).latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("report_job", args=[job.pk])
    return job


def download(client, job) -> bytes:
    response = client.get(reverse("report_job_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_an_analyst_gets_the_portfolio_report_in_both_languages(client, world, immediate):  # noqa: F811
    import_catalogue(SMALL)
    client.force_login(world.jiangsu_analyst)
    job = make_report(client, "en")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(download(client, job))
    for heading in (
        "Portfolio report",
        "The group at a glance",
        "The most common gaps",
        "The most common first steps",
        "The cities furthest behind in each direction",
        "Every city",
    ):
        assert heading in text, heading
    assert "Kunshan" in text and "Dingxi" not in text  # Gansu is not the analyst's
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = make_report(client, "zh-hans")
    chinese.refresh_from_db()
    text = pdf_text(download(client, chinese))
    assert "城市组合报告" in text and "昆山市" in text and "太仓市" in text


def test_the_same_report_is_reused_until_something_it_shows_changes(client, world, immediate):  # noqa: F811
    import_catalogue(SMALL)
    client.force_login(world.consultant)
    first = make_report(client)
    second = make_report(client)
    first.refresh_from_db(), second.refresh_from_db()
    assert second.pdf_file.name == first.pdf_file.name and second.fingerprint == first.fingerprint
    latest = world.assessment.city.assessments.filter(status="submitted").latest("year")
    PlanAdjustment.objects.create(assessment=latest, action_code="S-ONE-01", hidden=True)
    third = make_report(client)
    third.refresh_from_db()
    assert third.fingerprint != first.fingerprint and third.pdf_file.name != first.pdf_file.name
    filtered = make_report(client, query="region=west")
    filtered.refresh_from_db()
    assert filtered.fingerprint != third.fingerprint


def test_only_portfolio_users_make_one_and_only_its_maker_downloads_it(client, world, immediate):  # noqa: F811
    for role in ("coordinator", "services", "stranger"):
        client.force_login(getattr(world, role))
        assert client.post(reverse("portfolio_report"), {"language": "en"}).status_code == 404
    client.force_login(world.consultant)
    job = make_report(client)
    client.force_login(world.other_consultant)
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404
    client.force_login(world.consultant)
    assert client.get(reverse("portfolio_report")).status_code == 405
