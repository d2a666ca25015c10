"""Load test: the production stack under 50 respondents and a consultant, and nothing lost.

    make load-test                      # a private PostgreSQL, 2 minutes, 50 respondents
    LOAD_SECONDS=30 LOAD_USERS=20 make load-test

What it does, against the database in DATABASE_URL (a throwaway one: `make load-test` starts
a private PostgreSQL server for it):

1. migrates, loads the demo data, and opens a 2028 draft for 10 demo cities with 5 respondents
   each (every respondent answers every direction; each takes its own fifth of the questions);
2. starts gunicorn as production runs it (DEBUG off, `config/gunicorn.conf.py`, 4 workers);
3. runs locust for LOAD_SECONDS: each respondent logs in, opens direction pages, autosaves
   answers one by one (as the page does, carrying the revision each save returns) and now and
   then a batch of five; 2 consultants open and download reports of the submitted assessments;
4. stops, then checks every acknowledged save against the database: the answer is there with
   the revision and value of its last acknowledged save ("lost" counts those that are not);
5. prints requests per second, p50/p95/p99 per endpoint, server errors and lost answers, and
   exits non-zero unless both are 0.

Never run in CI: it takes minutes and measures the machine.
"""

import os
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task  # first: locust patches the standard library (gevent)
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
RESPONDENTS = int(os.environ.get("LOAD_USERS", "50"))
CITIES = 10
PASSWORD = "load-test-2028"
DEMO_PASSWORD = "demo-2026"
YEAR = 2028

# Filled before the run: respondents to hand out, the consultant's submitted assessments.
accounts: list[dict] = []
reports: list[int] = []
# (assessment id, question id) -> (revision, values) of the last acknowledged save.
acknowledged: dict[tuple[int, int], tuple[int, dict]] = {}
tally = defaultdict(int)


# Setting up ------------------------------------------------------------------------------


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True, env=env or os.environ.copy())


