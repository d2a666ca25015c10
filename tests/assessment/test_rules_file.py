"""Rules files (docs/formats.md): the shipped rule sets, import_checks, and a bad file rejected whole."""

import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessment.bank_file import export_version, import_bank, read_bank_file
from assessment.consistency_file import import_rules, questions_of, validate_rules
from assessment.models import CheckRuleSet
from tests.factories import make_version

pytestmark = pytest.mark.django_db

FIXTURES = Path("fixtures")


def rules_of(version_code: str) -> dict:
    return yaml.safe_load((FIXTURES / f"checks-{version_code}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def banks():
    older = import_bank(read_bank_file(FIXTURES / "questionnaire-smc-2026.yaml"), publish=True)
    return older, import_bank(read_bank_file(FIXTURES / "questionnaire-smc-2027.yaml"), publish=True)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("code", ["smc-2026", "smc-2027"])
def test_the_shipped_rules_fit_their_bank(banks, code):
    version = next(v for v in banks if v.code == code)
    assert validate_rules(rules_of(code), questions=questions_of(version)) == []


def test_the_2027_rules_have_each_kind_and_at_least_25_rules():
    rules = rules_of("smc-2027")["rules"]
    assert len(rules) >= 25
    assert {rule["kind"] for rule in rules} == {"cross", "profile", "range"}
    assert {rule["severity"] for rule in rules} == {"warning", "notice"}


def test_every_number_question_of_each_bank_has_a_plausible_range(banks):
    for version in banks:
        numbers = {code for code, facts in questions_of(version).items() if facts.type == "number"}
        ranged = {rule["question"] for rule in rules_of(version.code)["rules"] if rule["kind"] == "range"}
        assert ranged == numbers, version.code


def test_import_checks_adds_a_revision_only_when_the_rules_change(banks, tmp_path):
    out, _ = run("import_checks", str(FIXTURES / "checks-smc-2027.yaml"))
    assert "revision 1" in out and "now in force" in out
    out, _ = run("import_checks", str(FIXTURES / "checks-smc-2027.yaml"))
    assert "unchanged" in out
    changed = rules_of("smc-2027")
    changed["rules"] = changed["rules"][:-1]
    out, _ = run("import_checks", str(write(tmp_path, "checks.yaml", changed)))
    assert "revision 2" in out
    kept = CheckRuleSet.objects.filter(version=banks[1]).order_by("revision")
    assert [(r.revision, r.rule_count) for r in kept] == [(1, len(changed["rules"]) + 1), (2, len(changed["rules"]))]


def test_replacing_the_rules_of_a_published_version_leaves_the_version_as_it_was(banks, tmp_path):
    version = banks[1]
    before = export_version(version)
    run("import_checks", str(FIXTURES / "checks-smc-2027.yaml"))
    version.refresh_from_db()
    assert version.is_published and export_version(version) == before


def test_a_revision_is_never_changed():
    version = make_version()
    rule_set = CheckRuleSet.objects.create(version=version, revision=1, rules=[])
    rule_set.rules = [{"code": "x"}]
    with pytest.raises(ValueError, match="never changed"):
        rule_set.save()


BAD_RULES = [
    # (what is wrong, how the rule is spoilt, the problem's path and words)
    ("unknown question", {"when": {"question": "X9.9", "level": 4}}, "rules[0].when.question: unknown question 'X9.9'"),
    (
        "a test of another type",
        {"expect": {"question": "S1.2", "level": 2}},
        "rules[0].expect.question: S1.2 is a number question: level applies to level questions",
    ),
    (
        "N/A where the question allows none",
        {"expect": {"question": "S1.1", "not_applicable": True}},
        "rules[0].expect.not_applicable: the question does not allow 'not applicable'",
    ),
    (
        "a level out of range",
        {"when": {"question": "S1.1", "level": 6}},
        "rules[0].when.level: expected a whole number",
    ),
    (
        "an unknown checklist item",
        {"expect": {"question": "G1.1", "ticked": ["a", "z"]}},
        "rules[0].expect.ticked[1]: unknown item 'z'",
    ),
    ("an unknown severity", {"severity": "error"}, "rules[0].severity: expected one of warning, notice"),
    ("an unknown kind", {"kind": "hunch"}, "rules[0].kind: unknown kind 'hunch'"),
    ("a typo in a key", {"expcet": {"question": "S1.1", "level": 1}}, "rules[0].expcet: unknown key"),
    (
        "two things asked of one question",
        {"when": {"question": "S1.1", "level": 4, "answered": True}},
        "rules[0].when: a test asks exactly one thing",
    ),
    (
        "a placeholder for a question the rule does not name",
        {"message": {"zh-hans": "{I1.1}", "en": "x"}},
        "rules[0].message.zh-hans: {I1.1}: the rule names no question I1.1",
    ),
    ("a message without English", {"message": {"zh-hans": "检查"}}, "rules[0].message.en: is required"),
]


def good_rule() -> dict:
    return {
        "code": "a-rule",
        "kind": "cross",
        "severity": "warning",
        "when": {"question": "S1.1", "level": {"min": 4}},
        "expect": {"question": "G1.2", "answer": True},
        "message": {"zh-hans": "S1.1为{S1.1}", "en": "S1.1 is {S1.1}"},
    }


@pytest.mark.parametrize(("what", "change", "problem"), BAD_RULES, ids=[case[0] for case in BAD_RULES])
def test_a_bad_rule_is_named_by_its_path(what, change, problem):
    version = make_version()
    rule = {**good_rule(), **change}
    problems = [
        str(p)
        for p in validate_rules({"questionnaire": version.code, "rules": [rule]}, questions=questions_of(version))
    ]
    assert any(p.startswith(problem) for p in problems), problems


def test_bad_profiles_ranges_and_duplicate_codes_are_named_by_their_paths():
    version = make_version()
    profile = {
        **good_rule(),
        "code": "b",
        "kind": "profile",
        "profile": {"specialties": ["fishing"], "cluster": "yes please"},
    }
    ranged = {"code": "c", "kind": "range", "severity": "notice", "question": "S1.1", "min": 5, "max": 1}
    ranged["message"] = {"zh-hans": "x", "en": "x"}
    data = {"questionnaire": version.code, "rules": [good_rule(), profile, ranged, good_rule()]}
    problems = [str(p) for p in validate_rules(data, questions=questions_of(version))]
    assert "rules[1].profile.specialties[0]: unknown value 'fishing'" in " | ".join(problems)
    assert any(p.startswith("rules[1].profile.cluster: expected true or false") for p in problems)
    assert any(p.startswith("rules[2].question: S1.1 is a level question: a range applies to number") for p in problems)
    assert "rules[2]: min (5) must be below max (1)" in problems
    assert "rules[3].code: duplicate code 'a-rule' (first used at rules[0].code)" in problems


def test_a_bad_rules_file_is_rejected_whole_with_the_path_of_each_problem(banks, tmp_path):
    data = copy.deepcopy(rules_of("smc-2027"))
    data["rules"][0]["when"]["question"] = "S9.9"
    data["rules"][5]["severity"] = "fatal"
    data["rules"][-1]["max"] = "three"
    err = StringIO()
    with pytest.raises(CommandError, match=r"rejected, 3 problems \(listed above\); nothing was written"):
        call_command("import_checks", str(write(tmp_path, "bad.yaml", data)), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("rules[0].when.question: unknown question 'S9.9'")
    assert lines[1].startswith("rules[5].severity: expected one of warning, notice, got 'fatal'")
    assert lines[2].startswith(f"rules[{len(data['rules']) - 1}].max: expected a number, got 'three'")
    assert not CheckRuleSet.objects.exists()


def test_rules_for_a_version_that_is_not_loaded_are_refused(tmp_path):
    with pytest.raises(CommandError, match="questionnaire: no questionnaire version 'smc-2027' is loaded"):
        run("import_checks", str(FIXTURES / "checks-smc-2027.yaml"))


def test_a_file_that_is_no_yaml_is_a_one_line_error(tmp_path):
    path = tmp_path / "checks.yaml"
    path.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid YAML"):
        run("import_checks", str(path))


def test_import_rules_returns_the_rule_set_in_force(banks):
    rule_set, added = import_rules(rules_of("smc-2026"), source="checks-smc-2026.yaml")
    assert added and rule_set.version == banks[0] and rule_set.source == "checks-smc-2026.yaml"
