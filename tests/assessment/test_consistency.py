"""The checking engine (assessment/consistency.py): hand-made rules and answers. Plain Python: no database."""

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.consistency import (
    CityProfile,
    check_answers,
    condition_from_data,
    explain,
    holds,
    rule_book,
    rule_from_data,
)
from assessment.scoring import Answer

MESSAGE = {"zh-hans": "检查{G3.1}", "en": "Check {G3.1} and {I2.3}"}
OPERATIONS = {
    "code": "operations-without-sensors",
    "kind": "cross",
    "severity": "warning",
    "when": {"question": "G3.1", "level": {"min": 4}},
    "expect": {"question": "I3.1", "level": {"min": 2}},
    "message": MESSAGE,
}
PUE = {
    "code": "pue",
    "kind": "range",
    "severity": "warning",
    "question": "I2.3",
    "min": 1.0,
    "max": 3.0,
    "message": MESSAGE,
}
CITY = CityProfile()


def level(k):
    return Answer(level=k)


NA = Answer(not_applicable=True)


def findings(rules, answers, city=CITY):
    return check_answers([rule_from_data(rule) for rule in rules], answers, city)


def test_a_cross_rule_fires_when_its_condition_holds_and_what_it_expects_fails():
    found = findings([OPERATIONS], {"G3.1": level(4), "I3.1": level(1)})
    assert [(f.rule, f.questions, f.severity) for f in found] == [
        ("operations-without-sensors", ("G3.1", "I3.1"), "warning")
    ]


@pytest.mark.parametrize(
    "answers",
    [
        {"G3.1": level(3), "I3.1": level(1)},  # the condition does not hold
        {"G3.1": level(5), "I3.1": level(2)},  # the expectation holds
        {"G3.1": level(5)},  # I3.1 unanswered: unknown, so nothing is found
        {"I3.1": level(1)},
        {},
    ],
)
def test_a_cross_rule_is_silent_when_its_answers_agree_or_are_missing(answers):
    assert findings([OPERATIONS], answers) == []


def test_a_not_applicable_answer_fails_every_test_of_a_value_and_passes_its_own():
    assert holds(condition_from_data({"question": "E2.1", "level": {"min": 1}}), {"E2.1": NA}) is False
    assert holds(condition_from_data({"question": "E2.1", "not_applicable": True}), {"E2.1": NA}) is True
    assert holds(condition_from_data({"question": "E2.1", "answered": True}), {"E2.1": NA}) is False
    assert holds(condition_from_data({"question": "E2.1", "answered": True}), {"E2.1": level(1)}) is True


@pytest.mark.parametrize(
    ("joined", "answers", "expected"),
    [
        ("any", {"A": level(5), "B": None}, True),  # one true part is enough, the unknown one does not matter
        ("any", {"A": level(1), "B": None}, None),
        ("any", {"A": level(1), "B": level(1)}, False),
        ("all", {"A": level(1), "B": None}, False),  # one false part is enough
        ("all", {"A": level(5), "B": None}, None),
        ("all", {"A": level(5), "B": level(5)}, True),
    ],
)
def test_all_and_any_answer_in_three_values(joined, answers, expected):
    condition = condition_from_data({joined: [{"question": "A", "level": 5}, {"question": "B", "level": 5}]})
    given_answers = {code: answer for code, answer in answers.items() if answer is not None}
    assert holds(condition, given_answers) is expected


@pytest.mark.parametrize(
    ("test", "ticked", "expected"),
    [
        ({"ticked": ["a", "b"]}, {"a", "b", "c"}, True),
        ({"ticked": ["a", "b"]}, {"a"}, False),
        ({"ticked_any": ["a", "b"]}, {"b"}, True),
        ({"ticked_any": ["a", "b"]}, {"c"}, False),
        ({"not_ticked": ["a", "b"]}, {"c"}, True),
        ({"not_ticked": ["a", "b"]}, {"a", "c"}, False),
        ({"ticked_count": {"min": 2}}, {"a", "c"}, True),
        ({"ticked_count": {"max": 1}}, {"a", "c"}, False),
        ({"ticked_count": 0}, set(), True),
    ],
)
def test_checklist_tests(test, ticked, expected):
    condition = condition_from_data({"question": "I3.2", **test})
    assert holds(condition, {"I3.2": Answer(items=frozenset(ticked))}) is expected


def test_yes_no_and_number_tests():
    assert holds(condition_from_data({"question": "G2.2", "answer": False}), {"G2.2": Answer(yes=False)}) is True
    assert holds(condition_from_data({"question": "G2.2", "answer": True}), {"G2.2": Answer(yes=False)}) is False
    between = condition_from_data({"question": "I2.3", "number": {"min": 1.0, "max": 1.1}})
    assert [holds(between, {"I2.3": Answer(number=n)}) for n in (0.99, 1.0, 1.1, 1.11)] == [False, True, True, False]


@pytest.mark.parametrize(
    ("value", "fires"), [(0, True), (0.99, True), (1.0, False), (1.3, False), (3.0, False), (50, True)]
)
def test_a_range_rule_fires_only_outside_its_plausible_range(value, fires):
    assert bool(findings([PUE], {"I2.3": Answer(number=value)})) is fires


