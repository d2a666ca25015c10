"""`/healthz`: whether this app server can reach what every request needs (for the load balancer).

It checks the database (a query) and the file storage of evidence and reports (write, read and
delete a small probe file), answers 200 with {"database": "ok", "storage": "ok"} or 503 naming
what failed, and says nothing else about the installation.
"""

import logging
import uuid

from django.core.files.base import ContentFile
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.evidence import evidence_storage

logger = logging.getLogger(__name__)


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
    return JsonResponse(checks, status=200 if healthy else 503)
