"""Every request leaves one line on the `cdm.request` log: also one that fails before its view
(the database down), and one that a middleware refuses on the way in."""

import logging
import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import make_user


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "cdm.request"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_down():
    """The database cannot be reached: a new connection to it fails as in an outage (SQLite: the
    file's folder is gone; PostgreSQL: nothing listens on the port)."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/database/folder/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_a_request_during_a_database_outage_is_logged_once_with_status_500(caplog):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(username="outage"))
    with database_down(), caplog.at_level(logging.INFO, logger="cdm.request"):
        response = client.get(reverse("home"), headers={"X-Request-ID": "outage-1"})
    assert response.status_code == 500
    lines = request_lines(caplog)
    assert len(lines) == 1
    line = lines[0]
    assert (line.method, line.path, line.status, line.request_id) == ("GET", "/", 500, "outage-1")
    assert line.user_id is None  # the user could not be read, and the log does not try again
    assert response["X-Request-ID"] == "outage-1"


@pytest.mark.django_db
def test_a_request_redirected_to_https_by_the_security_middleware_is_logged(client, caplog, settings):
    settings.SECURE_SSL_REDIRECT = True
    with caplog.at_level(logging.INFO, logger="cdm.request"):
        response = client.get(reverse("login"))
    assert response.status_code == 301
    assert [line.status for line in request_lines(caplog)] == [301]


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_is_logged_with_its_400(caplog):
    with caplog.at_level(logging.INFO, logger="cdm.request"):
        response = Client(raise_request_exception=False).get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert [line.status for line in request_lines(caplog)] == [400]


@pytest.mark.django_db
def test_a_logged_in_request_names_its_user(client, caplog):
    user = make_user(username="named")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="cdm.request"):
        client.get(reverse("questionnaire_current"))
    assert [line.user_id for line in request_lines(caplog)] == [user.pk]
