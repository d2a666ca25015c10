"""prepare_database, what `make serve` runs before each start: migrations, the cache table, and the
way to the first administrator; never an account of its own."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def prepare() -> str:
    out = StringIO()
    call_command("prepare_database", stdout=out)
    return out.getvalue()


def test_on_a_database_without_an_administrator_it_says_how_to_create_one_and_creates_none():
    make_user(username="respondent")
    output = prepare()
    assert "manage.py createsuperuser" in output
    assert list(User.objects.values_list("username", flat=True)) == ["respondent"]


def test_once_there_is_an_administrator_it_says_nothing_about_it():
    make_user(staff=True)
    assert "createsuperuser" not in prepare()


def test_an_inactive_administrator_does_not_count():
    make_user(staff=True, is_active=False)
    assert "createsuperuser" in prepare()
