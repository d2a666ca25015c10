"""Real worker processes for the tests: started on the test database (or another), logged to a
file, and always stopped at the end of the test."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.config.test_workers import database_url

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout: float, what: str, every: float = 0.05):
    """Poll `condition` until it returns something true; that is returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


class Processes:
    """Starts `manage.py` commands as subprocesses and kills whatever still runs at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.started: list[subprocess.Popen] = []

    def manage(self, *args, name: str, env: dict | None = None) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 — the process writes it
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        process.log_path = self.folder / f"{name}.log"
        self.started.append(process)
        return process

    def worker(self, *args, name: str = "worker", env: dict | None = None) -> subprocess.Popen:
        return self.manage(
            "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2", *args, name=name, env=env
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def log_of(process) -> str:
    return process.log_path.read_text(errors="replace")
