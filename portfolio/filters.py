"""The portfolio's filters and sort order, read from a query string: by the page, its exports and
the portfolio report job, so all three select the same cities."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.roles import roles_of
from assessment.models import Assessment, AssessmentStatus
from cities.geography import Region
from cities.models import AdministrativeLevel, CityCluster, SpecialtyIndustry
from portfolio import rules
from portfolio.rows import portfolio_rows
from reports.report_data import level_name


def may_see_portfolio(user) -> bool:
    roles = roles_of(user)
    return roles.administrator or roles.consultant or roles.analyst


class PortfolioFilterForm(forms.Form):
    """The filters and the sort order, from the query string; a bad value is simply not applied."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    specialty = forms.ChoiceField(label=_("Specialty industry"), required=False)
    cluster = forms.ChoiceField(label=_("City cluster"), required=False)
    level = forms.TypedChoiceField(label=_("Overall level"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in rules.SORT_KEYS])
    order = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])

    def __init__(self, *args, years, specialties, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("all"))]
        self.fields["region"].choices = every + list(Region.choices)
        self.fields["tier"].choices = every + list(AdministrativeLevel.choices)
        self.fields["specialty"].choices = every + [(s.code, s.name) for s in specialties]
        self.fields["cluster"].choices = every + [(rules.NO_CLUSTER, _("outside any cluster")), *CityCluster.choices]
        self.fields["level"].choices = every + [(n, f"L{n} {level_name(n)}") for n in rules.LEVELS]
        self.fields["year"].choices = [("", _("latest"))] + [(y, str(y)) for y in years]

    def choice(self, name: str):
        """A cleaned value, or its empty value when the form is unbound or that value was bad."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def filters(self) -> rules.Filters:
        text = {name: self.choice(name) or "" for name in ("region", "tier", "specialty", "cluster")}
        return rules.Filters(**text, level=self.choice("level"), year=self.choice("year"))


def selection(user, query: QueryDict):
    """The filter form and the rows it selects for `user`, sorted as asked. The caller checks
    `may_see_portfolio` first."""
    specialties = list(SpecialtyIndustry.objects.order_by("code"))
    years = list(
        Assessment.objects.visible_to(user)
        .filter(status=AssessmentStatus.SUBMITTED)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    form = PortfolioFilterForm(query or None, years=years, specialties=specialties)
    filters = form.filters()
    rows = rules.select(portfolio_rows(user, year=filters.year), filters)
    sort = form.choice("sort") or "name"
    descending = form.choice("order") == "desc"
    return form, rules.sort_rows(rows, sort, descending=descending), sort, descending
