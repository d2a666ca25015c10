import pytest
from django.utils import translation


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
