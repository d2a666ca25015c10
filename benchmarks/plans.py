"""The recommendation engine on the real catalogue: time to select, rank and lay out a plan for every
demo city with identical answers (all questions at L1, L2, L3), and what growing the roadmap with the
budget costs against a single layout at the city's budget.

Run from the repository root: .venv/bin/python benchmarks/plans.py
"""

import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_demo_database  # noqa: E402

setup_demo_database()

from cities.models import City  # noqa: E402
from plans import recommendations as engine  # noqa: E402
from plans.compute import catalogue_specs, city_profile  # noqa: E402
from plans.models import ActionCatalogue  # noqa: E402

bank = yaml.safe_load(Path("fixtures/questionnaire-smc-2026.yaml").read_text(encoding="utf-8"))
specs, _ = catalogue_specs(ActionCatalogue.objects.current())
cities = list(City.objects.prefetch_related("specialties"))


def uniform(level):
    return engine.Situation(
        {q["code"]: level for d in bank["dimensions"] for q in d["questions"]},
        {d["code"]: level for d in bank["dimensions"]},
        {},
    )


def seconds(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


for level in (1, 2, 3):
    situation = uniform(level)
    select, grow, single, sizes = [], [], [], []
    for city in cities:
        profile = city_profile(city)
        took, ranked = seconds(engine.select_actions, specs, profile, situation)
        select.append(took)
        sizes.append(len(ranked))
        took, _plan = seconds(engine.roadmap, ranked, annual_budget=profile.annual_budget, capacity=profile.capacity)
        grow.append(took)
        layouts = engine.Layouts(ranked, profile.capacity)
        took, _ = seconds(layouts.lay_out, profile.annual_budget)
        single.append(took)
    ratio = statistics.median(g / s for g, s in zip(grow, single, strict=True))
    print(
        f"L{level}: {len(cities)} cities, {statistics.median(sizes):.0f} actions selected (median)  "
        f"select median {statistics.median(select) * 1000:.1f} ms  "
        f"roadmap median {statistics.median(grow) * 1000:.1f} ms, max {max(grow) * 1000:.1f} ms  "
        f"one layout median {statistics.median(single) * 1000:.2f} ms  growing/one layout x{ratio:.0f}"
    )
