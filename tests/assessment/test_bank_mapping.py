"""Bank versions that continue a previous one: mappings and national indicators, checked on import."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from assessment.bank_file import BankFileError, export_version, import_bank, publish_version, validate_bank
from assessment.models import Question, QuestionnaireVersion
from tests.factories import bank_data, make_version

pytestmark = pytest.mark.django_db

FRAMEWORK = {
    "code": "GB/T 33356-2022",
    "title": {"zh-hans": "新型智慧城市评价指标", "en": "Evaluation indicators for new-type smart cities"},
    "note": {"zh-hans": "说明", "en": "Note"},
    "indicators": [
        {
            "code": "L1",
            "title": {"zh-hans": "惠民服务"},
            "children": [
                {"code": "L1P1", "title": {"zh-hans": "政务服务"}},
                {"code": "L1P2", "title": {"zh-hans": "交通服务"}},
            ],
        },
        {
            "code": "L5",
            "title": {"zh-hans": "信息资源"},
            "children": [{"code": "L5P1", "title": {"zh-hans": "开放共享"}}],
        },
        {"code": "L8", "title": {"zh-hans": "市民体验"}},
    ],
}


def next_bank():
    """test-bank's successor: one question rescaled, a yes/no turned into a level, one new, the rest same."""
    data = bank_data(code="test-bank-2", previous_version="test-bank", national_framework=copy.deepcopy(FRAMEWORK))
    services, governance, infrastructure = data["dimensions"]
    services["national"] = ["L1P1"]
    s11, s12 = services["questions"]
    s11["migration"] = {"how": "rescaled", "from": ["S1.1"], "levels": [1, 1, 2, 3, 4]}
    s12["migration"] = {"how": "same", "from": ["S1.2"]}
    services["questions"].append(
        {
            "code": "S1.3",
            "type": "yes_no",
            "text": {"zh-hans": "是否开展满意度调查"},
            "national": ["L8"],
            "migration": {"how": "new"},
        }
    )
    governance["national"] = ["L5P1"]
    g11, g12 = governance["questions"]
    g11["migration"] = {"how": "same", "from": ["G1.1"]}
    g12.update(
        type="level",
        levels=[{"zh-hans": f"第{k}级"} for k in range(1, 6)],
        migration={"how": "rescaled", "from": ["G1.2"], "levels": {"yes": 4, "no": 1}},
    )
    infrastructure["questions"][0]["migration"] = {"how": "same", "from": ["I1.1"]}
    return data


def question(data, code):
    return next(q for d in data["dimensions"] for q in d["questions"] if q["code"] == code)


@pytest.fixture
def previous():
    return make_version(publish=True)


def test_a_successor_with_mappings_imports_and_exports_them_unchanged(previous):
    data = next_bank()
    version = import_bank(data, publish=True)
    assert version.previous_version == previous
    assert version.national_framework == FRAMEWORK
    assert Question.objects.get(dimension__version=version, code="S1.1").migration["levels"] == [1, 1, 2, 3, 4]
    exported = export_version(version)
    assert exported["previous_version"] == "test-bank"
    assert exported["national_framework"] == FRAMEWORK
    assert question(exported, "G1.2")["migration"] == question(data, "G1.2")["migration"]
    assert question(exported, "S1.3")["national"] == ["L8"]
    assert validate_bank(exported) == []


def _unknown_old_code(data):
    question(data, "S1.2")["migration"]["from"] = ["S9.9"]


def _mapped_twice(data):
    question(data, "S1.3")["migration"] = {"how": "same", "from": ["S1.2"]}
    question(data, "S1.3").update(type="number", unit="%", thresholds=[20, 40, 60, 80])


def _rescale_out_of_range(data):
    question(data, "S1.1")["migration"]["levels"] = [0, 1, 2, 3, 6]


def _rescale_too_short(data):
    question(data, "S1.1")["migration"]["levels"] = [1, 2, 3]


def _merged_with_one_source(data):
    question(data, "S1.1")["migration"] = {"how": "merged", "from": ["S1.1"]}


def _unknown_way(data):
    question(data, "S1.2")["migration"]["how"] = "moved"


def _type_changed_but_same(data):
    question(data, "G1.2")["migration"] = {"how": "same", "from": ["G1.2"]}


def _unit_changed(data):
    question(data, "S1.2")["unit"] = "件"


def _checklist_item_lost(data):
    question(data, "G1.1")["items"] = [{"code": "a", "text": {"zh-hans": "人口"}}]


def _numbers_merged(data):
    question(data, "S1.2")["migration"] = {"how": "merged", "from": ["S1.2", "I1.1"]}


def _unknown_indicator(data):
    data["dimensions"][0]["national"] = ["L1P9"]


def _duplicate_indicator(data):
    data["national_framework"]["indicators"][2]["code"] = "L1"


def _national_without_framework(data):
    del data["national_framework"]


