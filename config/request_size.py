"""Request bodies refused by their declared size, before anything reads them.

Django reads a body only when something asks for it, and then spools uploaded files to disk: a
body far larger than anything the app takes would be received, and much of it written, before
being refused. This middleware (before any that reads a body) answers 413 from the
Content-Length header alone, so a refused body is never read at all. The cap:

* no session cookie (not logged in): ANONYMOUS_REQUEST_MAX_BYTES, plenty for the login form;
* a logged-in upload (multipart): REQUEST_MAX_BYTES, above the largest file the app takes;
* any other logged-in body (a form, the batch save's JSON): DATA_UPLOAD_MAX_MEMORY_SIZE, which
  Django would otherwise refuse with a bare 400 page.

The session cookie is only looked at, never checked against the database (which this must not
wait for): a made-up cookie buys a stranger the logged-in cap, which is still a cap. A body sent
without a Content-Length (chunked) is refused with 411: under WSGI Django never reads it, so the
request would otherwise reach the view looking empty.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import error_page


def body_cap(request) -> tuple[int, str]:
    """The largest body this request may declare, in bytes, and what to do when it is larger."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return settings.ANONYMOUS_REQUEST_MAX_BYTES, gettext_lazy("Log in first, then try again.")
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return settings.REQUEST_MAX_BYTES, gettext_lazy("Send a smaller file.")
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, gettext_lazy("Send less at once.")


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django reads it: nothing


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            with translation.override(translation.get_language_from_request(request)):
                refusal = _("Send the request with its Content-Length: a body sent in chunks is not read.")
            return HttpResponse(refusal, status=411, content_type="text/plain; charset=utf-8")
        length, (cap, advice) = declared_length(request), body_cap(request)
        if length > cap:
            if settings.SESSION_COOKIE_NAME not in request.COOKIES and wants_json(request):
                # The answering page's autosave after the session ended: its login banner, as a 401 does.
                return JsonResponse({"status": "login", "login_url": reverse("login")}, status=401)
            return too_large(request, length, cap, advice)
        return self.get_response(request)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def too_large(request, length: int, cap: int, advice: str) -> HttpResponse:
    """413, as JSON for the page's scripts and API clients (the shape of a refused save, so the page
    shows the message), else as a page in the app's layout."""
    with translation.override(translation.get_language_from_request(request)):
        refusal = _("What was sent (%(size)s) is larger than the %(cap)s the app accepts here.") % {
            "size": filesizeformat(length),
            "cap": filesizeformat(cap),
        }
        advice = str(advice)
    if wants_json(request):
        return JsonResponse({"status": "invalid", "errors": {"request": [f"{refusal} {advice}"]}}, status=413)
    return error_page(request, "413.html", 413, {"refusal": refusal, "advice": advice})
