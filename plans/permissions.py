"""Who may adjust a plan: a consultant assigned to the city, or an administrator."""

from assessment.permissions import is_assigned_consultant


def can_adjust_plan(user, assessment) -> bool:
    return is_assigned_consultant(user, assessment)
