"""Forwarded headers are believed only from the proxies in TRUSTED_PROXIES: the client's address for
login throttling (X-Forwarded-For) and whether the request came over TLS (X-Forwarded-Proto)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.security import client_ip
from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def attempt(client, username, password, address, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def address_of(remote_addr, forwarded_for=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_ip(RequestFactory().get("/", **meta))


@pytest.fixture
def behind_tls_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def test_a_direct_client_rotating_forwarded_for_is_locked_out_after_the_limit(client, behind_tls_proxy):
    make_user(username="victim")
    for number in range(25):
        attempt(client, f"guess-{number}", "password", "198.51.100.7", forwarded_for=f"10.0.{number}.1")
    response = attempt(client, "victim", PASSWORD, "198.51.100.7", forwarded_for="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, behind_tls_proxy):
    make_user(username="wu")
    for number in range(10):
        attempt(client, f"guess-{number}", "password", "127.0.0.1", forwarded_for="203.0.113.9")
    assert attempt(client, "wu", PASSWORD, "127.0.0.1", forwarded_for="203.0.113.9").status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    assert attempt(client, "wu", PASSWORD, "127.0.0.1", forwarded_for="203.0.113.10").status_code == 302


def test_the_address_is_the_first_untrusted_one_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.1.0.0/16"]
    # The client made up 192.0.2.1; the first proxy saw 203.0.113.9; a second proxy saw the first.
    assert address_of("127.0.0.1", "192.0.2.1, 203.0.113.9, 10.1.4.4") == "203.0.113.9"
    assert address_of("10.1.4.5", "203.0.113.9") == "203.0.113.9"


def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address_of("198.51.100.7", "203.0.113.9") == "198.51.100.7"
    assert address_of("127.0.0.1") == "127.0.0.1"


def test_a_chain_of_trusted_proxies_only_gives_its_leftmost_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert address_of("127.0.0.1", "10.2.2.2, 10.3.3.3") == "10.2.2.2"


def test_a_forwarded_entry_that_is_no_address_stops_the_walk(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert address_of("127.0.0.1", "not-an-address, 10.3.3.3") == "10.3.3.3"
    assert address_of("127.0.0.1", "") == "127.0.0.1"


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXIES = ["::1", "fd00::/8"]
    assert address_of("::1", "2001:db8::7, fd00::2") == "2001:db8::7"


def test_forwarded_proto_from_an_untrusted_peer_does_not_make_a_request_secure(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    direct = client.get(reverse("login"), REMOTE_ADDR="198.51.100.7", headers={"X-Forwarded-Proto": "https"})
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    proxied = client.get(reverse("login"), REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200


def test_gunicorn_trusts_the_same_proxies_as_the_app(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.1.0.0/16")
    gunicorn_settings = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert gunicorn_settings["forwarded_allow_ips"] == "127.0.0.1,10.1.0.0/16"


def test_a_trusted_proxy_that_is_no_address_refuses_to_start():
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    environment.update(TRUSTED_PROXIES="127.0.0.1, nginx.local", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES must be IP addresses or networks" in result.stderr
    assert "'nginx.local'" in result.stderr
