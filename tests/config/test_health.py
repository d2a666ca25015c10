"""/healthz: the database and the file storage, for the load balancer; anonymous, nothing else revealed."""

import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_and_the_storage_work(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"database": "ok", "storage": "ok"}
    assert not list((tmp_path / "evidence" / "healthz").iterdir())  # the probe file is gone again
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_storage_when_files_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"database": "ok", "storage": "failed"}


def test_healthz_answers_503_naming_the_database_when_it_fails(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"database": "failed", "storage": "ok"}
    assert "refused" not in response.content.decode()
