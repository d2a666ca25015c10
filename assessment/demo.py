"""Demo assessments: plausible answers for real cities, deterministic, so every page has data.

Answers follow a city's profile: a city without a specialty marks that specialty's questions
"not applicable" (agriculture applies in a major agricultural production zone, ecology in a key
ecological function zone, whatever the specialties), a city outside any cluster marks the
cross-city ones; the level of the rest scatters around a base level set per city (a demo
assumption, not a measurement). A few cities have a story (`DEMO_STORIES`): answers and comments
that say what is known of them. Then the answers are made consistent with each other and with the
profile by the rules in force (`assessment.demo_checks`), so the demo tells a true story: no demo
assessment has a warning that nobody explained.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from assessment import carry_rules
from assessment.answering import assign_directions
from assessment.carry_over import preview_carry
from assessment.demo_checks import settle
from assessment.findings import city_profile, rules_in_force
from assessment.lifecycle import carry_over, start_assessment, submit_assessment
from assessment.models import Answer, Assessment, Direction, Question, QuestionnaireVersion, QuestionType
from cities.models import City, CityMembership, FunctionalZone

# Question codes of banks smc-2026 and smc-2027 that only apply to cities with one of these specialties.
SPECIALTY_QUESTIONS = {
    "E2.1": {"agriculture"},
    "E2.2": {"agriculture"},
    "E2.3": {"agriculture"},
    "E4.2": {"agriculture"},
    "E3.1": {"manufacturing"},
    "E3.2": {"manufacturing"},
    "E3.3": {"manufacturing"},
    "E4.3": {"culture_tourism"},
    "E4.4": {"culture_tourism"},
    "E5.1": {"digital_industry"},
    "E5.2": {"ecology"},
    "E5.3": {"ecology"},
    "G5.4": {"ecology"},
    "I2.3": {"digital_industry"},
}
CLUSTER_QUESTIONS = {"S1.4", "S3.4", "S3.5", "G3.4", "I5.1", "I5.2", "I5.3"}
# A national functional zone makes a specialty's questions apply whatever the city's specialties.
ZONE_SPECIALTIES = {FunctionalZone.MAJOR_AGRICULTURAL: "agriculture", FunctionalZone.KEY_ECOLOGICAL: "ecology"}

# What is known of some demo cities (fixtures/cities.yaml, ../shared/DOMAIN.md), by city and bank version:
# answers (and comments, where a real city would explain a warning) that the random draw must not
# contradict. A demo assumption like the base levels, but one a consultant would recognise.
_CAOXIAN = {
    # Hanfu e-commerce in a major agricultural production zone, with wood processing (fixtures/cities.yaml).
    "S2.1": {"level": 3},  # every county merged its hotlines into 12345 by the end of 2021 (国办发〔2020〕53号)
    "S4.3": {"number": 93.5, "comment": "电商服务站清单见附件；淘宝村集中的乡镇已实现行政村全覆盖"},
    "E2.1": {"level": 2},
    "E2.2": {"level": 2},
    "E2.3": {"number": 21.5},
    "E4.2": {"number": 16.0},
    "E3.1": {"level": 2},
    "E3.2": {"number": 46.0},
    "E3.3": {"level": 2},
    "G2.4": {"items": ["a", "b", "c"]},
    "G2.2": {
        "yes": False,
        "comment": "县级政务数据资源目录正在编制，尚未覆盖全部部门；数据分类分级和重要数据目录由菏泽市大数据局"
        "按市级目录统一开展，已覆盖本县各部门上报的数据。",
    },
}
_KAIFENG = {
    # Zhengzhou-Kaifeng integration (郑开同城化) in the Central Plains cluster: shared services and transport.
    "S1.4": {"yes": True, "comment": "郑开同城化：高频政务服务事项郑州、开封两地通办"},
    "I5.2": {"yes": True, "comment": "郑开城际铁路，两市公交乘车码互通"},
}
DEMO_STORIES = {
    ("曹县", "smc-2026"): {
        **_CAOXIAN,
        "E4.1": {"level": 5, "comment": "2021年曹县汉服网络零售额约占全国汉服线上销售的三分之一（商务局统计）"},
    },
    ("曹县", "smc-2027"): {
        **_CAOXIAN,
        "E4.1": {"level": 4, "comment": "汉服主要通过网络销售，网络零售额占特色产品销售总额的比例见商务局年度统计"},
        "E4.5": {"level": 4, "comment": "县乡村三级寄递物流体系覆盖全部乡镇和九成以上行政村（邮政管理局统计）"},
        "S6.2": {"number": 96.5},
        "S6.3": {"number": 88.0},
    },
    ("开封市", "smc-2026"): _KAIFENG,
    ("开封市", "smc-2027"): _KAIFENG,
}


@dataclass(frozen=True)
class DemoAssessment:
    city: str  # Chinese name
    year: int
    base_level: float  # around which answers scatter (1..5)
    submitted: bool
    answered_share: float = 1.0
    questionnaire: str = "smc-2026"
    carried_from: int | None = None  # the year of the city's assessment whose answers it starts from


DEMO_ASSESSMENTS = [
    DemoAssessment("昆山市", 2025, 3.2, submitted=True),
    DemoAssessment("昆山市", 2026, 3.7, submitted=False, answered_share=0.6),
    DemoAssessment("张家港市", 2026, 3.5, submitted=True),
    DemoAssessment("平湖市", 2026, 3.0, submitted=True),
    DemoAssessment("常熟市", 2026, 3.4, submitted=True),
    DemoAssessment("太仓市", 2026, 3.1, submitted=True),
    DemoAssessment("义乌市", 2026, 3.6, submitted=True),
    DemoAssessment("江阴市", 2026, 3.3, submitted=True),
    DemoAssessment("曹县", 2026, 2.4, submitted=True),
    DemoAssessment("开封市", 2026, 2.8, submitted=True),
    DemoAssessment("定西市", 2026, 2.0, submitted=False, answered_share=0.3),
    # The 2027 round on bank smc-2027, started from the 2026 answers (carried, reviewed, new ones answered):
    DemoAssessment("张家港市", 2027, 3.7, submitted=True, questionnaire="smc-2027", carried_from=2026),
    DemoAssessment("曹县", 2027, 2.7, submitted=True, questionnaire="smc-2027", carried_from=2026),
    DemoAssessment("开封市", 2027, 3.0, submitted=True, questionnaire="smc-2027", carried_from=2026),
    # ... and one still under way: carried answers to review, new questions open.
    DemoAssessment("平湖市", 2027, 3.2, submitted=False, questionnaire="smc-2027", carried_from=2026),
]


# The demo province: each of its generated cities (`demo: true` in fixtures/cities.yaml) gets a
# submitted assessment, so a provincial analyst's portfolio has a whole province to look at.
DEMO_PROVINCE = "jiangsu"
DEMO_PROVINCE_YEAR = 2026


def province_assessments() -> list[DemoAssessment]:
    """A submitted assessment for every generated city of the demo province. Its base level rises
    with GDP per head (10,000 CNY a resident: 6 → about 2.3, 17 → about 3.4), scattered a little per
    city; a demo assumption, as the base levels above are."""
    cities = City.objects.filter(province=DEMO_PROVINCE, is_demo=True).order_by("name_zh")
    demos = []
    for city in cities.only("name_zh", "gdp", "population"):
        per_head = float(city.gdp) / float(city.population) if city.gdp and city.population else 8.0
        scatter = random.Random(f"{city.name_zh}-base").gauss(0, 0.2)
        base = min(3.6, max(1.8, 1.7 + 0.1 * per_head + scatter))
        demos.append(DemoAssessment(city.name_zh, DEMO_PROVINCE_YEAR, round(base, 2), submitted=True))
    return demos


def applicable_specialties(city: City) -> set[str]:
    """The specialties whose questions apply to the city: its own, and those of its functional zone."""
    return {s.code for s in city.specialties.all()} | {ZONE_SPECIALTIES.get(city.functional_zone, "")} - {""}


def demo_answer(question: Question, city: City, specialties: set[str], rng: random.Random, base: float) -> dict:
    """The answer fields for one question of a demo city (`specialties`: those that apply to it)."""
    needs = SPECIALTY_QUESTIONS.get(question.code)
    if question.allow_na and (
        (needs and not needs & specialties) or (question.code in CLUSTER_QUESTIONS and not city.cluster)
    ):
        return {"not_applicable": True}
    return demo_value(question, rng, base)


def demo_value(question: Question, rng: random.Random, base: float) -> dict:
    """An answer with a value for one question, at a level scattered around `base`."""
    level = min(5, max(1, round(rng.gauss(base, 0.8))))
    if question.type == QuestionType.LEVEL:
        return {"level": level}
    if question.type == QuestionType.YES_NO:
        return {"yes": rng.random() < (level - 0.5) / 5}
    if question.type == QuestionType.CHECKLIST:
        items = [item.code for item in question.checklist_items.all()]
        return {"items": items[: round(len(items) * (level - 1) / 4)]}
    ceiling = 100.0 if question.unit == "%" else None
    return {"number": value_at_level(question.thresholds, level, rng, ceiling=ceiling)}


def value_at_level(thresholds, level: int, rng: random.Random, *, ceiling: float | None = None) -> float:
    """A number that a question with these thresholds scores at `level` (either direction), never
    below 0 nor above `ceiling` (100 for a share in %)."""
    t = list(thresholds)
    edges = [t[0] - (t[1] - t[0]), *t, t[-1] + (t[-1] - t[-2])]  # outer bands as wide as their neighbours
    low, high = edges[level - 1], edges[level]
    value = max(0.0, round(low + (high - low) * rng.uniform(0.1, 0.9), 2))
    return value if ceiling is None else min(value, ceiling)


@transaction.atomic
def seed_demo_assessments() -> list[str]:
    """Create the demo assessments that are missing; existing ones are left as they are."""
    lines = [f"Assessment {demo.city} {demo.year}: {state}." for demo in DEMO_ASSESSMENTS if (state := _seed(demo))]
    province = [demo for demo in province_assessments() if _seed(demo)]
    if province:
        lines.append(f"Demo province {DEMO_PROVINCE}: {len(province)} generated cities assessed and submitted.")
    return lines


def _seed(demo: DemoAssessment) -> str | None:
    """Create one demo assessment unless its city already has one that year; what was done, or None."""
    city = City.objects.prefetch_related("specialties").filter(name_zh=demo.city).first()
    version = QuestionnaireVersion.objects.filter(code=demo.questionnaire).first()
    if city is None or version is None or Assessment.objects.filter(city=city, year=demo.year).exists():
        return None
    coordinator = CityMembership.objects.filter(city=city, role="coordinator").select_related("user").first()
    user = coordinator.user if coordinator else None
    rng = random.Random(f"{demo.city}-{demo.year}")
    specialties = applicable_specialties(city)
    if demo.carried_from is None:
        assessment = start_assessment(city=city, year=demo.year, user=user, version=version)
        questions = _questions_of(version)
        answered = questions[: round(len(questions) * demo.answered_share)]
        Answer.objects.bulk_create(
            Answer(assessment=assessment, question=q, **demo_answer(q, city, specialties, rng, demo.base_level))
            for q in answered
        )
        state = "submitted" if demo.submitted else f"draft, {len(answered)}/{len(questions)} answered"
    else:
        source = Assessment.objects.get(city=city, year=demo.carried_from)
        tally = preview_carry(source, version).counts
        assessment = carry_over(source, version=version, year=demo.year, user=user)
        state = (
            f"started from {demo.carried_from} on {version.code}: {tally[carry_rules.CARRIED]} carried, "
            f"{tally[carry_rules.REVIEW]} to review, {tally[carry_rules.NEW] + tally[carry_rules.UNANSWERED]} new"
        )
        if demo.submitted:
            _complete_carried(assessment, city, specialties, rng, demo.base_level)
            state += "; reviewed, completed and submitted"
    _tell_a_true_story(assessment, rng, demo.base_level)
    _assign_demo_respondents(assessment)
    if demo.submitted:
        submit_assessment(assessment, user=user)
    return state


_VALUE_FIELDS = ("level", "yes", "items", "number", "not_applicable", "comment")


def _tell_a_true_story(assessment: Assessment, rng: random.Random, base: float) -> None:
    """The city's story told in its answers (`DEMO_STORIES`), and every other answer made consistent
    with it, with each other and with the city's profile by the rules in force (`demo_checks.settle`)."""
    answers = assessment.answers.select_related("question").prefetch_related("question__checklist_items")
    rows = {a.question.code: a for a in answers if a.is_answered}
    story = DEMO_STORIES.get((assessment.city.name_zh, assessment.version.code), {})
    values = {code: {name: getattr(row, name) for name in _VALUE_FIELDS} for code, row in rows.items()}
    for code, told in story.items():
        if code in values:
            values[code] = {"level": None, "yes": None, "items": None, "number": None, "not_applicable": False} | told
            values[code].setdefault("comment", rows[code].comment)
    book = rules_in_force(assessment)
    if book is not None:
        questions = {code: row.question for code, row in rows.items()}
        values = settle(
            values,
            rules=book.rules,
            city=city_profile(assessment.city),
            items={code: [i.code for i in q.checklist_items.all()] for code, q in questions.items()},
            allow_na=frozenset(code for code, q in questions.items() if q.allow_na),
            anew=lambda code: demo_value(questions[code], rng, base),
            fixed=frozenset(story),
        )
    changed = []
    for code, row in rows.items():
        if any(getattr(row, name) != values[code].get(name) for name in _VALUE_FIELDS):
            for name in _VALUE_FIELDS:
                setattr(row, name, values[code].get(name))
            changed.append(row)
    Answer.objects.bulk_update(changed, _VALUE_FIELDS)


