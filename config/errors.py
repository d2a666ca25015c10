"""The 500 page (handler500), in the app's layout and the reader's language.

Django renders 500.html with no context at all; this view gives it what base.html needs without
context processors (they read the session and the user from the database, which may be what failed).
"""

import logging

from django.http import HttpResponseServerError
from django.middleware.csrf import get_token
from django.template import loader
from django.utils import translation

logger = logging.getLogger(__name__)


def server_error(request):
    # The language from the cookie or the browser, as LocaleMiddleware chooses it: the error may
    # have come before that middleware ran.
    with translation.override(translation.get_language_from_request(request)):
        try:
            body = loader.render_to_string("500.html", {"request": request, "csrf_token": get_token(request)})
        except Exception:
            # An error page that fails would leave the reader with the server's bare error instead.
            logger.exception("The 500 page could not be rendered")
            body = "<h1>Server Error (500)</h1>"
    return HttpResponseServerError(body)
