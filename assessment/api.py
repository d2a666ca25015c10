"""Read-only JSON API (FORMATS.md), with the same permissions as the pages: 404 for anyone else."""

from functools import wraps

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from assessment.access import get_assessment_for_user
from assessment.scores import scores_document


def json_api(view):
    """GET only; a missing or forbidden object answers a JSON 404, never a login page."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            data = view(request, *args, **kwargs)
        except Http404:
            return JsonResponse({"detail": "Not found."}, status=404)
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})

    return wrapper


@json_api
def assessment_scores(request, assessment_id):
    return scores_document(get_assessment_for_user(request.user, assessment_id))