def _questions_of(version) -> list[Question]:
    questions = Question.objects.filter(dimension__version=version).prefetch_related("checklist_items")
    return sorted(questions, key=lambda q: (q.dimension_id, q.position, q.pk))


def _complete_carried(assessment: Assessment, city, specialties, rng, base: float) -> None:
    """What a city team does before submitting a carried assessment: confirm the carried answers
    and answer the questions that were new or left open."""
    assessment.answers.filter(needs_review=True).update(needs_review=False)
    answered = {a.question_id for a in assessment.answers.all() if a.is_answered}
    missing = [q for q in _questions_of(assessment.version) if q.pk not in answered]
    assessment.answers.filter(question__in=missing).delete()  # empty rows of "not applicable" left for review
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, **demo_answer(q, city, specialties, rng, base)) for q in missing
    )


# The directions each demo respondent answers, by the department they work for (cities/demo.py):
# the government services office answers services and governance, the bureau of industry and
# information technology industry and infrastructure. Other respondents share what is left.
DEMO_RESPONDENT_DIRECTIONS = {
    "kunshan-services": ("services", "governance"),
    "kunshan-industry": ("industry", "infrastructure"),
}


def demo_assignments(respondents: list) -> dict[str, list]:
    """Who answers each direction: the respondents named for it, else the others in turn."""
    others = [user for user in respondents if user.username not in DEMO_RESPONDENT_DIRECTIONS] or respondents
    assignments = {}
    for i, direction in enumerate(Direction.values):
        named = [user for user in respondents if direction in DEMO_RESPONDENT_DIRECTIONS.get(user.username, ())]
        assignments[direction] = named or [others[i % len(others)]]
    return assignments


def _assign_demo_respondents(assessment: Assessment) -> None:
    respondents = [
        m.user
        for m in CityMembership.objects.filter(city=assessment.city, role="respondent")
        .select_related("user")
        .order_by("user__username")
    ]
    if respondents:
        assign_directions(assessment=assessment, assignments=demo_assignments(respondents))
