"""The one place that fetches an assessment for a user and checks the user may see it."""

from django.shortcuts import get_object_or_404

from assessment.models import Assessment


def get_assessment_for_user(user, assessment_id: int, *, for_update: bool = False, **annotations) -> Assessment:
    """The assessment (city and version loaded) if `user` may see its city; else 404.

    `for_update`: take the assessment's row lock in the same query (inside a transaction), as saving
    answers needs; `annotations` come along with it.
    """
    visible = Assessment.objects.visible_to(user).select_related("city", "version")
    if for_update:
        visible = visible.select_for_update(of=("self",))
    return get_object_or_404(visible.annotate(**annotations), pk=assessment_id)
