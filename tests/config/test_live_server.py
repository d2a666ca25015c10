"""The front door on the production server itself (gunicorn with config/gunicorn.conf.py): a 200 MB
body is refused before it is written anywhere, while real uploads and large batches still pass;
and gunicorn's lines and the app's share one JSON format and one time zone."""

import json
import re
import socket
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from django.test import Client

from assessment.evidence import MAX_EVIDENCE_BYTES
from tests.assessment.answering_helpers import make_team, save_url, stored
from tests.live_gunicorn import Gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
HUGE = 200 * MB
CSRF = "c" * 32  # a CSRF secret the client chose, as Django allows: cookie and header agree
FILE_PART = (
    b"--edge\r\n"
    b'Content-Disposition: form-data; name="evidence_file"; filename="huge.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("gunicorn")
    return {"tmp": base / "tmp", "media": base / "media"}


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, folders):
    for folder in folders.values():
        folder.mkdir()
    with django_db_blocker.unblock():
        environment = {
            "TMPDIR": folders["tmp"],  # where Django spools uploads to disk
            "MEDIA_ROOT": folders["media"],
            "LOG_FORMAT": "json",
            "TIME_ZONE": "Asia/Shanghai",
            "GUNICORN_ACCESS_LOG": "1",
        }
        with Gunicorn(**environment) as server:
            assert requests.get(server.url("/healthz"), timeout=30).status_code == 200  # the worker is warm
            yield server


def bytes_in(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def logged_in(user) -> dict:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def stream(server, path, *, headers, chunked=False, size=HUGE):
    """POST a `size`-byte body (a file part, then zeros) the way a client uploads it: the headers and
    the first megabyte, then wait for an answer, then the rest. Returns the status, the seconds the
    answer took after the first megabyte, and how many bytes went out in all."""
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: multipart/form-data; boundary=edge"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    block = b"0" * MB

    def framed(data):
        return b"%x\r\n%s\r\n" % (len(data), data) if chunked else data

    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + framed(FILE_PART + block[len(FILE_PART) :]))
        sent, started = MB, time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer:
            received = sock.recv(65536)
            assert received, "the server closed the connection without an answer"
            answer += received
        seconds = time.monotonic() - started
        try:  # the rest of the body, as the client goes on sending it
            while sent < size:
                sock.sendall(framed(block))
                sent += MB
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may hang up instead of reading on
    return int(answer.split(b" ", 2)[1]), seconds, sent


def assert_refused_unwritten(server, folders, path, *, headers=None, chunked=False, expected=413):
    peak_before = server.worker_peak_memory()
    status, seconds, sent = stream(server, path, headers=headers or {}, chunked=chunked)
    assert status == expected
    assert seconds < 5, f"the refusal took {seconds:.1f} s"
    assert sent >= MB  # all 200 MB, unless the server hung up first (it need not read a refused body)
    assert bytes_in(folders["tmp"]) == 0 and bytes_in(folders["media"]) == 0
    growth = server.worker_peak_memory() - peak_before
    assert growth < 20 * MB, f"the worker's peak memory grew by {growth / MB:.0f} MB"


def test_a_200_mb_login_post_is_refused_before_it_is_written_anywhere(server, folders):
    # With a CSRF cookie, as a browser has one: the CSRF check would read the form to find the token.
    assert_refused_unwritten(server, folders, "/accounts/login/", headers={"Cookie": f"csrftoken={CSRF}"})


def test_a_200_mb_evidence_upload_is_refused_before_it_is_written_anywhere(server, folders):
    team = make_team()
    cookies = logged_in(team.services)
    headers = {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "X-CSRFToken": CSRF,
        "Accept": "application/json",
    }
    assert_refused_unwritten(server, folders, save_url(team.assessment, "S1.1"), headers=headers)
    assert stored(team.assessment, "S1.1") is None


def test_a_200_mb_body_sent_in_chunks_is_refused_before_it_is_written_anywhere(server, folders):
    assert_refused_unwritten(server, folders, "/accounts/login/", chunked=True, expected=411)


def test_an_evidence_file_of_the_largest_size_and_a_large_batch_still_pass(server, folders):
    team = make_team()
    session = requests.Session()
    for name, value in logged_in(team.services).items():
        session.cookies.set(name, value)
    headers = {"X-CSRFToken": CSRF, "Accept": "application/json"}
    evidence = b"%PDF-1.4\n" + b"0" * (MAX_EVIDENCE_BYTES - 9)
    response = session.post(
        server.url(save_url(team.assessment, "S1.1")),
        data={"revision": 0, "level": 3},
        files={"evidence_file": ("plan.pdf", evidence, "application/pdf")},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text[:300]
    saved = folders["media"] / "evidence" / stored(team.assessment, "S1.1").evidence_file.name
    assert saved.stat().st_size == MAX_EVIDENCE_BYTES
    assert bytes_in(folders["media"]) == MAX_EVIDENCE_BYTES and bytes_in(folders["tmp"]) == 0

    batch = {"answers": [{"question": "S1.2", "revision": 0, "number": 55, "comment": "字" * 5000}]}
    batch["answers"] += [{"question": f"S9.{n}", "revision": 0, "comment": "字" * 5000} for n in range(299)]
    body = json.dumps(batch, ensure_ascii=False).encode()
    assert len(body) > 4 * MB  # above Django's default of 2.5 MB for a body read into memory
    url = server.url(f"/assessments/{team.assessment.pk}/services/answers/")
    response = session.post(url, data=body, headers={**headers, "Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert stored(team.assessment, "S1.2").number == 55  # the known question saved, the made-up ones refused


ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$")


def test_gunicorn_and_the_app_log_json_lines_in_one_time_zone(server):
    requests.get(server.url("/healthz"), timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any('"gunicorn.access"' in line for line in server.lines):
        time.sleep(0.05)
    records = server.records()  # every line is one JSON object
    by_logger = {record["logger"] for record in records}
    assert {"gunicorn.error", "gunicorn.access", "cdm.request"} <= by_logger
    for record in records:
        assert ISO_WITH_OFFSET.match(record["time"]), record
    last = datetime.fromisoformat(records[-1]["time"])
    assert abs(datetime.now(last.tzinfo) - last) < timedelta(minutes=1)
