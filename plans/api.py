"""The plan's read-only JSON API (FORMATS.md): the same permissions and answers as the scores API."""

from assessment.access import get_assessment_for_user
from assessment.api import json_api
from plans.compute import compute_plan, plan_document


@json_api
def assessment_plan(request, assessment_id):
    assessment = get_assessment_for_user(request.user, assessment_id)
    return plan_document(assessment, compute_plan(assessment))
