"""What a user is, in the words of SPEC §2: administrator, consultant, coordinator, respondent."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cities.models import CityMembership, MembershipRole

ROLE_LABELS = {
    "administrator": _("Administrator"),
    "consultant": _("Consultant"),
    "analyst": _("Provincial analyst"),
    "coordinator": _("City coordinator"),
    "respondent": _("Respondent"),
}


@dataclass(frozen=True)
class Roles:
    """The roles one user holds; `cities` maps a city id to the user's role in it."""

    administrator: bool = False
    consultant: bool = False
    cities: dict[int, str] = field(default_factory=dict)
    analyst_province: str = ""  # the province a provincial analyst oversees

    @property
    def analyst(self) -> bool:
        return bool(self.analyst_province)

    @property
    def coordinator(self) -> bool:
        return MembershipRole.COORDINATOR in self.cities.values()

    @property
    def respondent(self) -> bool:
        return MembershipRole.RESPONDENT in self.cities.values()

    @property
    def names(self) -> list[str]:
        return [name for name in ROLE_LABELS if getattr(self, name)]

    @property
    def labels(self) -> list[str]:
        return [ROLE_LABELS[name] for name in self.names]


def roles_of(user) -> Roles:
    """The roles of a user, in one query (cached on the user object for the request)."""
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_roles", None)
    if cached is None:
        memberships = CityMembership.objects.filter(user=user).values_list("city_id", "role")
        cached = Roles(
            administrator=user.is_staff,
            consultant=user.is_consultant,
            cities=dict(memberships),
            analyst_province=user.analyst_province,
        )
        user._roles = cached
    return cached
