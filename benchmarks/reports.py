"""Report PDFs: one demo report (median of runs, split by stage), stored-report serving, 20 in bulk.

Run from the repository root: .venv/bin/python benchmarks/reports.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_demo_database  # noqa: E402

setup_demo_database()

from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from accounts.models import User  # noqa: E402
from assessment.models import Assessment  # noqa: E402
from plans.compute import _engine_plan  # noqa: E402
from reports import pdf  # noqa: E402
from reports.delivery import render_report_html, report_pdf  # noqa: E402
from reports.fonts import harfbuzz_subsetting_available  # noqa: E402
from reports.models import GeneratedReport  # noqa: E402
from reports.report_data import build_report, submitted_assessments  # noqa: E402

RUNS = 7
kunshan = Assessment.objects.select_related("city", "version").get(city__name_zh="昆山市", year=2025)


def generated(assessment, language, *, plan_remembered=True):
    """Seconds to generate one report as the app does (report_pdf with nothing stored): the
    fingerprint queries, data, HTML, layout, PDF and storing the file. The engine's plan is
    remembered per process (plans.compute); `plan_remembered=False` makes it afresh."""
    GeneratedReport.objects.filter(assessment=assessment, language=language).delete()
    if not plan_remembered:
        _engine_plan.cache_clear()
    start = time.perf_counter()
    report_pdf(assessment, language)
    return time.perf_counter() - start


def staged(assessment, language, variant):
    """Seconds per stage of one report: data, HTML, layout, PDF (fonts subset and embedded)."""
    times = {}
    start = time.perf_counter()
    with translation.override(language):
        report = build_report(assessment, language=language)
        times["data"] = time.perf_counter() - start
        html = render_report_html(report, for_pdf=True)
        times["html"] = time.perf_counter() - start - times["data"]
    with pdf.cyclic_gc_paused():
        mark = time.perf_counter()
        document = HTML(string=html, base_url=pdf.REPORT_BASE_URL, url_fetcher=pdf.StaticOnlyFetcher()).render(
            font_config=pdf.font_configuration()
        )
        times["layout"] = time.perf_counter() - mark
        mark = time.perf_counter()
        data = document.write_pdf(pdf_variant=variant)
        times["pdf"] = time.perf_counter() - mark
    times["total"] = sum(times.values())
    return times, len(data), len(document.pages)


print(f"HarfBuzz subsetting: {harfbuzz_subsetting_available()}")
generated(kunshan, "zh-hans")  # warm-up: fonts loaded once per process
for remembered in (True, False):
    for language in ("zh-hans", "en"):
        runs = sorted(generated(kunshan, language, plan_remembered=remembered) for _ in range(RUNS))
        print(
            f"full report {language:7} (report_pdf, nothing stored, plan {'remembered' if remembered else 'afresh'}): "
            f"median {statistics.median(runs):.3f} s, best {runs[0]:.3f}, worst {runs[-1]:.3f} of {RUNS}"
        )
for variant in (pdf.PDF_VARIANT, None):
    for language in ("zh-hans", "en"):
        runs = [staged(kunshan, language, variant) for _ in range(RUNS)]
        medians = {stage: statistics.median(r[0][stage] for r in runs) for stage in runs[0][0]}
        stages = "  ".join(f"{k} {v:.3f}" for k, v in medians.items())
        print(
            f"  stages {language:7} variant={variant or 'none':8} pages={runs[0][2]:2} "
            f"size={runs[0][1] // 1024} KiB  median s: {stages}"
        )

report_pdf(kunshan, "zh-hans")  # stored
client = Client()
client.force_login(User.objects.get(username="consultant"))
url = f"/assessments/{kunshan.pk}/report.pdf?lang=zh-hans"
served = []
for _ in range(20):
    start = time.perf_counter()
    response = client.get(url)
    b"".join(response.streaming_content)
    served.append(time.perf_counter() - start)
print(
    f"stored report served: median {statistics.median(served) * 1000:.1f} ms, max {max(served) * 1000:.1f} ms "
    f"(status {response.status_code})"
)

pool = list(submitted_assessments().select_related("city", "version"))
jobs = [(a, language) for language in ("zh-hans", "en") for a in pool]
jobs = (jobs * 3)[:20]
for count in (5, 10, 20):
    GeneratedReport.objects.all().delete()
    start = time.perf_counter()
    done = set()
    for assessment, language in jobs[:count]:
        if (assessment.pk, language) in done:  # a third copy would be served from storage: render anew
            GeneratedReport.objects.filter(assessment=assessment, language=language).delete()
        report_pdf(assessment, language)
        done.add((assessment.pk, language))
    total = time.perf_counter() - start
    print(f"bulk: {count:2} reports in {total:.2f} s ({total / count:.2f} s each)")
