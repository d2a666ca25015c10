"""In a real browser: the answering page's layout at 1280 px and on a phone (390 px): the five level
cards, the current direction's progress, and the language switch outside the phone menu."""

import itertools

import pytest

from tests.assessment.answering_helpers import make_team
from tests.browser.conftest import screenshot, watch_content_security_policy
from tests.browser.test_answering_journey import card, wait_saved
from tests.browser.test_foundation_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE, "height": 844}, is_mobile=True, locale="zh-CN"
    )
    page = context.new_page()
    return context, page, watch_content_security_policy(page)


def boxes(locator):
    return [locator.nth(i).bounding_box() for i in range(locator.count())]


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a computed colour "rgb(r, g, b)"."""
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_five_level_cards_make_one_row_on_a_desktop(page):
    team = make_team()
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    cards = boxes(card(page, "S1.1").locator(".level-card"))
    assert len(cards) == 5
    assert len({round(box["y"]) for box in cards}) == 1, cards
    widths = [box["width"] for box in cards]
    assert max(widths) - min(widths) < 1


def test_the_five_level_cards_stack_on_a_phone(browser, live_server):
    team = make_team()
    context, page, refused = phone(browser, live_server)
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    cards = boxes(card(page, "S1.1").locator(".level-card"))
    assert len(cards) == 5
    for above, below in itertools.pairwise(cards):
        assert below["y"] >= above["y"] + above["height"], (above, below)
    for box in cards:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    context.close()
    assert refused == []


def test_the_current_directions_progress_stands_out_from_its_blue_item(page):
    team = make_team()
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    card(page, "S1.1").locator(".level-card").nth(2).click()  # 1 of 2 answered: the bar is half filled
    wait_saved(page, "S1.1")
    item = page.locator(".progress-list .active")
    assert item.get_attribute("data-direction") == "services"
    colours = item.evaluate(
        """(item) => [item, item.querySelector('.progress-bar')].map((e) => getComputedStyle(e).backgroundColor)"""
    )
    assert contrast(*colours) >= 3, colours  # WCAG 1.4.11: a part of a graphic against what is beside it
    screenshot(page, "answering-progress-current")


def test_the_language_switch_is_on_a_phone_screen_without_opening_the_menu(browser, live_server):
    team = make_team()
    context, page, refused = phone(browser, live_server)
    log_in(page, "services")
    page.goto(f"/assessments/{team.assessment.pk}/services/")
    assert not page.locator("#main-nav").is_visible()  # the menu is closed
    english = page.locator("#language-form button[value=en]")
    assert english.is_visible()
    box, toggler = english.bounding_box(), page.locator(".navbar-toggler").bounding_box()
    assert box["x"] + box["width"] <= toggler["x"] and abs(box["y"] - toggler["y"]) < toggler["height"]  # one line
    screenshot(page, "phone-navbar-zh")
    english.click()
    page.wait_for_url(f"**/assessments/{team.assessment.pk}/services/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#language-form button[value=zh-hans]").is_visible()
    context.close()
    assert refused == []
