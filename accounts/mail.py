"""Mail from the app: only once EMAIL_HOST names a mail server (docs/deployment.md). Until then
nothing that would send mail is offered; the password-reset pages are not found."""

from functools import wraps

from django.conf import settings
from django.http import Http404


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def needs_mail(view):
    """The view, or a 404 while no mail server is configured."""

    @wraps(view)
    def view_with_mail(request, *args, **kwargs):
        if not mail_configured():
            raise Http404
        return view(request, *args, **kwargs)

    return view_with_mail
