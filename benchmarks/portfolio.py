"""The portfolio page at 500 cities: its time (goal: under 300 ms; the queries are counted in
tests/reports/test_portfolio.py, the same for 50 and 500 cities). Then the Excel export of the
demo province (40 cities, each plan computed), which sets how many cities are exported during a
request (`portfolio.jobs.DIRECT_WORKBOOK_CITIES`) before the worker takes over.

A provincial analyst of Henan with 500 county-level cities, each with two submitted assessments
(their scores as submitted), on the demo database.
Run from the repository root: .venv/bin/python benchmarks/portfolio.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_demo_database  # noqa: E402

setup_demo_database()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from assessment.models import Assessment, AssessmentStatus  # noqa: E402
from cities.models import City  # noqa: E402

CITIES, RUNS = 500, 20


def main():
    template = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).first()
    cities = City.objects.bulk_create(
        City(name_zh=f"豫县{i:03d}", province="henan", region="central", level="county") for i in range(CITIES)
    )
    Assessment.objects.bulk_create(
        Assessment(
            city=city,
            version=template.version,
            year=year,
            status=AssessmentStatus.SUBMITTED,
            stored_scores=template.stored_scores,
        )
        for city in cities
        for year in (2026, 2027)
    )
    analyst = User.objects.create_user(username="henan-analyst", password="x", analyst_province="henan")
    client = Client()
    client.force_login(analyst)
    for query in ({}, {"sort": "overall", "order": "desc"}, {"tier": "county", "year": "2026"}):
        response = client.get("/portfolio/", query)
        assert response.status_code == 200 and response.content.count("豫县".encode()) >= CITIES
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get("/portfolio/", query)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"portfolio {query or 'unfiltered'}: {CITIES} cities, "
            f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {RUNS} runs"
        )

    workbook_of_the_demo_province()


def workbook_of_the_demo_province():
    client = Client()
    client.force_login(User.objects.get(username="jiangsu-analyst"))
    cities = City.objects.filter(province="jiangsu").count()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        response = client.get("/portfolio/export.xlsx")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    best = min(times)
    print(
        f"portfolio Excel export: {cities} cities of the demo province, best {best:.2f} s of 3 "
        f"({1000 * best / cities:.0f} ms a city)"
    )


main()
