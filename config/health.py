"""Health checks, anonymous, revealing nothing else about the installation.

`/healthz` (for the load balancer): whether this app server can reach what every request needs:
the database (a query) and the file storage of evidence and reports (write, read and delete a
small probe file). 200 when both work, else 503; the body names each check, and the report
worker's last heartbeat too, which never makes it 503: a web tier that works keeps serving while
the worker is down. `/healthz/worker` (for the worker's monitor): 200 when a worker was seen
within `WORKER_HEALTH_AFTER` seconds, else 503.
"""

import logging
import uuid

from django.core.files.base import ContentFile
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.evidence import evidence_storage
from background.heartbeat import worker_status

logger = logging.getLogger(__name__)

UNKNOWN_WORKER = {"status": "unknown", "last_heartbeat": None}  # the database cannot say


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage() -> None:
    storage = evidence_storage()
    name = storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with storage.open(name) as probe:
            if probe.read() != b"ok":
                raise OSError("the probe file read back wrong")
    finally:
        storage.delete(name)


def _worker() -> dict:
    try:
        return worker_status()
    except Exception:  # the database check names the cause; the log keeps the details
        logger.exception("health check worker failed")
        return UNKNOWN_WORKER


@never_cache
@require_GET
def healthz(request):
    checks = {}
    for name, check in (("database", _database), ("storage", _storage)):
        try:
            check()
            checks[name] = "ok"
        except Exception:  # any failure is reported as such; the log keeps the details
            logger.exception("health check %s failed", name)
            checks[name] = "failed"
    healthy = all(value == "ok" for value in checks.values())
    checks["worker"] = _worker() if checks["database"] == "ok" else UNKNOWN_WORKER
    return JsonResponse(checks, status=200 if healthy else 503)


@never_cache
@require_GET
def healthz_worker(request):
    status = _worker()
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)