def _previous_not_loaded(data):
    data["previous_version"] = "smc-1999"


def _migration_without_previous(data):
    del data["previous_version"]


BAD_MAPPINGS = {
    "unknown old code": (_unknown_old_code, "dimensions[0].questions[1].migration.from", "unknown question S9.9"),
    "an old question mapped twice": (_mapped_twice, "dimensions[0].questions[2].migration.from", "must be split"),
    "level rescale out of range": (
        _rescale_out_of_range,
        "dimensions[0].questions[0].migration.levels",
        "out of range",
    ),
    "rescale of four levels": (_rescale_too_short, "dimensions[0].questions[0].migration.levels", "expected five"),
    "merged from one": (_merged_with_one_source, "dimensions[0].questions[0].migration.from", "two or more"),
    "unknown way": (_unknown_way, "dimensions[0].questions[1].migration.how", "unknown way"),
    "type changed": (_type_changed_but_same, "dimensions[1].questions[1].migration.from", "map it as new"),
    "unit changed": (_unit_changed, "dimensions[0].questions[1].migration.from", "counted in %"),
    "checklist item lost": (_checklist_item_lost, "dimensions[1].questions[0].migration.items", "items b of G1.1"),
    "numbers merged": (_numbers_merged, "dimensions[0].questions[1].migration.how", "cannot be merged"),
    "unknown indicator": (_unknown_indicator, "dimensions[0].national[0]", "unknown indicator 'L1P9'"),
    "duplicate indicator": (_duplicate_indicator, "national_framework.indicators[2].code", "duplicate code"),
    "national without framework": (_national_without_framework, "dimensions[0].national", "need a national_framework"),
    "previous not loaded": (_previous_not_loaded, "previous_version", "no questionnaire version 'smc-1999'"),
    "migration without previous": (
        _migration_without_previous,
        "dimensions[0].questions[0].migration",
        "needs previous_version",
    ),
}


@pytest.mark.parametrize("name", BAD_MAPPINGS)
def test_a_bad_mapping_is_rejected_whole_with_its_path(previous, name):
    spoil, path, message = BAD_MAPPINGS[name]
    data = next_bank()
    spoil(data)
    with pytest.raises(BankFileError) as error:
        import_bank(data)
    assert any(p.path == path and message in p.message for p in error.value.problems), error.value.problems
    assert list(QuestionnaireVersion.objects.values_list("code", flat=True)) == ["test-bank"]


def test_the_command_rejects_a_bad_mapping_in_one_line_and_writes_nothing(previous, tmp_path):
    data = next_bank()
    _rescale_out_of_range(data)
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_questionnaire", str(path))
    assert "migration.levels: level 0 is out of range (levels are 1 to 5)" in str(error.value)
    assert "nothing was written" in str(error.value)
    assert not QuestionnaireVersion.objects.filter(code="test-bank-2").exists()


def test_a_version_cannot_be_published_while_the_one_it_continues_is_a_draft():
    from django.core.exceptions import ValidationError

    make_version()  # test-bank, a draft
    successor = import_bank(next_bank())
    with pytest.raises(ValidationError, match="test-bank is still a draft"):
        publish_version(successor)


def test_a_mapping_of_the_wrong_shape_is_a_problem_by_path_not_a_crash(previous, tmp_path):
    data = next_bank()
    question(data, "S1.1")["migration"] = ["S1.1"]
    question(data, "S1.2")["migration"] = {"how": "same", "from": "S1.2"}
    question(data, "G1.1")["migration"] = {"how": "same", "from": ["G1.1"], "items": ["a"]}
    data["dimensions"][1]["national"] = "L5P1"
    data["national_framework"]["indicators"] = {"L1": "惠民服务"}
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="rejected, 7 problems"):  # a CommandError, never another exception
        call_command("import_questionnaire", str(path))
    paths = {p.path for p in validate_bank(data)}
    assert paths == {
        "dimensions[0].questions[0].migration",
        "dimensions[0].questions[1].migration.from",
        "dimensions[1].questions[0].migration.items",
        "dimensions[1].national",
        "national_framework.indicators",
        # With no indicators defined, every indicator named is unknown:
        "dimensions[0].national[0]",
        "dimensions[0].questions[2].national[0]",
    }


def test_a_mapping_edited_in_the_admin_is_checked_when_the_draft_is_published(previous, admin_client):
    from django.core.exceptions import ValidationError

    successor = import_bank(next_bank())
    question = Question.objects.get(dimension__version=successor, code="S1.2")
    question.migration = {"how": "same", "from": ["S9.9"]}
    question.save()
    with pytest.raises(ValidationError, match=r"migration.from: unknown question S9.9"):
        publish_version(successor)
    successor.refresh_from_db()
    assert not successor.is_published
    page = admin_client.get(f"/admin/assessment/question/{question.pk}/change/").content.decode()
    assert 'name="migration"' in page and 'name="national"' in page
