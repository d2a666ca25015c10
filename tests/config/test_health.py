"""/healthz: the database and the file storage, for the load balancer, and the worker's last
heartbeat, which never fails it; /healthz/worker: 503 when no worker was seen for 2 minutes.
Anonymous, nothing else revealed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config import health
from tests.background.lost_workers import beat

pytestmark = pytest.mark.django_db

NO_WORKER = {"status": "none", "last_heartbeat": None}


def test_healthz_answers_ok_when_the_database_and_the_storage_work(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "worker": NO_WORKER}
    assert not list((tmp_path / "evidence" / "healthz").iterdir())  # the probe file is gone again
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_storage_when_files_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "storage": "failed", "worker": NO_WORKER}


def test_healthz_answers_503_naming_the_database_when_it_fails(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    unknown = {"status": "unknown", "last_heartbeat": None}
    assert response.json() == {"database": "failed", "storage": "ok", "worker": unknown}
    assert "refused" not in response.content.decode()


def test_healthz_names_the_workers_last_heartbeat_and_stays_200_without_a_worker(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seen = beat("w1", ago=timedelta(minutes=5)).seen_at
    response = client.get("/healthz")
    assert response.status_code == 200  # the web tier works: the load balancer keeps sending users
    worker = response.json()["worker"]
    assert worker == {"status": "stale", "last_heartbeat": timezone.localtime(seen).isoformat(timespec="seconds")}
    assert worker["last_heartbeat"].endswith("+08:00")  # with its offset


@pytest.mark.parametrize(
    ("ago", "status", "code"),
    [(timedelta(seconds=30), "ok", 200), (timedelta(seconds=119), "ok", 200), (timedelta(seconds=121), "stale", 503)],
)
def test_healthz_worker_answers_503_when_no_worker_was_seen_for_two_minutes(client, ago, status, code):
    beat("old", ago=timedelta(hours=1))
    beat("latest", ago=ago)
    response = client.get("/healthz/worker")
    assert (response.status_code, response.json()["status"]) == (code, status)
    assert response.json()["last_heartbeat"] and "no-cache" in response["Cache-Control"]


def test_healthz_worker_answers_503_when_no_worker_was_ever_seen(client):
    response = client.get("/healthz/worker")
    assert response.status_code == 503 and response.json() == NO_WORKER


def test_the_health_time_is_a_setting(client, settings):
    settings.WORKER_HEALTH_AFTER = 10
    beat("w", ago=timedelta(seconds=20))
    assert client.get("/healthz/worker").status_code == 503


def test_both_health_checks_answer_over_plain_http_behind_the_tls_proxy():
    """The load balancer and the worker's monitor ask over plain HTTP: neither is redirected to HTTPS."""
    import subprocess
    import sys

    script = (
        "import django, re; django.setup(); from django.conf import settings; "
        "print(all(any(re.search(p, path) for p in settings.SECURE_REDIRECT_EXEMPT) "
        "for path in ('healthz', 'healthz/worker')), settings.SECURE_SSL_REDIRECT)"
    )
    environment = {"DJANGO_SETTINGS_MODULE": "config.settings", "BEHIND_TLS_PROXY": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]
