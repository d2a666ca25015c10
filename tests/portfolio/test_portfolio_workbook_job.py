"""A portfolio too large to export during a request: the worker prepares the Excel file, with a
progress count, for the cities its maker may see; only its maker downloads it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.catalogue_file import import_catalogue
from reports.models import JobKind, JobStatus, ReportJob
from tests.plans.test_catalogue_and_plan import SMALL
from tests.portfolio.test_portfolio import world  # noqa: F401 — the fixture
from tests.portfolio.test_portfolio_report import immediate  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(monkeypatch):
    """Two assessed cities are already "too many" to export during the request."""
    monkeypatch.setattr("portfolio.views.DIRECT_WORKBOOK_CITIES", 1)


def test_a_large_portfolio_offers_the_background_export(client, world, small_limit):  # noqa: F811
    client.force_login(world.jiangsu_analyst)
    page = client.get(reverse("portfolio")).content.decode()
    assert reverse("portfolio_workbook") in page and reverse("portfolio_export", args=["xlsx"]) not in page
    response = client.get(reverse("portfolio_export", args=["xlsx"]), {"region": "east"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portfolio") + "?region=east"
    assert "prepare the Excel file" in response.content.decode() or "准备" in response.content.decode()
    assert client.get(reverse("portfolio_export", args=["csv"])).status_code == 200  # CSV stays direct


def test_the_worker_builds_the_file_of_the_makers_cities(client, world, immediate, small_limit):  # noqa: F811
    import_catalogue(SMALL)
    client.force_login(world.jiangsu_analyst)
    response = client.post(reverse("portfolio_workbook"), {"language": "en", "query": "sort=name"})
    job = ReportJob.objects.get(kind=JobKind.WORKBOOK)
    assert response["Location"] == reverse("report_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2), job.error
    assert "Download the Excel file" in client.get(reverse("report_job", args=[job.pk])).content.decode()
    download = client.get(reverse("report_job_download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["Scores by city", "Answers by question", "Planned actions"]
    cities = [row[0] for row in book["Scores by city"].iter_rows(min_row=2, values_only=True)]
    # Jiangsu's cities in the job's language (太仓 has no English name here); not Dingxi
    assert sorted(cities) == ["Kunshan", "太仓市"]
    assert book["Scores by city"]["A1"].value == "City"


def test_only_portfolio_users_queue_one_and_only_its_maker_downloads_it(client, world, immediate):  # noqa: F811
    for role in ("coordinator", "services", "stranger"):
        client.force_login(getattr(world, role))
        assert client.post(reverse("portfolio_workbook"), {"language": "en"}).status_code == 404
    assert not ReportJob.objects.exists()
    client.force_login(world.consultant)
    assert client.get(reverse("portfolio_workbook")).status_code == 405
    client.post(reverse("portfolio_workbook"), {"language": "zh-hans"})
    job = ReportJob.objects.get()
    for other in (world.jiangsu_analyst, world.coordinator):
        client.force_login(other)
        assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404
