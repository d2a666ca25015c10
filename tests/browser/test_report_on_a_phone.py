"""In a real browser at 390 px: the report page never scrolls sideways, and each bar chart and table
fits or scrolls inside its own box, every bar on its label's line. On the real 2026 bank, whose English
dimension titles are the longest labels."""

import pytest

from assessment.answering import save_answer
from assessment.bank_file import import_bank, read_bank_file
from assessment.lifecycle import submit_assessment
from plans.catalogue_file import import_catalogue
from tests.assessment.answering_helpers import make_team, question
from tests.browser.conftest import screenshot, watch_content_security_policy
from tests.browser.test_foundation_journey import log_in
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390

# Per bar chart: its box, how far its content reaches, how it overflows, and its labels and bars.
CHARTS = """() => [...document.querySelectorAll('.report-page .bar-chart')].map((chart) => {
    const box = chart.getBoundingClientRect();
    const labels = chart.querySelector('.bar-labels');
    return {
        left: box.left, right: box.right, width: chart.clientWidth, content: chart.scrollWidth,
        overflow: getComputedStyle(chart).overflowX,
        labelsCut: labels.scrollWidth > labels.clientWidth,
        labelsHeight: labels.getBoundingClientRect().height,
        barsHeight: chart.querySelector('.bar-plot').getBoundingClientRect().height,
    };
})"""

TABLES = """() => [...document.querySelectorAll('.report-page table')].map((table) => {
    const box = table.getBoundingClientRect();
    return {
        left: box.left, right: box.right, width: table.clientWidth, content: table.scrollWidth,
        overflow: getComputedStyle(table).overflowX, first: table.innerText.slice(0, 40),
    };
})"""


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_report_fits_a_phone_and_its_charts_and_tables_fit_or_scroll_in_their_own_box(browser, live_server, locale):
    team = make_team(version=import_bank(read_bank_file("fixtures/questionnaire-smc-2026.yaml"), publish=True))
    import_catalogue(SMALL)
    a = team.assessment
    for code, level in [("S1.1", 2), ("G1.1", 4), ("I2.1", 5)]:
        save_answer(assessment=a, question=question(a, code), values={"level": level}, base_revision=0, user=None)
    submit_assessment(a, user=team.coordinator)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE, "height": 844}, is_mobile=True, locale=locale
    )
    page = context.new_page()
    refused = watch_content_security_policy(page)
    log_in(page, "consultant")
    page.goto(f"/assessments/{a.pk}/report/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"the report scrolls sideways on a phone ({width}px)"
    charts = page.evaluate(CHARTS)
    assert charts
    for chart in charts:
        assert chart["left"] >= 0 and chart["right"] <= PHONE, chart  # the chart's box is on the screen
        assert chart["content"] <= chart["width"] or chart["overflow"] in {"auto", "scroll"}, chart
        assert not chart["labelsCut"], chart
        assert abs(chart["barsHeight"] - chart["labelsHeight"]) < 1, chart  # each bar on its label's line
    for table in page.evaluate(TABLES):
        assert table["left"] >= 0 and table["right"] <= PHONE, table
        assert table["content"] <= table["width"] or table["overflow"] in {"auto", "scroll"}, table
    screenshot(page, f"report-phone-{locale}")
    context.close()
    assert refused == []
