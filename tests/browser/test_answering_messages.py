"""In a real browser: what the answering page says about a save: who saved it, and an answer the
server refused, kept on the device and shown until it is corrected (never resent as it is)."""

from urllib.parse import urlsplit

import pytest

from tests.assessment.answering_helpers import make_team, stored
from tests.browser.conftest import screenshot
from tests.browser.test_answering_journey import card, wait_saved
from tests.browser.test_foundation_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kept_answers(page) -> int:
    return page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('cdm-answer:')).length")


def test_the_autosave_message_names_who_saved_at_once(page):
    team = make_team()
    team.services.first_name = "张晓燕"
    team.services.save()
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    card(page, "S1.1").locator(".level-card").nth(2).click()
    wait_saved(page, "S1.1")
    assert "张晓燕" in card(page, "S1.1").locator(".save-state").inner_text()


def test_a_refused_answer_is_shown_kept_and_not_resent_until_it_is_changed(page):
    team = make_team()
    a = team.assessment
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    # Typed offline: a level, and a number the server will refuse.
    page.context.set_offline(True)
    card(page, "S1.1").locator(".level-card").nth(2).click()
    number = card(page, "S1.2").locator("input[name=number]")
    number.fill("seventy")
    number.press("Tab")
    card(page, "S1.2").locator(".save-state.text-danger").wait_for()
    # Online again: both are resent in one batch; the level is saved, the number refused.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(page, "S1.1")
    card(page, "S1.2").locator(".refused-note").wait_for()
    assert stored(a, "S1.1").level == 3 and stored(a, "S1.2") is None

    posts = []
    page.on("request", lambda request: posts.append(urlsplit(request.url).path) if request.method == "POST" else None)
    # Loaded again, and in the other language: the refused answer is shown, not sent.
    for _ in range(2):
        page.reload()
        card(page, "S1.2").locator(".refused-note").wait_for()
    page.locator("#language-form button[value=en]").click()
    page.wait_for_load_state()
    card(page, "S1.2").locator(".refused-note").wait_for()
    page.wait_for_timeout(300)  # a resend would go out at once
    assert [path for path in posts if path.startswith("/assessments/")] == []
    assert number.input_value() == "seventy"  # nothing typed is lost
    assert "is-invalid" in number.get_attribute("class")
    state = card(page, "S1.2").locator(".save-state.text-danger").inner_text()
    assert "Not saved" in state and len(state) > len("Not saved: ")  # with the server's message
    assert page.locator("#refused-answers a[href='#question-S1.2']").is_visible()
    assert kept_answers(page) == 1
    screenshot(page, "answering-refused-en")

    # Corrected: it is sent, saved, and no longer kept or listed.
    number.fill("64")
    number.press("Tab")
    wait_saved(page, "S1.2")
    assert stored(a, "S1.2").number == 64
    assert page.locator("#refused-answers").count() == 0
    assert card(page, "S1.2").locator(".refused-note").count() == 0
    assert "is-invalid" not in number.get_attribute("class")
    assert kept_answers(page) == 0


def test_an_answer_refused_as_typed_is_kept_and_not_sent_when_the_page_is_loaded_again(page):
    team = make_team()
    a = team.assessment
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    number = card(page, "S1.2").locator("input[name=number]")
    number.fill("seventy")
    number.press("Tab")
    card(page, "S1.2").locator(".refused-note").wait_for()
    screenshot(page, "answering-refused-zh")

    posts = []
    page.on("request", lambda request: posts.append(urlsplit(request.url).path) if request.method == "POST" else None)
    page.reload()
    card(page, "S1.2").locator(".refused-note").wait_for()
    page.wait_for_timeout(300)
    assert posts == []
    assert number.input_value() == "seventy"
    assert stored(a, "S1.2") is None


def test_an_answer_saved_after_submission_is_told_so_on_its_card_and_kept(page):
    from assessment.lifecycle import submit_assessment

    team = make_team()
    a = team.assessment
    log_in(page, "services")
    page.goto(f"/assessments/{a.pk}/services/")
    submit_assessment(a, user=team.coordinator)  # meanwhile, the coordinator submits
    card(page, "S1.1").locator(".level-card").nth(3).click()
    state = card(page, "S1.1").locator(".save-state.text-danger")
    state.wait_for()
    assert "已提交" in state.inner_text()  # the server's own words, not "the server cannot be reached"
    assert "已提交" in page.locator("#page-state").inner_text()
    assert kept_answers(page) == 1 and stored(a, "S1.1") is None
    screenshot(page, "answering-after-submission")
