"""`make serve`: nginx in front of gunicorn, and the report worker, started and watched together.

    .venv/bin/python scripts/serve.py --host 127.0.0.1 --port 8000 [--state-dir var]

The Makefile runs it once the database and the static files are ready, with the production
environment set (DEBUG=0, SECRET_KEY, …). It

1. binds a free loopback port and hands the listening socket to gunicorn (config/gunicorn.conf.py),
   so gunicorn is reachable only through nginx on this machine's loopback;
2. writes STATE_DIR/nginx/nginx.conf from config/nginx.conf.in and starts nginx on HOST:PORT,
   as the invoking user, with its pid, logs and temporary files in STATE_DIR/nginx/: nginx
   buffers every request whole, so slow clients never hold a gunicorn thread;
3. starts the report worker (`manage.py db_worker`, output in STATE_DIR/worker.log) and starts it
   again a few seconds after it exits, saying so;
4. stops all three on Ctrl+C, SIGTERM or SIGHUP: nginx first (no new requests), then gunicorn and
   the worker, each finishing what it is doing.

If nginx or gunicorn exits on its own, it stops the rest and exits non-zero: serving with half a
stack would hide the fault.
"""

import argparse
import ctypes
import grp
import logging
import logging.config
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "config" / "nginx.conf.in"
WORKER_RESTART_DELAY = 3  # seconds: long enough not to spin on a database that is down
STARTUP_TIMEOUT = 120  # seconds for gunicorn to answer its first request
STOP_TIMEOUT = 40  # seconds for a graceful stop (gunicorn's graceful_timeout is 30) before killing
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class ServeError(Exception):
    """A reason not to start, said in one line."""


sys.path.insert(0, str(ROOT))
from config.logs import configuration  # noqa: E402  (the app's log format, time zone and stream)

logging.config.dictConfig(configuration())
log = logging.getLogger("cdm.serve")


def say(message: str) -> None:
    """One line in the stream and format of the app's and gunicorn's own (config/logs.py)."""
    log.info(message)


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def nginx_binary() -> str:
    # Debian puts nginx in /usr/sbin, which is not on an ordinary user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise ServeError("nginx is not installed: run `scripts/system-packages.sh serve` (apt-get install nginx)")
    return found


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ServeError(
                f"cannot listen on {url_host(host)}:{port} ({error.strerror}): choose another PORT or HOST"
            )


