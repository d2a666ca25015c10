"""A worker process lives through database errors (here its tables cannot be read for a few
seconds; a real PostgreSQL restart is in test_postgres_restart.py) and then works again."""

import time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.models import WorkerHeartbeat
from tests.background.faults import failing_database_url, tables_unavailable
from tests.background.processes import log_of, wait_for
from tests.tasks_probe import note_run

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [DBTaskResult._meta.db_table, WorkerHeartbeat._meta.db_table]


def test_the_worker_waits_out_a_database_outage_then_runs_the_next_task(processes, tmp_path):
    environment = {"DATABASE_URL": failing_database_url(), "WORKER_STALE_AFTER": "5", "WORKER_HEALTH_AFTER": "4"}
    worker = processes.worker(env=environment)  # beats each second
    wait_for(WorkerHeartbeat.objects.exists, timeout=20, what="the first heartbeat")
    with tables_unavailable(*TABLES):
        wait_for(
            lambda: (
                "the database is unavailable" in log_of(worker) and "could not record its heartbeat" in log_of(worker)
            ),
            timeout=10,
            what="the worker to say the database is unavailable",
        )
        time.sleep(2)  # a few more failed rounds
        assert worker.poll() is None, log_of(worker)
    back = timezone.now()
    notes = tmp_path / "runs.txt"
    result = note_run.enqueue(path=str(notes), number=7)
    wait_for(notes.exists, timeout=10, what="the task enqueued after the outage to run")
    wait_for(
        lambda: DBTaskResult.objects.filter(pk=result.id, status="SUCCESSFUL").exists(), timeout=5, what="its result"
    )
    wait_for(
        WorkerHeartbeat.objects.filter(seen_at__gt=back).exists, timeout=5, what="the heartbeat to be recorded again"
    )
    assert worker.poll() is None
    log = log_of(worker)
    assert "heartbeat recorded again" in log
    # One line per try, and the tries wait longer and longer: a handful, not one every 0.2 s.
    assert 2 <= log.count("the database is unavailable") <= 6, log
    assert "Traceback" not in log, log
