"""The portfolio page: every city a consultant, provincial analyst or administrator may see."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import roles_of
from assessment.models import Assessment, AssessmentStatus, Direction
from cities.geography import Region
from cities.models import AdministrativeLevel, CityCluster, SpecialtyIndustry
from reports import exports
from reports import portfolio_rules as rules
from reports.portfolio import national_comparison, portfolio_rows
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


def sort_links(request, current: str, descending: bool) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (again: the other way), and its state."""
    links = {}
    for key in rules.SORT_KEYS:
        query = request.GET.copy()
        query["sort"] = key
        flip = key == current and not descending
        query["order"] = "desc" if flip or (key != current and key not in ("name", "year")) else "asc"
        state = ("descending" if descending else "ascending") if key == current else "none"
        links[key] = {"url": f"?{query.urlencode()}", "state": state}
    return links


def _selection(request):
    """The filter form and the rows it selects, sorted as asked (the page and its exports)."""
    if not may_see_portfolio(request.user):
        raise Http404
    specialties = list(SpecialtyIndustry.objects.order_by("code"))
    years = list(
        Assessment.objects.visible_to(request.user)
        .filter(status=AssessmentStatus.SUBMITTED)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    form = PortfolioFilterForm(request.GET or None, years=years, specialties=specialties)
    filters = form.filters()
    rows = rules.select(portfolio_rows(request.user, year=filters.year), filters)
    sort = form.choice("sort") or "name"
    descending = form.choice("order") == "desc"
    return form, rules.sort_rows(rows, sort, descending=descending), sort, descending


@login_required
def portfolio(request):
    """Cities × directions as a heatmap, with the level distribution and the group's average."""
    form, rows, sort, descending = _selection(request)
    assessed = [row for row in rows if row.assessed]
    columns = [(d, Direction(d).label) for d in rules.DIRECTIONS]
    distribution = rules.distribution(assessed)
    context = {
        "form": form,
        "table": [(row, [row.cell(d) for d in rules.DIRECTIONS]) for row in rows],
        "columns": columns,
        "assessed": len(assessed),
        "distribution": [(label, distribution[key]) for key, label in [*columns, ("overall", _("Overall"))]],
        "average": rules.group_average(assessed),
        "national": national_comparison(assessed),
        "sort_links": sort_links(request, sort, descending),
        "levels": rules.LEVELS,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/portfolio.html", context)


@login_required
def portfolio_export(request, kind):
    """The cities of the page, with the same filters: XLSX (scores, answers, plans) or CSV (scores)."""
    if kind not in ("xlsx", "csv"):
        raise Http404
    _form, rows, _sort, _descending = _selection(request)
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        response = HttpResponse(exports.portfolio_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.portfolio_workbook(rows), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="portfolio-{stamp}.{kind}"'
    return response
