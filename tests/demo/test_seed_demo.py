"""seed_demo: real cities, the question bank, an account per role; twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import User
from assessment.bank_file import export_version
from assessment.models import Direction, QuestionnaireVersion, QuestionType
from cities.models import City, CityMembership, ConsultantAssignment
from demo.management.commands.seed_demo import login_url

pytestmark = pytest.mark.django_db

SPEC_CITIES = [
    "昆山市",
    "张家港市",
    "曹县",
    "莘县",
    "定西市",
    "江门市",
    "开封市",
    "宿州市",
    "平湖市",
    "石门县",
    "务川仡佬族苗族自治县",
]


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "cities": list(City.objects.order_by("name_zh").values()),
        "users": list(User.objects.order_by("username").values("username", "password", "is_staff", "is_consultant")),
        "memberships": list(CityMembership.objects.order_by("pk").values()),
        "assignments": list(ConsultantAssignment.objects.order_by("pk").values("consultant", "city")),
        "versions": [export_version(v) for v in QuestionnaireVersion.objects.all()],
    }


def test_seed_demo_loads_everything_and_prints_the_accounts():
    output = seed()
    for username in ["admin", "consultant", "kunshan-coordinator", "kunshan-services", "dingxi-respondent"]:
        assert username in output
    assert "demo-2026" in output
    assert set(SPEC_CITIES) <= set(City.objects.values_list("name_zh", flat=True))
    version = QuestionnaireVersion.objects.get(code="smc-2026")
    assert version.is_published
    assert User.objects.get(username="admin").is_staff
    assert ConsultantAssignment.objects.filter(consultant__username="consultant").count() >= 3


def test_running_seed_demo_twice_changes_nothing():
    seed()
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "0 added, 0 updated" in output


def test_at_least_one_peer_group_has_six_cities():
    seed()
    groups = City.objects.values("region", "level").annotate(n=Count("id"))
    assert max(group["n"] for group in groups) >= 6


def test_question_bank_v1_is_complete_and_bilingual():
    seed()
    data = export_version(QuestionnaireVersion.objects.get(code="smc-2026"))
    questions = [q for d in data["dimensions"] for q in d["questions"]]
    assert len(questions) >= 60
    for direction in Direction.values:
        assert sum(d["direction"] == direction for d in data["dimensions"]) >= 4
    assert {q["type"] for q in questions} == set(QuestionType.values)
    for q in questions:
        assert q["text"].get("en") and q["guidance"]["zh-hans"] and q["guidance"].get("en"), q["code"]
        for statement in q.get("levels", []):
            assert statement["zh-hans"] and statement.get("en"), q["code"]
    assert any(q["allow_na"] for q in questions)


def test_seed_demo_prints_the_address_make_run_serves_on(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8123")
    output = seed()
    assert "http://0.0.0.0:8123/" in output
    assert ":8000" not in output


def test_without_an_address_seed_demo_names_runservers_default(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert login_url() == "http://127.0.0.1:8000/"
    monkeypatch.setenv("HOST", "::1")
    assert login_url() == "http://[::1]:8000/"
