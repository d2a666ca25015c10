"""The question bank's admin pages fit a 1,280 px screen beside the admin's navigation: nothing
scrolls the page sideways, in either language."""

import pytest

from assessment.bank_file import clone_version, import_bank, read_bank_file
from assessment.models import Question, QuestionType
from assessment.versions import next_draft_code
from tests.browser.conftest import screenshot
from tests.browser.test_foundation_journey import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def change_url(obj):
    return f"/admin/assessment/{obj._meta.model_name}/{obj.pk}/change/"


def test_the_real_question_bank_fits_a_1280_px_screen_published_and_as_a_draft(page, live_server):
    published = import_bank(read_bank_file("fixtures/questionnaire-smc-2026.yaml"), publish=True)
    draft = clone_version(published, code=next_draft_code(published.code))  # what an administrator edits
    questions = Question.objects.filter(dimension__version=draft)
    pages = {
        "published version": change_url(published),
        "draft version": change_url(draft),
        "draft dimension": change_url(draft.dimensions.order_by("position").last()),
        "checklist question": change_url(questions.filter(type=QuestionType.CHECKLIST).first()),
        "level question": change_url(questions.filter(type=QuestionType.LEVEL).first()),
    }
    make_user(username="root", staff=True)
    log_in(page, "root")
    for language in ["zh-hans", "en"]:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for name, url in pages.items():
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, f"the {name} page is {width} px wide in {language}"
        page.goto(pages["draft version"])
        assert page.locator("input[name='dimensions-0-title_en']").is_editable()
        screenshot(page, f"admin-bank-draft-{language}")
