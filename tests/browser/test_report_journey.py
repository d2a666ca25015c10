"""In a real browser: a consultant opens a city's report and downloads the PDF."""

import pytest

from assessment.answering import save_answer
from assessment.lifecycle import submit_assessment
from plans.catalogue_file import import_catalogue
from tests.assessment.answering_helpers import make_team, question
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_foundation_journey import log_in
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_views_and_downloads_a_report(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = make_team()
    import_catalogue(SMALL)
    a = team.assessment
    a.city.digital_budget = 100
    a.city.save()
    save_answer(assessment=a, question=question(a, "S1.1"), values={"level": 2}, base_revision=0, user=None)
    submit_assessment(a, user=team.coordinator)
    log_in(page, "consultant")
    page.goto(f"/assessments/{a.pk}/report/")
    assert page.locator("#report-title").inner_text().startswith("昆山市")
    assert page.locator("#radar svg").count() == 1
    screenshot(page, "report-page")
    with page.expect_download() as info:
        page.locator("#download-en").click()
    download = info.value
    assert download.suggested_filename == "Kunshan-2026-digital-maturity-report.pdf"
    target = ARTIFACTS / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
