"""Template context shared by every page."""

from accounts.roles import roles_of


def navigation(request):
    return {"roles": roles_of(request.user)}
