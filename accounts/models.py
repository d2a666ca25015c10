"""Users. Roles: administrators are staff, consultants carry a flag, officials hold memberships."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from cities.geography import Province


class User(AbstractUser):
    is_consultant = models.BooleanField(
        _("consultant"),
        default=False,
        help_text=_("Consultants review the assessments of the cities assigned to them."),
    )
    analyst_province = models.CharField(
        _("provincial analyst of"),
        max_length=20,
        choices=Province.choices,
        blank=True,
        help_text=_(
            "A provincial analyst (e.g. of the provincial data bureau) sees every city of this province, "
            "by name, with its assessments, reports and the portfolio; they change nothing."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        full = self.get_full_name()
        return full or self.username
