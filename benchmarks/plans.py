"""The recommendation engine, measured beside an earlier engine in one run: both trees compute the same
plans on their own fresh demo database (seed_demo), in their own process.

    .venv/bin/python benchmarks/plans.py              # against BASELINE (engine 2, before issue 24)
    .venv/bin/python benchmarks/plans.py --against REF

Plans for every demo city (88) with identical answers — every question and dimension at L1, L2 or
L3 — and for 昆山市's own 2025 answers, on the real catalogue (93 actions), and at L1 on the
catalogue repeated eight times (744 actions). Each figure is the median (and the worst) time of one
`recommend` call: select, rank and lay out the roadmap. The goal of issue 24: at most a fourteenth
of engine 2's time at 93 actions and a tenth at 744.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "de06885"  # main before issue 24: engine 2


def measure(tree: Path) -> dict:
    sys.path.insert(0, str(tree))
    sys.path.insert(0, str(tree / "benchmarks"))
    os.chdir(tree)
    from django_setup import setup_demo_database

    setup_demo_database()
    import yaml

    from assessment.models import Assessment
    from cities.models import City
    from plans import recommendations as engine
    from plans.compute import catalogue_specs, city_profile, situation_of
    from plans.models import ActionCatalogue

    bank = yaml.safe_load(Path("fixtures/questionnaire-smc-2026.yaml").read_text(encoding="utf-8"))
    catalogue = ActionCatalogue.objects.current()
    specs, _ = catalogue_specs(catalogue)
    cities = list(City.objects.prefetch_related("specialties").order_by("pk"))
    profiles = [city_profile(city) for city in cities]

    def uniform(level):
        questions = {q["code"]: level for d in bank["dimensions"] for q in d["questions"]}
        return engine.Situation(questions, {d["code"]: level for d in bank["dimensions"]}, {})

    def timed(catalogue_specs_, situation, profiles_) -> list[float]:
        times = []
        for profile in profiles_:
            start = time.perf_counter()
            engine.recommend(catalogue_specs_, profile, situation)
            times.append((time.perf_counter() - start) * 1000)
        return times

    def summary(times):
        return {"median": statistics.median(times), "max": max(times), "plans": len(times)}

    results = {}
    for level in (1, 2, 3):
        results[f"L{level}, 93 actions"] = summary(timed(specs, uniform(level), profiles))
    kunshan = Assessment.objects.filter(city__name_zh="昆山市", year=2025).first()
    if kunshan is not None:
        situation = situation_of(kunshan)
        profile = city_profile(kunshan.city)
        results["昆山市 2025, 93 actions"] = summary(timed(specs, situation, [profile] * 20))
    many = tuple(replace(s, code=f"{s.code}{copy}") for copy in "ABCDEFGH" for s in specs)
    many = tuple(
        replace(s, prerequisites=tuple(_suffixed(p, s.code[-1]) for p in s.prerequisites)) for s in many
    )
    results["L1, 744 actions"] = summary(timed(many, uniform(1), profiles[:20]))
    return results


def _suffixed(prerequisite, suffix):
    return prerequisite + suffix if isinstance(prerequisite, str) else tuple(p + suffix for p in prerequisite)


def in_process(tree: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(tree)], check=True, capture_output=True, text=True, cwd=tree
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    against = sys.argv[sys.argv.index("--against") + 1] if "--against" in sys.argv else BASELINE
    baseline = Path(tempfile.mkdtemp(prefix="cdm-baseline-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(baseline), against], cwd=ROOT, check=True)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "compilemessages", "-v0", "--ignore=.venv"], cwd=baseline, check=True
        )
        before, after = in_process(baseline), in_process(ROOT)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=True)
    print(f"One plan (recommend), ms: before = {against}, after = this tree; median (worst)")
    print(f"{'plans':<26} {'before':>16} {'after':>16} {'after/before':>13}")
    for name, b in before.items():
        a = after[name]
        timing = {side: f"{t['median']:.2f} ({t['max']:.1f})" for side, t in (("b", b), ("a", a))}
        print(f"{name:<26} {timing['b']:>16} {timing['a']:>16} {a['median'] / b['median']:>13.3f}")


if __name__ == "__main__":
    main()