def test_a_range_rule_ignores_a_question_not_applicable_or_unanswered():
    assert findings([PUE], {"I2.3": NA}) == findings([PUE], {}) == []


def test_a_profile_rule_concerns_only_the_cities_its_profile_names():
    rule = {
        "code": "outside-clusters",
        "kind": "profile",
        "severity": "warning",
        "profile": {"cluster": False},
        "when": {"question": "I5.1", "level": {"min": 3}},
        "message": MESSAGE,
    }
    answers = {"I5.1": level(4)}
    assert findings([rule], answers, CityProfile(cluster="")) != []
    assert findings([rule], answers, CityProfile(cluster="yangtze_river_delta")) == []


def test_a_profile_rule_matches_every_key_it_gives():
    rule = {
        "code": "agriculture",
        "kind": "profile",
        "severity": "warning",
        "profile": {"specialties": ["agriculture", "ecology"], "without_specialties": ["manufacturing"]},
        "expect": {"question": "E2.1", "not_applicable": False},
        "message": MESSAGE,
    }
    answers = {"E2.1": NA}
    assert findings([rule], answers, CityProfile(specialties=frozenset({"ecology"}))) != []
    assert findings([rule], answers, CityProfile(specialties=frozenset({"ecology", "manufacturing"}))) == []
    assert findings([rule], answers, CityProfile(specialties=frozenset({"ecommerce"}))) == []


def test_the_message_shows_the_level_and_the_number_answered():
    found = findings([OPERATIONS], {"G3.1": level(4), "I3.1": level(1), "I2.3": Answer(number=1.25)})
    assert found[0].message == {"zh-hans": "检查L4", "en": "Check L4 and 1.25"}


def test_a_warning_is_explained_by_a_comment_on_any_question_it_names_and_a_notice_needs_none():
    notice = {**PUE, "code": "pue-notice", "severity": "notice"}
    found = findings([OPERATIONS, PUE, notice], {"G3.1": level(4), "I3.1": level(1), "I2.3": Answer(number=0.5)})
    checked = explain(found, {"I3.1": "传感器由省平台统一接入，尚未计入本市", "I2.3": "  "})
    assert [c.explanation.question if c.explanation else None for c in checked] == ["I3.1", None, None]
    assert [c.blocks_submission for c in checked] == [False, True, False]


def test_the_rules_naming_a_question_are_the_ones_a_save_of_it_can_change():
    book = rule_book([OPERATIONS, PUE])
    assert [rule.code for rule in book.naming({"I3.1"})] == ["operations-without-sensors"]
    assert [rule.code for rule in book.naming({"I2.3", "G3.1"})] == ["operations-without-sensors", "pue"]
    assert book.naming({"S1.1"}) == ()


# The shipped rules over generated answers ---------------------------------------------------------

BANK_2027 = yaml.safe_load(Path("fixtures/questionnaire-smc-2027.yaml").read_text(encoding="utf-8"))
RULES_2027 = rule_book(yaml.safe_load(Path("fixtures/checks-smc-2027.yaml").read_text(encoding="utf-8"))["rules"])
QUESTIONS = {q["code"]: q for d in BANK_2027["dimensions"] for q in d["questions"]}


def answer_for(question):
    values = {
        "level": st.integers(1, 5).map(lambda k: Answer(level=k)),
        "yes_no": st.booleans().map(lambda yes: Answer(yes=yes)),
        "checklist": st.sets(st.sampled_from([i["code"] for i in question.get("items", [])])).map(
            lambda ticked: Answer(items=frozenset(ticked))
        ),
        "number": st.floats(0, 120, allow_nan=False).map(lambda n: Answer(number=n)),
    }[question["type"]]
    return st.one_of(values, st.just(NA)) if question.get("allow_na") else values


answers_2027 = st.fixed_dictionaries({}, optional={code: answer_for(q) for code, q in QUESTIONS.items()})
profiles = st.builds(
    CityProfile,
    specialties=st.frozensets(st.sampled_from(["agriculture", "manufacturing", "ecommerce", "ecology"])),
    cluster=st.sampled_from(["", "central_plains"]),
    functional_zone=st.sampled_from(["", "major_agricultural", "key_ecological"]),
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers_2027, city=profiles, saved=st.sets(st.sampled_from(sorted(QUESTIONS)), min_size=1, max_size=5))
def test_checking_the_rules_naming_the_saved_questions_finds_what_checking_all_finds_about_them(answers, city, saved):
    everything = check_answers(RULES_2027.rules, answers, city)
    after_save = check_answers(RULES_2027.naming(saved), answers, city)
    assert after_save == [f for f in everything if set(f.questions) & saved]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers_2027, city=profiles)
def test_no_rule_fires_on_questions_left_unanswered(answers, city):
    for finding in check_answers(RULES_2027.rules, answers, city):
        rule = next(rule for rule in RULES_2027.rules if rule.code == finding.rule)
        assert set(rule.questions) & answers.keys(), rule.code
        assert "{" not in finding.message["en"] and "{" not in finding.message["zh-hans"]
