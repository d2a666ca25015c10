"""A job's files show cities and assessments: only a user who may still see every one of them opens
the job, its progress or its file (SPEC §8); a consultant removed from a city loses them."""

import pytest
from django.urls import reverse

from assessment.lifecycle import submit_assessment
from cities.models import ConsultantAssignment
from plans.catalogue_file import import_catalogue
from portfolio import report as portfolio_report
from reports import delivery
from reports.models import JobKind, JobStatus, ReportJob
from tests.factories import assign_consultant, make_city
from tests.plans.test_catalogue_and_plan import SMALL
from tests.portfolio.test_portfolio import world  # noqa: F401 — the fixture
from tests.portfolio.test_portfolio_report import immediate  # noqa: F401 — a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate", "quick_pdfs")]


@pytest.fixture
def quick_pdfs(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(delivery, "render_pdf", lambda html: b"%PDF-1.7 report")
    monkeypatch.setattr(portfolio_report, "render_pdf", lambda html: b"%PDF-1.7 portfolio")
    import_catalogue(SMALL)


def make_job(client, world, kind: str) -> ReportJob:  # noqa: F811
    """The job of `kind` made by the Kunshan consultant through the pages, done."""
    client.force_login(world.consultant)
    if kind == JobKind.REPORTS:
        submitted = submit_assessment(world.assessment, user=world.coordinator)  # fully scored, unlike the others
        client.post(reverse("reports_bulk"), {"assessments": [submitted.pk], "language": "en"})
    else:
        client.post(
            reverse("portfolio_report" if kind == JobKind.PORTFOLIO else "portfolio_workbook"), {"language": "en"}
        )
    job = ReportJob.objects.get(kind=kind)
    assert job.status == JobStatus.DONE, job.error
    return job


def answers(client, job) -> list[int]:
    """The status codes of the job page, its progress (JSON) and its file."""
    page = client.get(reverse("report_job", args=[job.pk]))
    progress = client.get(reverse("report_job", args=[job.pk]), headers={"Accept": "application/json"})
    download = client.get(reverse("report_job_download", args=[job.pk]))
    return [page.status_code, progress.status_code, download.status_code]


KINDS = [JobKind.REPORTS, JobKind.PORTFOLIO, JobKind.WORKBOOK]


@pytest.mark.parametrize("kind", KINDS)
def test_a_consultant_removed_from_the_city_loses_the_job_made_before(client, world, kind):  # noqa: F811
    job = make_job(client, world, kind)
    assert answers(client, job) == [200, 200, 200]
    ConsultantAssignment.objects.filter(consultant=world.consultant).delete()
    assert answers(client, job) == [404, 404, 404]
    assert reverse("report_job", args=[job.pk]) not in client.get(reverse("reports_bulk")).content.decode()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("other_consultant", 404), ("gansu_analyst", 404), ("jiangsu_analyst", 404), ("services", 404), ("admin", 200)],
)
def test_only_the_maker_and_an_administrator_open_a_job(client, world, kind, role, expected):  # noqa: F811
    job = make_job(client, world, kind)
    client.force_login(getattr(world, role))
    assert answers(client, job) == [expected] * 3


@pytest.mark.parametrize("kind", [JobKind.PORTFOLIO, JobKind.WORKBOOK])
def test_a_portfolio_job_records_what_it_covered_when_it_ran(client, world, kind):  # noqa: F811
    unassessed = make_city(name="昆山新区")
    assign_consultant(world.consultant, unassessed)
    job = make_job(client, world, kind)
    kunshan = world.assessment.city
    assert set(job.cities.all()) == {kunshan, unassessed}
    assert list(job.assessments.all()) == [kunshan.assessments.filter(status="submitted").latest("year")]
    # Its file names the city without an assessment too: losing that city is enough.
    ConsultantAssignment.objects.filter(consultant=world.consultant, city=unassessed).delete()
    assert answers(client, job) == [404, 404, 404]


def test_an_analyst_moved_to_another_province_loses_the_portfolio_of_the_first(client, world):  # noqa: F811
    client.force_login(world.jiangsu_analyst)
    client.post(reverse("portfolio_report"), {"language": "en"})
    job = ReportJob.objects.get()
    assert answers(client, job) == [200, 200, 200]
    world.jiangsu_analyst.analyst_province = "gansu"
    world.jiangsu_analyst.save()
    assert answers(client, job) == [404, 404, 404]


def test_opening_a_job_checks_its_coverage_in_one_query(client, world, django_assert_num_queries):  # noqa: F811
    job = make_job(client, world, JobKind.PORTFOLIO)
    client.get(reverse("report_job", args=[job.pk]), headers={"Accept": "application/json"})  # the session is read
    with django_assert_num_queries(3):  # the session, the user, the job with its check
        client.get(reverse("report_job", args=[job.pk]), headers={"Accept": "application/json"})
