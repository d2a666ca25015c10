"""SQL queries and time of `show_scores` and the scores API for a stored (submitted) assessment.

Run from the repository root: .venv/bin/python benchmarks/scores_queries.py
"""

import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_demo_database  # noqa: E402

setup_demo_database()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from assessment.models import Assessment  # noqa: E402

RUNS = 50


def measure(action):
    with CaptureQueriesContext(connection) as queries:
        action()
    count = len(queries)  # before reset_queries() empties the log it reads from
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
        reset_queries()
    return count, statistics.median(times) * 1000


stored = Assessment.objects.exclude(status="draft").order_by("pk").first()
draft = Assessment.objects.filter(status="draft").order_by("pk").first()
client = Client()
client.force_login(User.objects.get(username="consultant"))

rows = [
    ("show_scores, stored", lambda: call_command("show_scores", str(stored.pk), stdout=StringIO())),
    ("show_scores, draft (scored on the fly)", lambda: call_command("show_scores", str(draft.pk), stdout=StringIO())),
    ("API as consultant, stored", lambda: client.get(f"/api/assessments/{stored.pk}/scores")),
    ("API as consultant, draft", lambda: client.get(f"/api/assessments/{draft.pk}/scores")),
]
print(f"demo database: {Assessment.objects.count()} assessments, 70 questions each; median of {RUNS} runs")
print(f"{'what':<42} {'SQL queries':>11} {'median ms':>10}")
for name, action in rows:
    queries, median_ms = measure(action)
    print(f"{name:<42} {queries:>11} {median_ms:>10.2f}")
