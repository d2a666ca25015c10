"""The one place that fetches an assessment for a user and checks the user may see it."""

from django.shortcuts import get_object_or_404

from assessment.models import Assessment


def get_assessment_for_user(user, assessment_id: int) -> Assessment:
    """The assessment (city and version loaded) if `user` may see its city; else 404."""
    visible = Assessment.objects.visible_to(user).select_related("city", "version")
    return get_object_or_404(visible, pk=assessment_id)
