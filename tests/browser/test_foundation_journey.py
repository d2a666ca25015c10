"""In a real browser: log in, switch language, edit the question bank as an administrator."""

import pytest

from assessment.models import QuestionnaireVersion
from cities.models import MembershipRole
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_city, make_official, make_user, make_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url("**/")


def test_official_logs_in_in_chinese_and_switches_to_english(page):
    city = make_city(name="昆山市", name_en="Kunshan")
    make_official(city, role=MembershipRole.COORDINATOR, username="li")
    make_version(publish=True)
    log_in(page, "li")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="本市").is_visible()
    assert "昆山市" in page.content()
    screenshot(page, "home-zh")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My city").is_visible()
    assert "Kunshan" in page.content()
    page.get_by_role("link", name="Questionnaire").click()
    page.wait_for_load_state()
    assert page.locator(".level-card").count() == 5
    screenshot(page, "questionnaire-en")


def test_administrator_clones_a_published_version_and_edits_the_draft(page):
    version = make_version(publish=True)
    make_user(username="root", staff=True)
    log_in(page, "root")
    page.goto(f"/admin/assessment/questionnaireversion/{version.pk}/change/")
    assert page.locator(".messagelist .warning").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/clone/'] button").click()
    page.wait_for_url("**/change/")
    clone = QuestionnaireVersion.objects.get(code="test-bank-draft")
    page.fill("input[name=title_zh]", "测试问卷（修订稿）")
    page.click("input[name=_save]")
    page.wait_for_url("**/questionnaireversion/")
    clone.refresh_from_db()
    assert clone.title_zh == "测试问卷（修订稿）"
    screenshot(page, "admin-versions")


def test_pages_fit_a_phone(browser, live_server):
    city = make_city(name="定西市")
    make_official(city, username="ma")
    make_version(publish=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, "ma")
    page.goto("/questionnaire/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "questionnaire-phone")
    context.close()


def test_the_content_security_policy_refuses_an_injected_inline_script(browser, live_server):
    from tests.browser.conftest import watch_content_security_policy

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    refused = watch_content_security_policy(page)
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; "
        "document.head.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    assert refused and "script-src" in refused[0]
    context.close()
