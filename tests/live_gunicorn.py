"""A real gunicorn with the app's config/gunicorn.conf.py on the test database, for tests that need
the production server itself: bodies on the wire, its processes' memory, its log lines."""

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, as a DATABASE_URL another process can use."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Gunicorn:
    """gunicorn with one worker on a free port of 127.0.0.1, in production settings (DEBUG off)
    plus `environment`; every line it writes is kept in `lines`."""

    def __init__(self, **environment):
        leave_out = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
        self.environment = {k: v for k, v in os.environ.items() if k not in leave_out}
        self.environment.update(
            DEBUG="0",
            SECRET_KEY=settings.SECRET_KEY,  # sessions made by the tests' own client stay valid
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_COOKIES="0",
            DATABASE_URL=database_url(),
            **{name: str(value) for name, value in environment.items()},
        )
        self.lines: list[str] = []
        self.port = None

    def __enter__(self):
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py"]
        # The address and worker count of this test, and no control socket (another gunicorn's).
        command += ["--bind", "127.0.0.1:0", "--workers", "1", "--no-control-socket"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 60
        while self.port is None:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("gunicorn did not start:\n" + "\n".join(self.lines))
            time.sleep(0.05)
        return self

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def worker_peak_memory(self) -> int:
        """The worker's peak resident memory so far, in bytes (VmHWM)."""
        status = Path(f"/proc/{self.worker_pid()}/status").read_text()
        return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024

    def records(self) -> list[dict]:
        """The lines written so far, read as JSON (each must be one object)."""
        return [json.loads(line) for line in self.lines if line.strip()]
