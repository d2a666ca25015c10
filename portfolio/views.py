"""The portfolio page: every city a consultant, provincial analyst or administrator may see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolio import exports, rules
from portfolio.filters import may_see_portfolio, selection
from portfolio.jobs import DIRECT_WORKBOOK_CITIES
from portfolio.rows import group_summary
from portfolio.tasks import build_portfolio_report, build_portfolio_workbook
from reports.delivery import LANGUAGES
from reports.models import JobKind, ReportJob


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
    return selection(request.user, request.GET)


@login_required
def portfolio(request):
    """Cities × directions as a heatmap, with the level distribution and the group's average."""
    form, rows, sort, descending = _selection(request)
    summary = group_summary(rows)
    context = {
        **summary,
        "form": form,
        "distribution": [(label, summary["distribution"][key]) for key, label in summary["parts"]],
        "sort_links": sort_links(request, sort, descending),
        "query": request.GET.urlencode(),
        "workbook_in_background": len(summary["assessed_rows"]) > DIRECT_WORKBOOK_CITIES,
        "any_demo": any(row.demo for row, _cells in summary["table"]),
    }
    return render(request, "portfolio/portfolio.html", context)


@login_required
def portfolio_export(request, kind):
    """The cities of the page, with the same filters: XLSX (scores, answers, plans) or CSV (scores).

    An XLSX of more than `DIRECT_WORKBOOK_CITIES` assessed cities is built by the worker instead
    (`portfolio_workbook`): the page offers that, and this URL sends the user back to it."""
    if kind not in ("xlsx", "csv"):
        raise Http404
    _form, rows, _sort, _descending = _selection(request)
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        response = HttpResponse(exports.portfolio_csv(rows), content_type="text/csv; charset=utf-8")
    elif sum(row.assessed for row in rows) > DIRECT_WORKBOOK_CITIES:
        messages.info(request, _("These cities are too many to export at once: prepare the Excel file below."))
        return redirect(f"{reverse('portfolio')}?{request.GET.urlencode()}")
    else:
        response = HttpResponse(exports.portfolio_workbook(rows), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="portfolio-{stamp}.{kind}"'
    return response


def _queue(request, kind: str, task) -> HttpResponse:
    """Queue portfolio work for the cities of the page's filters, in the language asked for."""
    if not may_see_portfolio(request.user):
        raise Http404
    language = request.POST.get("language")
    if language not in LANGUAGES:
        language = translation.get_language()
    query = QueryDict(request.POST.get("query", ""))
    job = ReportJob.objects.create(created_by=request.user, kind=kind, query=query.urlencode()[:500], language=language)
    task.enqueue(job_id=job.pk)
    return redirect("report_job", job.pk)


@require_POST
@login_required
def portfolio_report(request):
    """Queue the portfolio report (PDF) of the cities the page shows."""
    return _queue(request, JobKind.PORTFOLIO, build_portfolio_report)


@require_POST
@login_required
def portfolio_workbook(request):
    """Queue the Excel export of the cities the page shows (for more than a request should build)."""
    return _queue(request, JobKind.WORKBOOK, build_portfolio_workbook)
