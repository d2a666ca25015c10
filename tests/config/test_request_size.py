"""A request body larger than the app takes is refused by its Content-Length, before it is read:
a small cap before logging in, one above the largest upload after; and the largest legitimate
bodies still pass. (tests/config/test_live_server.py streams 200 MB bodies at a real gunicorn.)"""

import json
import logging

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.answering import assign_directions
from assessment.bank_file import import_bank
from assessment.evidence import MAX_EVIDENCE_BYTES
from assessment.lifecycle import start_assessment
from assessment.models import Question
from cities.models import MembershipRole
from tests.assessment.answering_helpers import make_team, post_answer, stored
from tests.factories import bank_with_questions, make_city, make_official

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def reader(language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [("en", "Too large to receive", "Log in first"), ("zh-hans", "内容过大", "请先登录")],
)
def test_an_anonymous_post_larger_than_the_login_form_needs_gets_the_apps_413(language, heading, advice):
    response = reader(language).post(reverse("login"), {"username": "x", "password": "y" * 100_000})
    assert response.status_code == 413
    body = response.content.decode()
    assert f'<html lang="{language}">' in body and 'class="navbar-brand' in body
    assert heading in body and advice in body
    assert (
        "script-src 'self'" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    )


def test_a_login_of_ordinary_size_is_not_refused(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "p" * 1000})
    assert response.status_code == 200  # the form again, with its error


def test_the_refusal_is_logged_with_its_status(client, caplog):
    with caplog.at_level(logging.INFO, logger="cdm.request"):
        client.post(reverse("login"), {"password": "y" * 100_000})
    assert [r.status for r in caplog.records if r.name == "cdm.request"] == [413]


def test_an_autosave_with_a_file_above_the_cap_gets_json_the_page_shows(client):
    team = make_team()
    client.force_login(team.services)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (13 * MB))
    response = post_answer(client, team.assessment, "S1.1", {"level": 3}, files={"evidence_file": big})
    assert response.status_code == 413
    data = response.json()
    assert data["status"] == "invalid"
    assert (
        "larger than the 12.0\xa0MB" in data["errors"]["request"][0] and "smaller file" in data["errors"]["request"][0]
    )
    assert stored(team.assessment, "S1.1") is None


def test_an_evidence_file_of_the_largest_allowed_size_is_saved(client):
    team = make_team()
    client.force_login(team.services)
    largest = SimpleUploadedFile("largest.pdf", b"%PDF-1.4\n" + b"0" * (MAX_EVIDENCE_BYTES - 9))
    response = post_answer(client, team.assessment, "S1.1", {"level": 3}, files={"evidence_file": largest})
    assert response.status_code == 200, response.content
    assert stored(team.assessment, "S1.1").evidence_file.size == MAX_EVIDENCE_BYTES


def entry_of(question, comment):
    value = {"level": {"level": 3}, "yes_no": {"yes": True}, "checklist": {"items": ["a"]}, "number": {"number": 50}}
    return {"question": question.code, "revision": 0, **value[question.type], "comment": comment}


def test_a_batch_above_djangos_default_body_size_is_saved(client):
    """2.5 MB is Django's default cap for a body read into memory; a batch of 300 answers with long
    Chinese comments is 4.4 MB, and is taken."""
    version = import_bank(bank_with_questions(1200), publish=True)
    city = make_city()
    official = make_official(city, role=MembershipRole.COORDINATOR)
    assessment = start_assessment(city=city, year=2026, user=official, version=version)
    assign_directions(assessment=assessment, assignments={"services": [official]})
    questions = list(Question.objects.filter(dimension__version=version, dimension__direction="services"))
    body = json.dumps({"answers": [entry_of(q, "字" * 5000) for q in questions]}, ensure_ascii=False)
    assert 4 * MB < len(body.encode()) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(official)
    url = reverse("answers_save_batch", args=[assessment.pk, "services"])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["status"] == "saved"
    assert assessment.answers.count() == len(questions) == 300


def test_a_json_body_above_the_memory_cap_gets_a_json_413(client):
    team = make_team()
    client.force_login(team.services)
    url = reverse("answers_save_batch", args=[team.assessment.pk, "services"])
    body = json.dumps({"answers": [{"question": "S1.1", "revision": 0, "comment": "x" * (9 * MB)}]})
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 413
    assert "Send less at once" in response.json()["errors"]["request"][0]


def test_a_body_sent_in_chunks_is_refused_with_411(client):
    response = client.post(reverse("login"), b"", content_type="text/plain", headers={"Transfer-Encoding": "chunked"})
    assert response.status_code == 411


def test_a_batch_as_large_as_the_server_lets_through_is_read(client):
    """The batch parser reads as much as the request cap lets through (8 MB), not only the 5 MB of a
    file import: 500 answers with 5,000-character Chinese comments."""
    team = make_team()
    client.force_login(team.services)
    url = reverse("answers_save_batch", args=[team.assessment.pk, "services"])
    answers = [{"question": f"X{n}", "revision": 0, "comment": "字" * 5000} for n in range(500)]
    body = json.dumps({"answers": answers}, ensure_ascii=False)
    assert 6 * MB < len(body.encode()) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert {entry["status"] for entry in response.json()["answers"]} == {"invalid"}  # no such questions


def test_an_autosave_too_large_for_a_visitor_without_session_gets_the_login_answer():
    """After logging out in another tab, the answering page's autosave must show its login banner (it
    reads a 401), not a refusal."""
    team = make_team()
    response = Client().post(
        reverse("answer_save", args=[team.assessment.pk, Question.objects.get(code="S1.1").pk]),
        {"revision": 0, "comment": "字" * 5000, "evidence_file": SimpleUploadedFile("a.pdf", b"%PDF" + b"0" * 70_000)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401 and response.json()["status"] == "login"
