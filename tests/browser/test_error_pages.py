"""The 404 and 500 pages, as a reader sees them (the live server runs with DEBUG off): the app's
layout, the reader's language, the way home, on a computer and on a phone."""

import pytest

from tests.browser.conftest import screenshot, watch_content_security_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "zh-hans": {"/no-such-page/": "找不到此页面", "/broken/": "出错了"},
    "en": {"/no-such-page/": "Page not found", "/broken/": "Something went wrong"},
}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_error_pages_are_the_apps_own_in_both_languages(browser, live_server, settings, width):
    settings.ROOT_URLCONF = "tests.config.test_error_pages"  # the app's URLs and a view that fails
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 844})
    page = context.new_page()
    refused = watch_content_security_policy(page)
    for language, headings in HEADINGS.items():
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path, heading in headings.items():
            response = page.goto(path)
            assert response.status == (404 if path == "/no-such-page/" else 500)
            assert page.locator("html").get_attribute("lang") == language
            assert page.get_by_role("heading", name=heading).is_visible()
            assert page.locator("main a[href='/']").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"error-{response.status}-{language}-{width}")
    context.close()
    assert refused == []
