"""The portfolio page: every city a consultant, provincial analyst or administrator may see."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from reports import exports
from reports import portfolio_rules as rules
from reports.delivery import LANGUAGES
from reports.models import JobKind, ReportJob
from reports.portfolio import group_summary
from reports.portfolio_filters import may_see_portfolio, selection
from reports.tasks import build_portfolio_report


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


@require_POST
@login_required
def portfolio_report(request):
    """Queue the portfolio report (PDF) of the cities the page shows, in the language asked for."""
    if not may_see_portfolio(request.user):
        raise Http404
    language = request.POST.get("language")
    if language not in LANGUAGES:
        language = translation.get_language()
    query = QueryDict(request.POST.get("query", ""))
    job = ReportJob.objects.create(
        created_by=request.user, kind=JobKind.PORTFOLIO, query=query.urlencode()[:500], language=language
    )
    build_portfolio_report.enqueue(job_id=job.pk)
    return redirect("report_job", job.pk)
