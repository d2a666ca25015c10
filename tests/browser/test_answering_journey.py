"""In a real browser: officials answer every question type, leave, come back, and submit."""

from urllib.parse import urlsplit

import pytest

from assessment.consistency_file import import_rules
from assessment.models import Answer, Assessment
from tests.assessment.answering_helpers import make_team, stored
from tests.browser.conftest import screenshot
from tests.browser.test_foundation_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def card(page, code):
    return page.locator(f"[id='question-{code}']")


def wait_saved(page, code):
    card(page, code).locator(".save-state.text-success").wait_for()


def test_respondent_answers_leaves_comes_back_and_coordinator_submits(page):
    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.locator("#assignments a").first.click()
    page.wait_for_url(f"**/assessments/{a.pk}/services/")

    card(page, "S1.1").locator(".level-card").nth(2).click()  # L3
    wait_saved(page, "S1.1")
    number = card(page, "S1.2").locator("input[name=number]")
    number.fill("72.5")
    number.blur()
    wait_saved(page, "S1.2")
    card(page, "S1.2").locator("textarea[name=comment]").fill("据2025年政务服务统计")
    card(page, "S1.2").locator(".save-button").click()
    card(page, "S1.2").get_by_text("据2025年政务服务统计").count()
    page.wait_for_function("() => !Object.keys(localStorage).length")
    assert stored(a, "S1.2").comment == "据2025年政务服务统计"
    assert (
        page.locator(".progress-list [data-direction=services] .progress-bar")
        .get_attribute("style")
        .startswith("width: 100%")
    )
    assert page.locator(".progress-list [data-direction=services] .progress-count").inner_text() == "2/2"
    screenshot(page, "answering-services")

    # A bad number is not saved, and stays in the field to be corrected.
    number.fill("seventy")
    number.blur()
    card(page, "S1.2").locator(".save-state.text-danger").wait_for()
    assert number.input_value() == "seventy"
    assert stored(a, "S1.2").number == 72.5
    number.fill("75")
    number.blur()
    wait_saved(page, "S1.2")

    # Leave and come back: the answers are there.
    page.goto("/")
    page.goto(f"/assessments/{a.pk}/services/")
    assert card(page, "S1.1").locator("input[value='3']").is_checked()
    assert number.input_value() == "75"

    # The coordinator answers the other types, then submits.
    page.context.clear_cookies()
    log_in(page, "coordinator")
    page.goto(f"/assessments/{a.pk}/governance/")
    card(page, "G1.1").get_by_label("人口").check()
    wait_saved(page, "G1.1")
    card(page, "G1.2").get_by_text("Yes").or_(card(page, "G1.2").get_by_text("是")).first.click()
    wait_saved(page, "G1.2")
    page.goto(f"/assessments/{a.pk}/infrastructure/")
    pue = card(page, "I1.1").locator("input[name=number]")
    pue.fill("1.45")
    pue.blur()
    wait_saved(page, "I1.1")
    assert stored(a, "G1.1").items == ["a"] and stored(a, "G1.2").yes is True

    page.goto(f"/assessments/{a.pk}/submit/")
    screenshot(page, "submit-summary")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form button.btn-success").click()
    page.wait_for_url(f"**/assessments/{a.pk}/")
    assert Assessment.objects.get(pk=a.pk).status == "submitted"
    assert Answer.objects.filter(assessment=a).count() == 5


def test_an_answer_typed_when_the_session_expired_is_saved_after_logging_in_again(page):
    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    page.context.clear_cookies()  # the session expires while the official types
    card(page, "S1.1").locator(".level-card").nth(3).click()
    page.locator("#session-warning").wait_for(state="visible")
    assert stored(a, "S1.1") is None
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")  # back to the page: the waiting answer is saved
    wait_saved(page, "S1.1")
    assert stored(a, "S1.1").level == 4


def test_an_answer_typed_offline_is_saved_when_the_connection_returns(page):
    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    page.context.set_offline(True)
    card(page, "S1.1").locator(".level-card").nth(1).click()
    card(page, "S1.1").locator(".save-state.text-danger").wait_for()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(page, "S1.1")
    assert stored(a, "S1.1").level == 2


def test_answers_kept_offline_are_resent_in_one_batch_request(page):
    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    page.context.set_offline(True)
    card(page, "S1.1").locator(".level-card").nth(2).click()
    card(page, "S1.1").locator(".save-state.text-danger").wait_for()
    card(page, "S1.2").locator("input[name=number]").fill("64")
    card(page, "S1.2").locator("input[name=number]").press("Tab")
    card(page, "S1.2").locator(".save-state.text-danger").wait_for()
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(page, "S1.1")
    wait_saved(page, "S1.2")
    assert stored(a, "S1.1").level == 3 and stored(a, "S1.2").number == 64
    assert [urlsplit(url).path for url in posts] == [f"/assessments/{a.pk}/services/answers/"]