def private_listener() -> socket.socket:
    """A listening socket on a free loopback port, for gunicorn: connections made before gunicorn is
    up wait in its backlog instead of failing."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def write_nginx_config(nginx_dir: Path, *, host: str, port: int, upstream_port: int) -> Path:
    """Fill in config/nginx.conf.in for this run; the path of the written file."""
    for name in TEMP_DIRS:
        (nginx_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    # Only a master running as root switches its workers to another user: keep them the invoking one.
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"
    values = {"@USER@": user, "@LISTEN@": f"{url_host(host)}:{port}", "@UPSTREAM_PORT@": str(upstream_port)}
    text = NGINX_TEMPLATE.read_text()
    for token, value in values.items():
        text = text.replace(token, value)
    path = nginx_dir / "nginx.conf"
    path.write_text(text)
    return path


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if serve.py itself dies, so nothing is left running."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(command: list[str], **options) -> subprocess.Popen:
    # Its own process group: Ctrl+C reaches only serve.py, which stops the children in order.
    return subprocess.Popen(command, cwd=ROOT, process_group=0, preexec_fn=_die_with_parent, **options)


class Stack:
    """nginx, gunicorn and the report worker of one `make serve`."""

    def __init__(self, *, host: str, port: int, state_dir: Path):
        self.host, self.port, self.state_dir = host, port, state_dir
        self.nginx_dir = state_dir / "nginx"
        self.worker_log = state_dir / "worker.log"
        self.processes: dict[str, subprocess.Popen] = {}
        self.stop_signal: int | None = None

    def start(self) -> None:
        nginx = nginx_binary()
        check_port_free(self.host, self.port)
        self.nginx_dir.mkdir(parents=True, exist_ok=True)
        listener = private_listener()
        upstream_port = listener.getsockname()[1]
        config = write_nginx_config(self.nginx_dir, host=self.host, port=self.port, upstream_port=upstream_port)
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py"]
        gunicorn += ["--control-socket", str(self.state_dir / "gunicorn.ctl")]  # not the user's shared default
        environment = {**os.environ, "GUNICORN_BIND": f"fd://{listener.fileno()}"}
        self.processes["gunicorn"] = start(gunicorn, env=environment, pass_fds=[listener.fileno()])
        listener.close()  # gunicorn has it now
        prefix = f"{self.nginx_dir.resolve()}/"
        self.processes["nginx"] = start([nginx, "-p", prefix, "-c", str(config.resolve()), "-e", "error.log",
                                         "-g", "daemon off;"])  # fmt: skip
        self.start_worker()

    def start_worker(self) -> None:
        with self.worker_log.open("ab") as log:
            self.processes["worker"] = start(
                [sys.executable, "manage.py", "db_worker", "--no-reload"], stdout=log, stderr=subprocess.STDOUT
            )

    def check_core(self) -> None:
        """Raise ServeError if nginx or gunicorn has exited."""
        for name, where in (("nginx", self.nginx_dir / "error.log"), ("gunicorn", "the lines above")):
            code = self.processes[name].poll()
            if code is not None:
                raise ServeError(f"{name} exited with code {code} (see {where}); stopping")

    def wait_until_answering(self) -> str:
        """Wait for the first answer through nginx; the /healthz status line."""
        connect = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        url = f"http://{url_host(connect)}:{self.port}/healthz"
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline and self.stop_signal is None:
            self.check_core()
            try:
                with direct.open(url, timeout=5) as response:
                    return f"/healthz {response.status}"
            except urllib.error.HTTPError as error:
                if error.code == 400:  # Django refused the probe's Host header
                    return f"/healthz 400: {connect} is not in ALLOWED_HOSTS"
                return f"/healthz {error.code}: {error.read(200).decode(errors='replace')}"  # names the failed check
            except OSError:
                time.sleep(0.3)
        if self.stop_signal is None:
            raise ServeError(f"no answer at {url} within {STARTUP_TIMEOUT} s; stopping")
        return ""

    def watch(self) -> None:
        """Until a stop signal: restart the worker when it exits; fail when nginx or gunicorn does."""
        restart_at = None
        while self.stop_signal is None:
            time.sleep(0.2)
            self.check_core()
            worker = self.processes["worker"]
            if restart_at is None and worker.poll() is not None:
                say(
                    f"the report worker exited with code {worker.returncode}; "
                    f"starting it again in {WORKER_RESTART_DELAY} s (its log: {self.worker_log})"
                )
                restart_at = time.monotonic() + WORKER_RESTART_DELAY
            elif restart_at is not None and time.monotonic() >= restart_at:
                self.start_worker()
                say(f"the report worker runs again (pid {self.processes['worker'].pid})")
                restart_at = None

    def stop(self) -> None:
        """nginx stops taking requests and finishes those it has; gunicorn and the worker finish theirs."""
        graceful = {"nginx": signal.SIGQUIT, "gunicorn": signal.SIGTERM, "worker": signal.SIGTERM}
        for name, stop_signal in graceful.items():
            process = self.processes.get(name)
            if process and process.poll() is None:
                process.send_signal(stop_signal)
        deadline = time.monotonic() + STOP_TIMEOUT
        for name, process in self.processes.items():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop within {STOP_TIMEOUT} s; killing it")
                process.kill()
                process.wait()

    def on_signal(self, number: int, _frame) -> None:
        if self.stop_signal is not None:  # a second Ctrl+C: no more waiting
            for process in self.processes.values():
                if process.poll() is None:
                    process.kill()
        self.stop_signal = number


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--state-dir", type=Path, default=ROOT / "var")
    options = parser.parse_args()
    stack = Stack(host=options.host, port=options.port, state_dir=options.state_dir.resolve())
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, stack.on_signal)
    code = 0
    try:
        stack.start()
        health = stack.wait_until_answering()
        if health:
            say(
                f"City Digital Maturity at http://{url_host(options.host)}:{options.port}/ ({health}): "
                f"nginx in front of gunicorn, and the report worker (pid {stack.processes['worker'].pid}, "
                f"its log: {stack.worker_log}). Ctrl+C stops all three."
            )
        stack.watch()
        say(f"{signal.Signals(stack.stop_signal).name}: stopping")
    except ServeError as error:
        say(str(error))
        code = 1
    finally:
        stack.stop()
    say("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