def prepare_database() -> None:
    """The demo data, and 10 cities × 5 respondents answering a fresh draft each."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throwaway PostgreSQL database (make load-test starts one).")
    manage("migrate", "--no-input", "-v0")
    manage("createcachetable")
    manage("seed_demo")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from assessment.answering import assign_directions
    from assessment.bank_cache import version_questions
    from assessment.lifecycle import start_assessment
    from assessment.models import Assessment, AssessmentStatus, Direction
    from cities.models import City, CityMembership, ConsultantAssignment, MembershipRole

    user_model = get_user_model()
    cities = list(City.objects.order_by("name_zh")[:CITIES])
    per_city = -(-RESPONDENTS // CITIES)
    for city in cities:
        coordinator = CityMembership.objects.filter(city=city, role=MembershipRole.COORDINATOR).first()
        assessment = start_assessment(city=city, year=YEAR, user=coordinator.user if coordinator else None)
        assessment = Assessment.objects.select_related("version").get(pk=assessment.pk)
        questions = list(version_questions(assessment.version).values())
        team = []
        for number in range(per_city):
            user = user_model.objects.create_user(username=f"load-{city.pk}-{number}", password=PASSWORD)
            CityMembership.objects.create(user=user, city=city, role=MembershipRole.RESPONDENT)
            team.append(user)
            mine = [question_facts(q) for i, q in enumerate(questions) if i % per_city == number]
            accounts.append({"username": user.username, "assessment": assessment.pk, "questions": mine})
        assign_directions(assessment=assessment, assignments=dict.fromkeys(Direction.values, team))
    accounts[:] = accounts[:RESPONDENTS]
    random.Random(7).shuffle(accounts)
    consultant = user_model.objects.get(username="consultant")
    cities_of_consultant = ConsultantAssignment.objects.filter(consultant=consultant).values("city")
    reports.extend(
        Assessment.objects.filter(city__in=cities_of_consultant, status=AssessmentStatus.SUBMITTED).values_list(
            "pk", flat=True
        )
    )


def question_facts(question) -> dict:
    """What a simulated respondent needs to give a question a sensible answer."""
    low, high = question.number_range if question.type == "number" else (0, 0)
    return {
        "id": question.pk,
        "code": question.code,
        "type": question.type,
        "direction": question.dimension.direction,
        "items": [item.code for item in question.checklist_items.all()],
        "range": (max(low, 0), min(high, 1000)),
    }


def start_server() -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4"),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "LOG_REQUESTS": "0",
        "AXES_FAILURE_LIMIT": "1000",  # one address logs in 50 users; throttling is tested elsewhere
    }
    manage("collectstatic", "--no-input", "-v0", env=env)
    command = [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.conf.py"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if urllib.request.urlopen(f"{BASE}/healthz", timeout=2).status == 200:  # noqa: S310 — our own server
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 20 s")


# The simulated users -----------------------------------------------------------------------


def log_in(user: HttpUser, username: str, password: str) -> None:
    user.client.get("/accounts/login/", name="login page")
    response = user.client.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": user.client.cookies.get("csrftoken", "")},
        name="log in",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not log in: {response.status_code}")
    tally["logged in"] += 1


def answer_for(question: dict) -> tuple[dict, dict]:
    """A random answer: as the page posts it, and as the database should then hold it."""
    kind = question["type"]
    if kind == "level":
        level = random.randint(1, 5)
        return {"level": str(level)}, {"level": level}
    if kind == "yes_no":
        yes = random.random() < 0.5
        return {"yes": "yes" if yes else "no"}, {"yes": yes}
    if kind == "checklist":
        items = [code for code in question["items"] if random.random() < 0.5]
        return {"items": items, "answered": "1"}, {"items": items}
    low, high = question["range"]
    number = round(random.uniform(low, high), 1)
    return {"number": str(number)}, {"number": number}


def acknowledge(assessment: int, question: int, revision: int, values: dict) -> None:
    key = (assessment, question)
    if key not in acknowledged or acknowledged[key][0] < revision:
        acknowledged[key] = (revision, values)


class Respondent(HttpUser):
    fixed_count = RESPONDENTS
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.account = accounts.pop()
        self.revisions: dict[int, int] = {}
        log_in(self, self.account["username"], PASSWORD)
        self.open_direction()

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Accept": "application/json"}

    @task(1)
    def open_direction(self):
        direction = random.choice(["services", "governance", "industry", "infrastructure"])
        self.client.get(f"/assessments/{self.account['assessment']}/{direction}/", name="direction page")

    @task(8)
    def autosave(self):
        question = random.choice(self.account["questions"])
        posted, stored = answer_for(question)
        revision = self.revisions.get(question["id"], 0)
        url = f"/assessments/{self.account['assessment']}/answers/{question['id']}/"
        data = {"revision": revision, "comment": f"负载测试 {revision}", **posted}
        with self.client.post(url, data, headers=self.csrf(), name="autosave", catch_response=True) as response:
            self.settle(question, response, stored)

    @task(1)
    def batch(self):
        direction = random.choice(["services", "governance", "industry", "infrastructure"])
        mine = [q for q in self.account["questions"] if q["direction"] == direction]
        chosen = random.sample(mine, min(5, len(mine)))
        if not chosen:
            return
        entries, expected = [], {}
        for question in chosen:
            _, stored = answer_for(question)
            expected[question["code"]] = (question, stored)
            entries.append({"question": question["code"], "revision": self.revisions.get(question["id"], 0), **stored})
        url = f"/assessments/{self.account['assessment']}/{direction}/answers/"
        with self.client.post(
            url, json={"answers": entries}, headers=self.csrf(), name="batch save (5)", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            for result in response.json()["answers"]:
                question, stored = expected[result["question"]]
                self.settle_result(question, result, stored)

    def settle(self, question, response, stored):
        if response.status_code == 200:
            self.settle_result(question, response.json(), stored)
        elif response.status_code == 409:  # a colleague's newer answer: shown, not lost; take its revision
            self.settle_result(question, response.json(), stored)
            response.success()
        else:
            response.failure(f"status {response.status_code}")

    def settle_result(self, question, result, stored):
        if result["status"] == "saved":
            revision = result["answer"]["revision"]
            self.revisions[question["id"]] = revision
            acknowledge(self.account["assessment"], question["id"], revision, stored)
            tally["acknowledged saves"] += 1
        elif result["status"] == "conflict":
            self.revisions[question["id"]] = result["theirs"]["revision"]
            tally["conflicts"] += 1
        else:
            tally["invalid"] += 1


class Consultant(HttpUser):
    fixed_count = 2
    wait_time = between(2, 5)

    def on_start(self):
        log_in(self, "consultant", DEMO_PASSWORD)

    @task(2)
    def report_page(self):
        self.client.get(f"/assessments/{random.choice(reports)}/report/", name="report page")

    @task(1)
    def download(self):
        language = random.choice(["zh-hans", "en"])
        self.client.get(
            f"/assessments/{random.choice(reports)}/report.pdf", params={"lang": language}, name="report PDF"
        )


@events.request.add_listener
def count_server_errors(name=None, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0)
    if status >= 500:
        tally["server errors"] += 1
    elif exception is not None and not status:  # no answer at all: refused, reset, timed out
        tally["connection errors"] += 1
        print(f"{time.strftime('%H:%M:%S')} {name}: no answer ({exception!r})", file=sys.stderr)


# Checking and reporting ------------------------------------------------------------------------


def check_answers() -> dict:
    """Every acknowledged save against the database: lost if missing, older, or of another value."""
    from assessment.models import Answer

    stored = {
        (a.assessment_id, a.question_id): a
        for a in Answer.objects.filter(assessment__year=YEAR).only(
            "assessment_id", "question_id", "revision", "level", "yes", "items", "number"
        )
    }
    lost = newer = 0
    for key, (revision, values) in acknowledged.items():
        answer = stored.get(key)
        if answer is None or answer.revision < revision:
            lost += 1
        elif answer.revision > revision:
            newer += 1  # saved after the last acknowledgement (the reply was cut off at the end)
        elif any(getattr(answer, name) != value for name, value in values.items()):
            lost += 1
    return {"answers checked": len(acknowledged), "lost": lost, "written after the last ack": newer}


def print_summary(env: Environment, seconds: float, checked: dict) -> None:
    stats = env.stats
    print(f"Load test: {RESPONDENTS} respondents of {CITIES} cities and 2 consultants, {seconds:.0f} s after ramp-up")
    print(f"{'endpoint':<18} {'requests':>8} {'failed':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for entry in sorted((e for e in stats.entries.values() if e.num_requests), key=lambda e: -e.num_requests):
        print(
            f"{entry.name:<18} {entry.num_requests:>8} {entry.num_failures:>6} {entry.num_requests / seconds:>6.1f}"
            f" {entry.get_response_time_percentile(0.5):>7.0f} {entry.get_response_time_percentile(0.95):>7.0f}"
            f" {entry.get_response_time_percentile(0.99):>7.0f}"
        )
    total = stats.total
    print(
        f"{'all':<18} {total.num_requests:>8} {total.num_failures:>6} {total.num_requests / seconds:>6.1f}"
        f" {total.get_response_time_percentile(0.5):>7.0f} {total.get_response_time_percentile(0.95):>7.0f}"
        f" {total.get_response_time_percentile(0.99):>7.0f}"
    )
    for name in ("acknowledged saves", "conflicts", "invalid", "server errors", "connection errors"):
        print(f"{name}: {tally[name]}")
    for error in stats.errors.values():
        print(f"failed: {error.occurrences} × {error.method} {error.name}: {error.error}")
    for name, value in checked.items():
        print(f"{name}: {value}")


def ramp_up(env: Environment, runner) -> str:
    """Start every user and wait until all have logged in; then measure from zero. Logging in
    hashes the password (PBKDF2, about 0.5 s of CPU each), so 52 logins at once hold both cores
    for a while; that burst is reported on its own and left out of the steady-state figures."""
    users = RESPONDENTS + 2
    started = time.monotonic()
    runner.start(users, spawn_rate=10)
    while tally["logged in"] < users and time.monotonic() - started < 300:
        gevent.sleep(0.5)
    logins = env.stats.get("log in", "POST")
    summary = (
        f"\nRamp-up: {tally['logged in']} of {users} users logged in within {time.monotonic() - started:.0f} s;"
        f" log in p50 {logins.get_response_time_percentile(0.5):.0f} ms,"
        f" p95 {logins.get_response_time_percentile(0.95):.0f} ms"
    )
    env.stats.reset_all()
    return summary


def main() -> int:
    prepare_database()
    server = start_server()
    try:
        # Users stop after the task they are in: a request cut off would look like a failure.
        env = Environment(user_classes=[Respondent, Consultant], host=BASE, events=events, stop_timeout=30)
        runner = env.create_local_runner()
        ramp = ramp_up(env, runner)
        started = time.monotonic()
        gevent.sleep(SECONDS)
        runner.stop()
        seconds = time.monotonic() - started
        runner.quit()
    finally:
        server.terminate()
        server.wait(timeout=60)
    checked = check_answers()
    print(ramp)
    print_summary(env, seconds, checked)
    failed = checked["lost"] or tally["server errors"] or tally["connection errors"] or env.stats.total.num_failures
    print("PASS: nothing lost, no errors" if not failed else "FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
