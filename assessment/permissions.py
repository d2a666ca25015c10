"""Who may do what with an assessment (SPEC §2, §8). Seeing is decided by `Assessment.objects.visible_to`."""

from accounts.roles import roles_of
from assessment.models import Assessment
from cities.models import MembershipRole


def is_coordinator(user, city_id: int) -> bool:
    return user.is_staff or roles_of(user).cities.get(city_id) == MembershipRole.COORDINATOR


def can_coordinate(user, assessment: Assessment) -> bool:
    """Start, assign, submit: the city's coordinator (or an administrator)."""
    return is_coordinator(user, assessment.city_id)


def can_edit_direction(user, assessment: Assessment, direction: str, assigned: set[str]) -> bool:
    """Answer questions of a direction: while a draft, the coordinator, or a respondent assigned to it.

    `assigned` is the set of directions assigned to `user` in this assessment.
    """
    if not assessment.is_draft:
        return False
    if can_coordinate(user, assessment):
        return True
    return roles_of(user).cities.get(assessment.city_id) == MembershipRole.RESPONDENT and direction in assigned


def can_reopen(user, assessment: Assessment) -> bool:
    """Reopen a submitted assessment: a consultant assigned to the city, or an administrator."""
    return not assessment.is_draft and is_assigned_consultant(user, assessment)


def is_assigned_consultant(user, assessment: Assessment) -> bool:
    """A consultant assigned to the assessment's city, or an administrator."""
    if user.is_staff:
        return True
    return user.is_consultant and assessment.city.consultant_assignments.filter(consultant=user).exists()