def test_a_second_click_while_the_first_save_is_on_its_way_follows_it_without_a_conflict(page):
    """The first save's reply is held back 400 ms (its request reaches the server at once), so the
    second click always comes while the first save is on its way."""
    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    page.evaluate(
        """() => {
            const original = window.fetch;
            let first = true;
            window.fetch = async (...args) => {
                const response = await original(...args);
                if (first) { first = false; await new Promise((done) => setTimeout(done, 400)); }
                return response;
            };
        }"""
    )
    levels = card(page, "S1.1").locator(".level-card")
    levels.nth(1).click()
    page.wait_for_timeout(100)  # the first request has gone out; its reply is held back
    levels.nth(3).click()
    for _ in range(100):
        if stored(a, "S1.1").level == 4:
            break
        page.wait_for_timeout(100)
    wait_saved(page, "S1.1")
    assert stored(a, "S1.1").level == 4
    assert card(page, "S1.1").locator(".conflict").is_hidden()
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('cdm-answer:')).length") == 0


def test_a_colleagues_newer_answer_is_shown_and_the_user_chooses(page):
    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    from assessment.answering import save_answer
    from tests.assessment.answering_helpers import question

    save_answer(assessment=a, question=question(a, "S1.1"), values={"level": 2}, base_revision=0, user=team.coordinator)
    card(page, "S1.1").locator(".level-card").nth(4).click()
    conflict = card(page, "S1.1").locator(".conflict")
    conflict.wait_for(state="visible")
    assert "L2" in conflict.inner_text()
    screenshot(page, "answering-conflict")
    conflict.locator("button.btn-warning").click()  # keep mine
    wait_saved(page, "S1.1")
    assert stored(a, "S1.1").level == 5


def test_the_answering_page_fits_a_phone(browser, live_server):
    team = make_team()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
    )
    page = context.new_page()
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    card(page, "S1.1").locator(".level-card").nth(2).click()
    wait_saved(page, "S1.1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "answering-phone")
    context.close()


PAPER_BUT_ONLINE = {
    "code": "paper-counters-but-online-rate",
    "kind": "cross",
    "severity": "warning",
    "when": {"question": "S1.1", "level": 1},
    "expect": {"question": "S1.2", "number": {"max": 60}},
    "message": {
        "zh-hans": "S1.1为L1（主要在窗口提交纸质材料），但S1.2称{S1.2}%的事项可全程网办。",
        "en": "S1.1 is L1 (people apply on paper), but S1.2 says {S1.2}% can be completed online.",
    },
}


def test_a_finding_appears_beside_the_questions_it_names_as_the_answer_is_given(page):
    team = make_team()
    import_rules({"questionnaire": team.assessment.version.code, "rules": [PAPER_BUT_ONLINE]})
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    finding = ".finding[data-rule='paper-counters-but-online-rate']"

    card(page, "S1.1").locator(".level-card").nth(0).click()  # L1: apply on paper
    wait_saved(page, "S1.1")
    assert page.locator(finding).count() == 0
    number = card(page, "S1.2").locator("input[name=number]")
    number.fill("７２．５")  # as a Chinese input method types it
    number.blur()
    card(page, "S1.2").locator(finding).wait_for()
    assert "S1.2称72.5%的事项可全程网办" in card(page, "S1.2").locator(finding).inner_text()
    assert "如答案属实，请在 S1.1、S1.2 任一题的说明中写明原因" in card(page, "S1.1").locator(finding).inner_text()
    assert stored(team.assessment, "S1.2").number == 72.5  # saved all the same: a finding never blocks
    screenshot(page, "answering-finding")

    card(page, "S1.1").locator("textarea[name=comment]").fill("窗口办件量大，但全程网办事项清单已覆盖72.5%")
    card(page, "S1.1").locator(".save-button").click()
    card(page, "S1.2").locator(f"{finding} .text-success").wait_for()
    assert "已在 S1.1 的说明中解释" in card(page, "S1.2").locator(finding).inner_text()

    card(page, "S1.1").locator(".level-card").nth(2).click()  # L3: the contradiction is resolved
    page.wait_for_function(f'() => !document.querySelector("{finding}")')
    assert page.locator(finding).count() == 0
