from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The action catalogue, the recommendation engine and the plans it makes, with the consultants'
    adjustments: below the reports, which print the plans."""

    name = "plans"
    verbose_name = _("Plans")
