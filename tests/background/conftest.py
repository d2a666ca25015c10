import pytest

from tests.background.processes import Processes


@pytest.fixture
def processes(tmp_path):
    """Start worker (and other `manage.py`) processes; those still running are stopped at the end."""
    running = Processes(tmp_path)
    yield running
    running.stop_all()
