"""Resetting a forgotten password by mail exists only once the app can send mail (EMAIL_HOST)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def reset_pages(user):
    token_url = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return [reverse("password_reset"), reverse("password_reset_done"), token_url, reverse("password_reset_complete")]


def test_without_mail_every_password_reset_page_is_not_found(client, settings):
    settings.EMAIL_HOST = ""
    user = make_user(username="forgetful")
    for url in reset_pages(user):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.gov.cn"})
    assert response.status_code == 404
    assert mail.outbox == []


def test_without_mail_the_login_page_says_whom_to_ask(client, settings):
    settings.EMAIL_HOST = ""
    body = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") not in body
    assert "Ask your city's coordinator or the administrator to set a new one" in body


def test_with_mail_configured_a_forgotten_password_is_reset_by_mail(client, settings):
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    make_user(username="remembers", email="remembers@example.gov.cn")
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "remembers@example.gov.cn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [["remembers@example.gov.cn"]]


def test_changing_ones_own_password_needs_no_mail(client, settings):
    settings.EMAIL_HOST = ""
    client.force_login(make_user(username="changer"))
    assert client.get(reverse("password_change")).status_code == 200


def test_mail_is_off_until_email_host_is_set():
    code = "import django; django.setup(); from accounts.mail import mail_configured; print(mail_configured())"
    base = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    settings_module = {"DJANGO_SETTINGS_MODULE": "config.settings"}
    without, with_host = (
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**base, **settings_module, **extra},
            capture_output=True,
            text=True,
        )
        for extra in ({}, {"EMAIL_HOST": "smtp.example.gov.cn"})
    )
    assert (without.stdout.strip(), with_host.stdout.strip()) == ("False", "True"), without.stderr + with_host.stderr
