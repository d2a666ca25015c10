"""Error pages rendered outside a view: the 500 page (handler500) and the 413 of
`config.request_size`, in the app's layout and the reader's language.

Django renders 500.html with no context at all; this gives it what base.html needs without
context processors (they read the session and the user from the database, which may be what failed,
and a refused request is answered before the session is read at all).
"""

import logging
from http import HTTPStatus

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils import translation

logger = logging.getLogger(__name__)


def error_page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    """`template` (an error.html page) for `request`, rendered without the database."""
    # The language from the cookie or the browser, as LocaleMiddleware chooses it: the error may
    # have come before that middleware ran.
    with translation.override(translation.get_language_from_request(request)):
        try:
            body = loader.render_to_string(
                template, {"request": request, "csrf_token": get_token(request), **(context or {})}
            )
        except Exception:
            # An error page that fails would leave the reader with the server's bare error instead.
            logger.exception("The %s page could not be rendered", status)
            body = f"<h1>{HTTPStatus(status).phrase} ({status})</h1>"
    return HttpResponse(body, status=status)


def server_error(request):
    return error_page(request, "500.html", 500)
