"""A PostgreSQL server of the test's own (as scripts/with-postgres.sh starts one), so the test can
stop and start it under a worker. Skips the test when PostgreSQL is not installed."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            pytest.skip("PostgreSQL is not installed (Debian package postgresql; CI installs it)")
        self.bin = Path(binaries[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="cdm-pg-test-"))
        self.port = free_port()
        self.prefix = []
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            try:
                shutil.chown(self.folder, user="postgres")
            except LookupError:
                pytest.skip("running as root without a 'postgres' user to run PostgreSQL as")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://cdm@127.0.0.1:{self.port}/cdm"

    def run(self, tool: str, *args) -> None:
        subprocess.run([*self.prefix, str(self.bin / tool), *args], check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        data = str(self.folder / "data")
        self.run("initdb", "-D", data, "-U", "cdm", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "cdm", "cdm")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            "pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w", "-o", options, "start"
        )

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
