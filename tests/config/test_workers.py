"""Two report workers on one database queue never run the same task twice."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.live_gunicorn import database_url
from tests.tasks_probe import note_run

ROOT = Path(__file__).resolve().parents[2]
TASKS = 40

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_share_the_queue_and_run_every_task_exactly_once(tmp_path):
    notes = tmp_path / "runs.txt"
    for number in range(TASKS):
        note_run.enqueue(path=str(notes), number=number)
    environment = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    runs = [line.split() for line in notes.read_text().splitlines()]
    per_task = Counter(number for number, _ in runs)
    assert sorted(int(number) for number in per_task) == list(range(TASKS))
    assert set(per_task.values()) == {1}, "a task ran twice"
    by_worker = Counter(pid for _, pid in runs)
    assert len(by_worker) == 2, f"both workers should have taken tasks: {by_worker}"
