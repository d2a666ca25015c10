"""`make serve`, the production stack on one machine (docs/deployment.md): really started, with nginx,
gunicorn and the report worker, against a fresh SQLite database on free ports.

The first start is shared by the tests of this module (it migrates a new database, and collects
the static files if nothing did yet); the last test starts the stack a second time.
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not shutil.which("nginx", path="/usr/sbin:/usr/bin:/usr/local/sbin"),
    reason="nginx is not installed: `scripts/system-packages.sh test` installs it",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """One `make serve` in its own process group, its output in a file."""

    def __init__(self, folder: Path, database: Path):
        self.port = free_port()
        self.state = folder / "state"
        self.log = folder / "serve.log"
        # Not the jobserver of a `make test` that runs these tests.
        environment = {
            key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
        }
        environment |= {
            "DATABASE_URL": f"sqlite:///{database}",
            "MEDIA_ROOT": str(folder / "media"),
            "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-django-to-accept-it",
            "WEB_CONCURRENCY": "2",  # 8 threads: fewer than the 50 slow clients below
        }
        command = ["make", "--no-print-directory", "serve", f"PORT={self.port}", f"SERVE_DIR={self.state}"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str):
        return urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5)

    def wait_until_healthy(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"make serve exited:\n{self.output()}"
            try:
                with self.get("/healthz") as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"make serve did not answer within {timeout} s:\n{self.output()}")

    def worker_pid(self) -> int:
        """The pid of the report worker serve.py last said it started."""
        assert wait_for(lambda: "runs again" in self.output() or "report worker (pid" in self.output(), 10)
        return int(re.findall(r"report worker (?:\(|runs again \()pid (\d+)", self.output())[-1])

    def stop(self, signal_number: int) -> None:
        os.killpg(self.process.pid, signal_number)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return tmp_path_factory.mktemp("serve-db") / "db.sqlite3"


@pytest.fixture(scope="module")
def served(tmp_path_factory, database):
    """A first `make serve` on a database that does not exist yet; Ctrl+C stops it afterwards."""
    serve = Serve(tmp_path_factory.mktemp("serve"), database)
    try:
        serve.wait_until_healthy()
        yield serve
    finally:
        serve.stop(signal.SIGINT)


def test_serve_on_an_empty_database_creates_no_account_and_says_how_to_create_the_first_administrator(served, database):
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM accounts_user").fetchone() == (0,)
    output = served.output()
    assert ".venv/bin/python manage.py createsuperuser" in output
    assert "demo-2026" not in output


def test_requests_reach_the_app_through_nginx(served):
    with served.get("/healthz") as response:
        assert response.headers["Server"] == "nginx"
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])  # nginx's $request_id


def test_health_checks_answer_promptly_while_fifty_slow_clients_hold_connections(served):
    # Without a buffering proxy, 50 clients sending their headers a byte at a time hold all of
    # gunicorn's 8 threads and no health check is answered.
    benchmark = [sys.executable, str(ROOT / "benchmarks" / "slow_clients.py"), "--port", str(served.port), "--json"]
    benchmark += ["--connections", "50", "--checks", "3", "--interval", "2", "--check-timeout", "5", "--drip", "1"]
    summary = json.loads(subprocess.run(benchmark, capture_output=True, text=True, timeout=60, check=True).stdout)
    assert summary["opened"] == 50
    assert summary["answered"] == 3, summary


def test_serve_starts_the_report_worker_again_when_it_exits(served):
    worker = served.worker_pid()
    os.kill(worker, signal.SIGKILL)
    assert wait_for(lambda: served.worker_pid() != worker, timeout=15), served.output()
    assert f"the report worker exited with code {-signal.SIGKILL}" in served.output()
    assert alive(served.worker_pid())


def test_a_second_start_only_migrates_and_sigterm_stops_the_whole_stack(served, database, tmp_path):
    again = Serve(tmp_path, database)
    try:
        again.wait_until_healthy()
        output = again.output()
        assert "Collecting static files" not in output
        assert "Compiling translations" not in output
        assert "Applying" not in output
        assert "No administrator yet" in output
        nginx = int((again.state / "nginx" / "nginx.pid").read_text())
        gunicorn = int(re.search(r"Listening at: \S+ \((\d+)\)", output).group(1))
        worker = again.worker_pid()
        again.process.send_signal(signal.SIGTERM)  # to make alone, as `kill` would: it passes it on
        again.process.wait(60)
        assert '"logger": "cdm.serve", "message": "stopped"' in again.output()  # in the log format of the app
        assert not any(alive(pid) for pid in (nginx, gunicorn, worker))
    finally:
        if again.process.poll() is None:
            again.stop(signal.SIGKILL)
