"""A worker on PostgreSQL lives through a restart of the server (about 3 s down): the task it was
running gets its result recorded, its heartbeat resumes, a task queued afterwards runs, and the
health checks tell the truth throughout."""

import json
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.background.private_postgres import PrivatePostgres, free_port
from tests.background.processes import log_of, wait_for

OUTAGE = 3.0  # seconds the server is down
LAST_BEAT = "SELECT max(seen_at) FROM background_workerheartbeat"


@pytest.fixture
def postgres():
    server = PrivatePostgres()
    server.create()
    yield server
    server.remove()


def health(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except (urllib.error.URLError, TimeoutError):  # not listening yet, or too busy to answer: no answer
        return 0, {}


def query(url: str, sql: str, *args):
    """One value from the private server, or None while it is down."""
    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            row = connection.execute(sql, args).fetchone()
            return row[0] if row else None
    except psycopg.OperationalError:
        return None


def task_status(url: str, number: int):
    return query(
        url,
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE args_kwargs->'kwargs'->>'number' = %s",
        str(number),
    )


def enqueue(processes, env: dict, code: str) -> None:
    shell = processes.manage("shell", "-c", f"from tests import tasks_probe; tasks_probe.{code}", name="shell", env=env)
    assert shell.wait(timeout=30) == 0, log_of(shell)


def test_the_worker_lives_through_a_postgresql_restart(postgres, processes, tmp_path):
    # Beats every 2 s (a quarter of the health time), so the test sees it resume soon.
    env = {"DATABASE_URL": postgres.url, "MEDIA_ROOT": str(tmp_path / "media"), "WORKER_HEALTH_AFTER": "8"}
    migrate = processes.manage("migrate", "-v", "0", name="migrate", env=env)
    assert migrate.wait(timeout=60) == 0, log_of(migrate)
    worker = processes.worker(env=env)
    port = free_port()
    processes.manage("runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}", name="web", env=env)
    wait_for(lambda: health(port, "/healthz/worker")[0] == 200, timeout=20, what="the worker's first heartbeat")

    notes = tmp_path / "runs.txt"
    enqueue(processes, env, f"sleep_then_note.enqueue(path={str(notes)!r}, number=1, seconds=2)")
    wait_for(lambda: task_status(postgres.url, 1) == "RUNNING", timeout=10, what="the long task to start")

    last_beat = query(postgres.url, LAST_BEAT)
    postgres.stop()
    down, answers = time.monotonic(), []
    while time.monotonic() - down < OUTAGE:
        answers.append((health(port, "/healthz"), health(port, "/healthz/worker")))
        time.sleep(0.3)
    postgres.start()
    up = time.monotonic()

    assert worker.poll() is None, log_of(worker)
    unknown = {"status": "unknown", "last_heartbeat": None}
    answered = [(general, worker) for general, worker in answers if general[0] and worker[0]]
    assert answered, "the web server answered nothing during the outage"
    for (status, body), (worker_status, worker_body) in answered:
        assert status == 503 and body["database"] == "failed" and body["worker"] == unknown
        assert worker_status == 503 and worker_body == unknown

    wait_for(lambda: task_status(postgres.url, 1) == "SUCCESSFUL", timeout=15, what="the long task's result")
    recorded = time.monotonic() - up
    assert notes.read_text().split()[0] == "1"
    wait_for(lambda: (query(postgres.url, LAST_BEAT) or last_beat) > last_beat, timeout=10, what="a heartbeat")
    beating = time.monotonic() - up
    enqueue(processes, env, f"note_run.enqueue(path={str(notes)!r}, number=2)")
    wait_for(lambda: task_status(postgres.url, 2) == "SUCCESSFUL", timeout=10, what="a task queued after the restart")
    status, body = health(port, "/healthz/worker")
    assert status == 200 and body["status"] == "ok", body
    status, body = health(port, "/healthz")
    assert status == 200 and body["database"] == "ok" and body["worker"]["status"] == "ok", body
    assert worker.poll() is None
    print(f"{OUTAGE:.0f} s down; back since {recorded:.1f} s: the result recorded; {beating:.1f} s: beating")
    assert "Traceback" not in log_of(worker), log_of(worker)
