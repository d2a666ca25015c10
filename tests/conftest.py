from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation


def pytest_configure():
    """The SQLite test database is a file under var/ (see config/settings.py): make the folder."""
    test_name = django_settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_name:
        Path(test_name).parent.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests read English unless they switch; the app itself defaults to Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """A test client that reads English; tests of the Chinese default use `chinese_client`."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def chinese_client(db):
    from django.test import Client

    return Client()


@pytest.fixture(autouse=True)
def _fresh_bank_cache():
    """Each test builds its own database: forget the published versions a previous test cached."""
    from assessment import bank_cache, findings

    bank_cache.clear()
    findings.clear()
