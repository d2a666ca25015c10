"""Small explicit builders for test data (no fixed primary keys)."""

import copy
import itertools

from django.contrib.auth import get_user_model

from assessment.bank_file import import_bank
from cities.models import City, CityMembership, ConsultantAssignment, MembershipRole

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery"


def make_user(*, username=None, staff=False, consultant=False, **extra):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=staff, is_superuser=staff, is_consultant=consultant, **extra
    )
    return user


def make_city(*, name=None, province="jiangsu", level="county_city", **extra):
    return City.objects.create(
        name_zh=name or f"测试市{next(_counter)}",
        name_en=extra.pop("name_en", ""),
        province=province,
        level=level,
        **extra,
    )


def make_official(city, *, role=MembershipRole.RESPONDENT, **user_kwargs):
    user = make_user(**user_kwargs)
    CityMembership.objects.create(user=user, city=city, role=role)
    return user


def assign_consultant(consultant, *cities):
    for city in cities:
        ConsultantAssignment.objects.create(consultant=consultant, city=city)


SMALL_BANK = {
    "code": "test-bank",
    "title": {"zh-hans": "测试问卷", "en": "Test questionnaire"},
    "direction_weights": {"services": 2, "governance": 1, "industry": 1, "infrastructure": 1},
    "dimensions": [
        {
            "code": "S1",
            "direction": "services",
            "title": {"zh-hans": "政务服务", "en": "Government services"},
            "weight": 2,
            "questions": [
                {
                    "code": "S1.1",
                    "type": "level",
                    "text": {"zh-hans": "一网通办的程度", "en": "How far is one-stop service?"},
                    "guidance": {"zh-hans": "看平台", "en": "Look at the platform"},
                    "evidence": True,
                    "levels": [{"zh-hans": f"第{k}级", "en": f"Level {k}"} for k in range(1, 6)],
                },
                {
                    "code": "S1.2",
                    "type": "number",
                    "unit": "%",
                    "text": {"zh-hans": "在线办事率", "en": "Online service rate"},
                    "thresholds": [20, 40, 60, 80],
                },
            ],
        },
        {
            "code": "G1",
            "direction": "governance",
            "title": {"zh-hans": "数据共享"},
            "questions": [
                {
                    "code": "G1.1",
                    "type": "checklist",
                    "text": {"zh-hans": "已共享的数据"},
                    "allow_na": True,
                    "items": [
                        {"code": "a", "text": {"zh-hans": "人口"}, "weight": 2},
                        {"code": "b", "text": {"zh-hans": "法人"}, "weight": 1},
                    ],
                },
                {"code": "G1.2", "type": "yes_no", "text": {"zh-hans": "有数据目录吗"}, "weight": 0.5},
            ],
        },
        {
            "code": "I1",
            "direction": "infrastructure",
            "title": {"zh-hans": "数据中心"},
            "questions": [
                {
                    "code": "I1.1",
                    "type": "number",
                    "unit": "PUE",
                    "text": {"zh-hans": "数据中心PUE"},
                    "thresholds": [1.8, 1.6, 1.5, 1.3],
                }
            ],
        },
    ],
}


def bank_data(**overrides):
    """A deep copy of a small valid bank using all four question types, with top-level overrides."""
    data = copy.deepcopy(SMALL_BANK)
    data.update(overrides)
    return data


def make_version(*, publish=False, **overrides):
    return import_bank(bank_data(**overrides), publish=publish)


def bank_with_questions(count: int, *, code="big-bank"):
    """A valid bank of `count` questions spread over the four directions, all four types."""
    directions = ["services", "governance", "industry", "infrastructure"]
    kinds = ["level", "yes_no", "checklist", "number"]
    dimensions = []
    for d, direction in enumerate(directions):
        questions = []
        for i in range(d, count, len(directions)):
            kind = kinds[(i // len(directions)) % len(kinds)]
            question = {"code": f"Q{i}", "type": kind, "text": {"zh-hans": f"问题{i}", "en": f"Question {i}"}}
            if kind == "level":
                question["levels"] = [{"zh-hans": f"第{k}级"} for k in range(1, 6)]
            elif kind == "checklist":
                question["items"] = [{"code": c, "text": {"zh-hans": c}} for c in "abc"]
            elif kind == "number":
                question["thresholds"] = [20, 40, 60, 80]
            questions.append(question)
        dimensions.append(
            {"code": f"D{d}", "direction": direction, "title": {"zh-hans": direction}, "questions": questions}
        )
    return {"code": code, "title": {"zh-hans": "大问卷"}, "dimensions": dimensions}
