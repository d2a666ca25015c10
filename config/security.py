"""What a production user expects of the app's front door: the client's address for login
throttling, forwarded headers believed only from trusted proxies, a Permissions-Policy, and one
structured log line per request.

The rest lives in settings: django-axes (login throttling), django-csp (Content-Security-Policy),
Django's SecurityMiddleware (HSTS, nosniff, referrer and opener policies, the TLS redirect).
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import LazyObject, empty

from config.proxies import client_address, is_trusted

request_log = logging.getLogger("cdm.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_ip(request) -> str:
    """The address a request came from: REMOTE_ADDR, or, when that is one of TRUSTED_PROXIES, the
    address the proxies recorded in X-Forwarded-For (`config.proxies.client_address`). A client
    that reaches gunicorn directly cannot choose its address by sending the header itself."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.TRUSTED_PROXIES
    )


class ForwardedProtoMiddleware:
    """The TLS header (SECURE_PROXY_SSL_HEADER, X-Forwarded-Proto) counts only from a trusted
    proxy: from anyone else it is dropped before SecurityMiddleware reads it, so a client that
    reaches gunicorn directly over plain HTTP cannot pass as HTTPS and skip the redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = settings.SECURE_PROXY_SSL_HEADER
        if header and not is_trusted(request.META.get("REMOTE_ADDR", ""), settings.TRUSTED_PROXIES):
            request.META.pop(header[0], None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (no camera, microphone, location…)."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class RequestLogMiddleware:
    """One log record per request on the `cdm.request` logger (JSON lines in production): method,
    path, status, duration, user id, client address and a request id, which is taken from an
    X-Request-ID header (a proxy's) or made here, and sent back in the response.

    It comes first in MIDDLEWARE, so a request that another middleware answers on the way in (the
    HTTPS redirect, a body too large, an unknown host) is logged too. The record is written
    whatever happens inside: when an exception escapes, it says 500; and it never reads anything
    itself that could fail, such as the user of a database that is down (`_user_id`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        status = 500  # unless a response comes back
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                    "client": client_ip(request),
                },
            )


def _user_id(request) -> int | None:
    """The id of the request's user if the request has already read it, else None: the user is
    loaded lazily from the session in the database, and the log must not be what queries it (a
    request that never needed its user, or one whose database failed, stays anonymous here)."""
    user = getattr(request, "user", None)
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    return user.pk if user is not None and user.is_authenticated else None
