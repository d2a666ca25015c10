"""At 390 px, in both languages, no page that any role uses scrolls sideways: every wide thing (a
table, a chart, a form) fits or scrolls inside its own box. On the real 2026 bank, whose English
titles are the longest, with a draft half answered so the provisional results show."""

import pytest

from assessment.answering import save_answer
from assessment.bank_file import import_bank, read_bank_file
from plans.catalogue_file import import_catalogue
from tests.assessment.answering_helpers import make_team, question
from tests.browser.conftest import screenshot, watch_content_security_policy
from tests.browser.test_foundation_journey import log_in
from tests.factories import make_user
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def pages_of_each_role(team) -> dict[str, list[str]]:
    a, city = team.assessment.pk, team.assessment.city_id
    overview, plan, report = f"/assessments/{a}/", f"/assessments/{a}/plan/", f"/assessments/{a}/report/"
    return {
        "services": ["/", overview, f"/assessments/{a}/services/", report, "/method/"],
        "coordinator": ["/", overview, f"/assessments/{a}/submit/", f"/cities/{city}/", plan],
        "consultant": ["/", overview, plan, report, "/portfolio/", "/reports/bulk/"],
        "analyst": ["/", "/portfolio/", f"/cities/{city}/", report],
        "admin": ["/", "/admin/", "/admin/assessment/questionnaireversion/", "/assessments/99999/"],
    }


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_no_page_of_any_role_scrolls_sideways_on_a_phone(browser, live_server, locale):
    team = make_team(version=import_bank(read_bank_file("fixtures/questionnaire-smc-2026.yaml"), publish=True))
    make_user(username="analyst", analyst_province=team.assessment.city.province)
    import_catalogue(SMALL)
    a = team.assessment
    for code, level in [("S1.1", 2), ("S1.2", 3), ("G1.1", 4), ("I2.1", 5)]:
        save_answer(assessment=a, question=question(a, code), values={"level": level}, base_revision=0, user=None)
    too_wide = []
    for role, urls in pages_of_each_role(team).items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": PHONE, "height": 844}, is_mobile=True, locale=locale
        )
        page = context.new_page()
        refused = watch_content_security_policy(page)
        log_in(page, role)
        for url in urls:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide.append((role, url, width))
                screenshot(page, f"too-wide-{role}-{url.strip('/').replace('/', '-') or 'home'}-{locale}")
        context.close()
        assert refused == [], (role, refused)
    assert too_wide == [], f"pages wider than the phone ({PHONE}px): {too_wide}"
