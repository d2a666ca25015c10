"""Users. Roles: administrators are staff, consultants carry a flag, officials hold memberships."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    is_consultant = models.BooleanField(
        _("consultant"),
        default=False,
        help_text=_("Consultants review the assessments of the cities assigned to them."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        full = self.get_full_name()
        return full or self.username
