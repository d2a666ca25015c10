"""With DEBUG off, the 403, 404 and 500 pages are the app's own, in the reader's language: what
happened and the way home, never the URL list or a traceback."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from assessment.models import Question
from config import errors
from config import urls as app_urls
from tests.assessment.answering_helpers import make_team
from tests.factories import make_user, make_version

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("a bug in a view")


# The URLconf of these tests: the app's own URLs and error handlers, and a view that fails.
urlpatterns = [*app_urls.urlpatterns, path("broken/", broken)]
handler500 = app_urls.handler500

TEXTS = {
    "zh-hans": {403: "无权操作", 404: "找不到此页面", 500: "出错了", "home": "返回首页"},
    "en": {403: "Not allowed", 404: "Page not found", 500: "Something went wrong", "home": "Back to the home page"},
}


@pytest.fixture(autouse=True)
def production():
    with override_settings(DEBUG=False, ROOT_URLCONF=__name__):
        yield


def reader(language, user=None):
    """A browser set to `language`, logged in as `user`, that gets the response of a failing view."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def assert_app_error_page(response, status, language):
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in body
    assert 'class="navbar-brand' in body  # the app's own layout (base.html)
    assert TEXTS[language][status] in body
    assert f'href="{reverse("home")}"' in body and TEXTS[language]["home"] in body
    assert "Using the URLconf" not in body and "Traceback" not in body and "a bug in a view" not in body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_official_opening_another_citys_assessment_gets_the_apps_404(language):
    team = make_team()
    response = reader(language, team.other_official).get(reverse("assessment_overview", args=[team.assessment.pk]))
    assert_app_error_page(response, 404, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_anonymous_reader_of_an_unknown_address_gets_the_apps_404(language):
    response = reader(language).get("/no-such-page/")
    assert_app_error_page(response, 404, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_changing_a_published_question_gets_the_apps_403(language):
    make_version(publish=True)
    question = Question.objects.get(code="G1.2")
    url = reverse("admin:assessment_question_change", args=[question.pk])
    response = reader(language, make_user(staff=True)).post(url, {"text_zh": "改了"})
    assert_app_error_page(response, 403, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_failing_view_gets_the_apps_500(language):
    response = reader(language, make_user()).get("/broken/")
    assert_app_error_page(response, 500, language)


def test_the_500_page_needs_neither_the_database_nor_a_logged_in_user(django_assert_num_queries):
    request = RequestFactory().get("/broken/", HTTP_ACCEPT_LANGUAGE="en")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert_app_error_page(response, 500, "en")


def test_the_500_page_falls_back_to_a_bare_message_when_it_cannot_be_rendered(monkeypatch):
    def fail(*args, **kwargs):
        raise ValueError("no such static file")

    monkeypatch.setattr(errors.loader, "render_to_string", fail)
    response = errors.server_error(RequestFactory().get("/broken/"))
    assert response.status_code == 500 and b"Server Error (500)" in response.content
