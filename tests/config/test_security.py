"""The front door: login throttling, Content-Security-Policy, security headers, `check --deploy`
and the structured request log."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, headers=headers
    )


# Login throttling -------------------------------------------------------------------------


def test_ten_failed_logins_lock_the_account_with_a_clear_message(client):
    user = make_user(username="zhang")
    for number in range(10):
        response = attempt(client, "zhang", f"wrong-{number}", address=f"198.51.100.{number}")
        assert response.status_code in (200, 429)
    response = attempt(client, "zhang", PASSWORD, address="198.51.100.200")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Login locked for a while" in text and "10 failed logins" in text and "15 minutes" in text
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_nine_failures_then_the_right_password_logs_in_and_clears_the_count(client):
    make_user(username="li")
    for number in range(9):
        assert attempt(client, "li", f"wrong-{number}").status_code == 200
    assert attempt(client, "li", PASSWORD).status_code == 302
    client.logout()
    for number in range(9):  # counted from zero again
        assert attempt(client, "li", f"wrong-{number}").status_code == 200
    assert attempt(client, "li", PASSWORD).status_code == 302


def test_ten_failures_from_one_address_lock_that_address_for_every_account(client):
    make_user(username="wang")
    for number in range(10):
        attempt(client, f"guess-{number}", "password", address="192.0.2.50")
    assert attempt(client, "wang", PASSWORD, address="192.0.2.50").status_code == 429
    assert attempt(client, "wang", PASSWORD, address="192.0.2.51").status_code == 302


def test_a_made_up_forwarded_for_header_does_not_escape_the_address_lock(client):
    for number in range(10):
        attempt(client, f"guess-{number}", "password", address="192.0.2.60", X_FORWARDED_FOR=f"10.0.0.{number}")
    make_user(username="zhao")
    response = attempt(client, "zhao", PASSWORD, address="192.0.2.60", X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_the_lockout_page_is_in_chinese_for_chinese_users(client):
    for number in range(10):
        attempt(client, "chen", f"wrong-{number}")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = attempt(client, "chen", "x")
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()


# Content-Security-Policy and headers -------------------------------------------------------


def test_every_page_gets_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_no_template_holds_an_inline_script_or_event_handler():
    """The policy would block them: every script is a file, every handler set from a script file."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def production_environment(**extra):
    # Not the test run's own settings (the browser tests allow async-unsafe calls for Playwright).
    leave_out = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="k" * 30 + "-production-secret-" + "q" * 30,
        ALLOWED_HOSTS="maturity.example.gov.cn",
        BEHIND_TLS_PROXY="1",
        **extra,
    )
    return environment


def test_check_deploy_is_clean_in_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_behind_the_proxy_plain_http_is_redirected_and_hsts_is_sent(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    assert client.get(reverse("login")).status_code == 301
    secure = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


# Structured request logs -------------------------------------------------------------------


def test_each_request_is_logged_once_with_its_id_status_duration_and_user(client, caplog):
    user = make_user(username="sun")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="cdm.request"):
        response = client.get(reverse("home"), headers={"X-Request-ID": "proxy-abc-123"})
    records = [r for r in caplog.records if r.name == "cdm.request"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/", 200, user.pk)
    assert record.request_id == "proxy-abc-123" == response["X-Request-ID"]
    assert record.duration_ms >= 0


def test_a_request_id_that_is_not_plain_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="cdm.request"):
        response = client.get(reverse("login"), headers={"X-Request-ID": "bad id\nwith newline"})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_production_log_lines_are_json_with_the_request_fields():
    config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(fmt=config["fmt"], rename_fields=config["rename_fields"])
    record = logging.LogRecord("cdm.request", logging.INFO, __file__, 1, "%s %s %s", ("GET", "/", 200), None)
    record.request_id, record.status, record.duration_ms = "abc", 200, 12.5
    line = json.loads(formatter.format(record))
    assert line["logger"] == "cdm.request" and line["level"] == "INFO" and line["message"] == "GET / 200"
    assert (line["request_id"], line["status"], line["duration_ms"]) == ("abc", 200, 12.5)


def test_production_settings_choose_json_logs():
    code = "import django; django.setup(); from django.conf import settings; print(settings.LOG_FORMAT)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_environment(), capture_output=True, text=True
    )
    assert result.stdout.strip() == "json", result.stderr
