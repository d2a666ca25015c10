"""In a real browser: a provincial analyst opens the portfolio on a phone and on a desktop, in both
languages, sorts and filters it, and downloads the Excel workbook."""

import pytest

from tests.browser.conftest import screenshot, watch_content_security_policy
from tests.browser.test_foundation_journey import log_in
from tests.factories import make_user
from tests.portfolio.test_portfolio import world  # noqa: F401 — the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale, width", [("zh-CN", 390), ("en-US", 1280)])
def test_an_analyst_reads_sorts_and_filters_the_portfolio(browser, live_server, world, locale, width):  # noqa: F811
    make_user(username="js-analyst", analyst_province="jiangsu")
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    refused = watch_content_security_policy(page)
    log_in(page, "js-analyst")
    page.goto("/portfolio/")
    assert page.locator(".portfolio-table tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls in its own box
    page.locator(".portfolio-table thead a").nth(6).click()  # the overall column: highest first
    page.wait_for_url("**sort=overall**")
    first = page.locator(".portfolio-table tbody tr").first.inner_text()
    assert "61" in first  # 太仓市, 61 points, before 昆山市
    page.select_option("select[name=tier]", "prefecture")
    page.click("#portfolio-filters button[type=submit]")
    page.wait_for_url("**tier=prefecture**")
    assert page.locator(".portfolio-table tbody tr").count() == 1  # "no city matches"
    screenshot(page, f"portfolio-{width}")
    page.goto("/portfolio/")
    with page.expect_download() as info:
        page.get_by_text("Excel", exact=False).first.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert refused == []
    context.close()
