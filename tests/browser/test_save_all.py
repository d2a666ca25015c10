"""In a real browser: "Save all" sends only what changed, and carried answers are confirmed only on request."""

import pytest

from assessment.bank_file import import_bank
from assessment.lifecycle import carry_over, submit_assessment
from assessment.models import Answer
from tests.assessment.answering_helpers import make_team, post_answer, stored
from tests.assessment.test_bank_mapping import next_bank
from tests.browser.conftest import screenshot
from tests.browser.test_answering_journey import card, wait_saved
from tests.browser.test_foundation_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def carried_draft(client):
    """A 2027 draft carried from a submitted 2026 assessment: S1.1 flagged for review, S1.2 carried."""
    team = make_team()
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "4"})
    post_answer(client, team.assessment, "S1.2", {"number": "72.5"})
    submit_assessment(team.assessment, user=team.coordinator)
    return carry_over(team.assessment, version=import_bank(next_bank(), publish=True), year=2027, user=None)


def record(assessment):
    rows = Answer.objects.filter(assessment=assessment)
    return sorted(rows.values_list("pk", "revision", "answered_at", "needs_review"))


def posts(page) -> list[str]:
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    return sent


def test_save_all_on_an_unchanged_page_sends_nothing_and_changes_no_record(page, client):
    draft = carried_draft(client)
    before = record(draft)
    log_in(page, "coordinator")
    page.goto(f"/assessments/{draft.pk}/services/")
    sent = posts(page)
    page.locator("#save-all").click()
    page.wait_for_function("() => document.getElementById('page-state').textContent.length > 0")
    page.wait_for_timeout(300)
    assert sent == []
    assert record(draft) == before and stored(draft, "S1.1").needs_review
    assert card(page, "S1.1").locator(".carried-review").is_visible()

    # A changed comment is sent, and only that answer.
    card(page, "S1.2").locator("textarea[name=comment]").fill("2026年统计公报")
    page.locator("#save-all").click()
    wait_saved(page, "S1.2")
    assert len(sent) == 1 and stored(draft, "S1.2").comment == "2026年统计公报"
    assert stored(draft, "S1.1").needs_review  # saving did not confirm the carried answer
    screenshot(page, "save-all-changed-only")


def test_confirm_all_asks_first_and_then_confirms_the_carried_answers(page, client):
    draft = carried_draft(client)
    log_in(page, "coordinator")
    page.goto(f"/assessments/{draft.pk}/services/")
    button = page.locator("#confirm-all")
    assert button.is_visible()
    page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    page.wait_for_timeout(300)
    assert stored(draft, "S1.1").needs_review  # declined: nothing confirmed
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    wait_saved(page, "S1.1")
    assert not stored(draft, "S1.1").needs_review
    assert card(page, "S1.1").locator(".carried-review").count() == 0
    assert button.is_hidden()


def test_the_cards_own_button_confirms_one_carried_answer(page, client):
    draft = carried_draft(client)
    log_in(page, "coordinator")
    page.goto(f"/assessments/{draft.pk}/services/")
    card(page, "S1.1").locator(".carried-review button").click()
    wait_saved(page, "S1.1")
    assert not stored(draft, "S1.1").needs_review
