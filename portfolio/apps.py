from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """Many cities at once: the portfolio page, its filters and rules, its report and exports; above
    the reports, whose data and jobs it uses."""

    name = "portfolio"
    verbose_name = _("Portfolio")
