"""A 120-answer batch save (POST …/<direction>/answers/), measured beside an earlier version of the code in
one run: both trees run the same requests on their own fresh SQLite database, in their own process.

    .venv/bin/python benchmarks/batch_save.py              # against BASELINE (main before issue 22)
    .venv/bin/python benchmarks/batch_save.py --against REF

Three batches of the 120 services questions of a 480-question bank, each the median of RUNS requests
through Django's test client (session, lock, checks, write, progress: the whole request):
  changed   every answer changes (the worst case of "Save all", or a long offline sitting resent);
  unchanged every answer as stored (what "Save all" on an unchanged page used to send);
  new       no answer stored yet.
The goal of issue 22: a 120-answer batch takes at most a fifth of the baseline's time.

Where the tree checks answers (issue 26), the bank gets a rule set that every batch checks in full: a
cross-question rule for each level question of the direction, a profile rule for each yes/no question
and a plausible range for each number question (90 rules naming all 120 questions), so the batch's
reply carries the findings of 90 rules. The goal of issue 26: within a few milliseconds of the tree before.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "97640eb"  # main before issue 22: bulk_update over every field of every answer
RUNS = 25


def measure(tree: Path) -> dict:
    """Run the three batches against the code in `tree`; their median times (ms) and query counts."""
    sys.path.insert(0, str(tree))
    folder = Path(tempfile.mkdtemp(prefix="cdm-batch-"))
    os.environ.update(
        SQLITE_PATH=str(folder / "bench.sqlite3"),
        MEDIA_ROOT=str(folder / "media"),
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",  # as in production: no query log
        SECRET_KEY="benchmark",
        SECURE_COOKIES="0",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    try:
        from assessment.lifecycle import start_assessment
    except ImportError:  # the code before issue 23 started assessments in `answering`
        from assessment.answering import start_assessment
    from assessment.bank_file import import_bank
    from assessment.models import Answer, Question
    from cities.models import MembershipRole
    from tests.factories import bank_with_questions, make_city, make_official

    version = import_bank(bank_with_questions(480, code="bench-480"), publish=True)
    try:
        from assessment.consistency_file import import_rules
    except ImportError:  # the code before issue 26 checked no answer
        pass
    else:
        import_rules({"questionnaire": version.code, "rules": bench_rules(version)})
    city = make_city()
    coordinator = make_official(city, role=MembershipRole.COORDINATOR)
    assessment = start_assessment(city=city, year=2026, user=coordinator)
    questions = list(Question.objects.filter(dimension__version=version, dimension__direction="services"))
    client = Client()
    client.force_login(coordinator)
    url = reverse("answers_save_batch", args=[assessment.pk, "services"])

    def entries(variant: int) -> list[dict]:
        revisions = dict(Answer.objects.filter(assessment=assessment).values_list("question_id", "revision"))
        value = {
            "level": {"level": 3 + variant},
            "yes_no": {"yes": not variant},
            "checklist": {"items": ["b"] if variant else ["a"]},
            "number": {"number": 42 + variant},
        }
        return [
            {"question": q.code, "revision": revisions.get(q.pk, 0), "comment": "", **value[q.type]} for q in questions
        ]

    def post(batch) -> float:
        body = json.dumps({"answers": batch})
        start = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200 and response.json()["status"] == "saved", response.content[:300]
        return elapsed

    def run(prepare) -> dict:
        post(prepare(0))  # the state each run starts from
        statements, batch = [], prepare(1)
        with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
            times = [post(batch)]  # its SQL statements counted
        times += [post(prepare(i)) for i in range(2, RUNS + 1)]
        return {"ms": statistics.median(times), "min": min(times), "queries": len(statements)}

    def changed(i):
        return entries(i % 2)

    def unchanged(_i):
        return entries(0)

    def new(_i):
        Answer.objects.filter(assessment=assessment).delete()
        return entries(0)

    post(entries(0))  # the bank is read once per process
    return {"changed": run(changed), "unchanged": run(unchanged), "new": run(new)}


def bench_rules(version) -> list[dict]:
    """Rules naming every services question of the benchmark's bank (see the module's docstring)."""
    from assessment.models import Question

    questions = list(
        Question.objects.filter(dimension__version=version, dimension__direction="services").order_by("pk")
    )
    by_type = {
        kind: [q.code for q in questions if q.type == kind] for kind in ("level", "yes_no", "checklist", "number")
    }
    message = {"zh-hans": "检查", "en": "Check"}
    rules = []
    for level, yes_no, checklist in zip(by_type["level"], by_type["yes_no"], by_type["checklist"], strict=False):
        rules.append(
            {
                "code": f"cross-{level}",
                "kind": "cross",
                "severity": "warning",
                "when": {"question": level, "level": {"min": 4}},
                "expect": {"any": [{"question": yes_no, "answer": True}, {"question": checklist, "ticked": ["a"]}]},
                "message": message,
            }
        )
    for yes_no in by_type["yes_no"]:
        rules.append(
            {
                "code": f"profile-{yes_no}",
                "kind": "profile",
                "severity": "notice",
                "profile": {"cluster": False},
                "when": {"question": yes_no, "answer": True},
                "message": message,
            }
        )
    for number in by_type["number"]:
        rules.append(
            {
                "code": f"range-{number}",
                "kind": "range",
                "severity": "notice",
                "question": number,
                "min": 10,
                "max": 90,
                "message": message,
            }
        )
    return rules


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
        before, after = in_process(baseline), in_process(ROOT)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=True)
    print(f"120-answer batch save, median of {RUNS} requests each (SQLite); before = {against}, after = this tree")
    print("(the fastest of the requests in brackets: it is the least disturbed by other work on the machine)")
    print(f"{'batch':<10} {'before ms':>15} {'queries':>8} {'after ms':>15} {'queries':>8} {'after/before':>13}")
    for name in ("changed", "unchanged", "new"):
        b, a = before[name], after[name]
        ratio = f"{a['ms'] / b['ms']:.2f} ({a['min'] / b['min']:.2f})"
        timing = {side: f"{t['ms']:.1f} ({t['min']:.1f})" for side, t in (("b", b), ("a", a))}
        print(f"{name:<10} {timing['b']:>15} {b['queries']:>8} {timing['a']:>15} {a['queries']:>8} {ratio:>13}")


if __name__ == "__main__":
    main()
