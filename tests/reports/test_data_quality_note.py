"""The report's data-quality note (issue 26): what the answer checks found and how the city explained it."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.answering import save_answer
from assessment.consistency_file import import_rules
from assessment.lifecycle import submit_assessment
from plans.catalogue_file import import_catalogue
from reports import delivery
from tests.assessment.answering_helpers import make_team, question
from tests.assessment.test_answer_checks import RULES
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = pytest.mark.django_db

EXPLANATION = "本市政务数据目录由省里统一编制，覆盖本市全部部门"


@pytest.fixture
def submitted():
    team = make_team()
    import_catalogue(SMALL)
    a = team.assessment
    import_rules({"questionnaire": a.version.code, "rules": RULES})
    answers = {
        "S1.1": {"level": 4},
        "S1.2": {"number": 72.5},
        "G1.1": {"items": ["a"]},
        "G1.2": {"yes": False, "comment": EXPLANATION},  # explains the warning of S1.1 and G1.2
        "I1.1": {"number": 0.8},  # a notice
    }
    for code, values in answers.items():
        save_answer(assessment=a, question=question(a, code), values=values, base_revision=0, user=team.coordinator)
    team.assessment = submit_assessment(a, user=team.coordinator)
    return team


def report_page(client, team) -> str:
    client.force_login(team.coordinator)
    page = client.get(reverse("assessment_report", args=[team.assessment.pk])).content.decode()
    return page[page.index('id="data-quality"') : page.index('id="appendix"')]


def test_the_note_lists_each_explained_warning_with_its_explanation_and_the_notices(client, submitted):
    note = report_page(client, submitted)
    assert "The answers were checked against 2 consistency and plausibility rules (test-bank, revision 1 of" in note
    assert "Warnings the city explained" in note
    assert "S1.1 is L4, but there is no data catalogue" in note
    assert f"Explanation (comment on G1.2): “{EXPLANATION}”" in note
    assert "PUE of 0.8" in note and "Notices" in note
    assert "Warnings not explained" not in note


def test_a_warning_of_rules_revised_after_submission_is_listed_as_not_explained(client, submitted):
    stricter = [*RULES, {**RULES[0], "code": "stricter", "expect": {"question": "S1.2", "number": {"min": 80}}}]
    import_rules({"questionnaire": submitted.assessment.version.code, "rules": stricter})
    note = report_page(client, submitted)
    assert "revision 2" in note
    assert "Warnings not explained" in note
    assert "The rules were revised after the assessment was submitted" in note


def test_a_new_revision_of_the_rules_remakes_the_stored_report(submitted):
    first = delivery.report_fingerprint(submitted.assessment, "en")
    import_rules({"questionnaire": submitted.assessment.version.code, "rules": RULES[:1]})
    assert delivery.report_fingerprint(submitted.assessment, "en") != first


def test_the_note_speaks_the_reports_language(client, submitted):
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        note = report_page(client, submitted)
    assert "数据质量" in note and "S1.1为L4，但没有数据目录" in note
