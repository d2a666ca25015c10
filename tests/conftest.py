import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests read English unless they switch; the app itself defaults to Chinese."""
    with translation.override("en"):
        yield
