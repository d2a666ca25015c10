"""The report's first steps follow the consultant's plan (issue 15, defect 2): the executive summary, the
first three priorities and the stored PDF name the action the consultant put first, never a hidden one."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.answering import save_answer
from assessment.lifecycle import submit_assessment
from plans.models import Action, PlanAdjustment
from reports import delivery
from reports.report_data import build_report
from tests.assessment.answering_helpers import question
from tests.reports.test_plan_report_v2 import caoxian  # noqa: F401 — the fixture
from tests.reports.test_report import pdf_text

pytestmark = pytest.mark.django_db

HIDDEN, MOVED = "E-EC-02", "E-MFG-01"  # the specialty entry point (first), a medium-term action


@pytest.fixture
def submitted(caoxian):  # noqa: F811 — the fixture imported above
    """曹县 with a specialty entry point (E-EC-02, first) and a location one (S-XCITY-01, from S1.4
    answered "no"); E-MFG-01 is planned for the medium term."""
    a = caoxian.assessment
    save_answer(
        assessment=a, question=question(a, "S1.4"), values={"yes": False}, base_revision=0, user=caoxian.services
    )
    a = submit_assessment(a, user=caoxian.coordinator)
    with translation.override("en"):
        report = build_report(a, language="en")
    codes = [item.planned.action.code for phase in report.phases for item in phase.items]
    # Engine 3: the foundations share year one with the entry point, so the location entry comes later.
    assert codes[0] == HIDDEN and "S-XCITY-01" in codes and MOVED in codes[3:]
    return a


def hide_the_first_and_move_another_to_the_top(assessment):
    PlanAdjustment.objects.create(assessment=assessment, action_code=HIDDEN, hidden=True)
    PlanAdjustment.objects.create(assessment=assessment, action_code=MOVED, phase="near", order=1)


def titles_in_order(text: str, language: str) -> list[str]:
    """The codes of the catalogue's actions in the order their titles first appear in `text`."""
    attribute = "title_en" if language == "en" else "title_zh"
    found = []
    for action in Action.objects.all():
        title = getattr(action, attribute)
        quoted = title.replace("“", "‘").replace("”", "’")  # as a title reads inside quotation marks
        positions = [p for p in (text.find(title), text.find(quoted)) if p >= 0]
        if positions:
            found.append((min(positions), action.code))
    return [code for _position, code in sorted(found)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_summary_names_the_moved_action_first_and_never_the_hidden_one(submitted, language):
    hide_the_first_and_move_another_to_the_top(submitted)
    with translation.override(language):
        report = build_report(submitted, language=language)
        summary = "".join(report.summary)
    assert [item.planned.action.code for item in report.first_priorities][0] == MOVED
    named = titles_in_order(summary, language)
    assert named[0] == MOVED and HIDDEN not in named
    if language == "en":
        assert "which the consultant put first" in summary


def test_the_summary_still_starts_from_the_entry_point_when_the_consultant_only_hid_an_action(submitted):
    PlanAdjustment.objects.create(assessment=submitted, action_code="S-ONE-01", hidden=True)
    summary = " ".join(build_report(submitted, language="en").summary)
    assert "The plan starts from the city's own strength, e-commerce" in summary
    assert "the consultant put first" not in summary


def test_the_report_page_lists_the_moved_action_first_among_the_first_priorities(submitted, client):
    hide_the_first_and_move_another_to_the_top(submitted)
    client.force_login(submitted.city.consultant_assignments.get().consultant)
    page = client.get(reverse("assessment_report", args=[submitted.pk])).content.decode()
    priorities = re.search(r'<ol class="ranked">(.*?)</ol>', page, re.S).group(1)
    assert titles_in_order(priorities, "en")[0] == MOVED and HIDDEN not in titles_in_order(priorities, "en")


def test_the_stored_pdf_is_made_again_after_the_consultants_changes(submitted):
    before = delivery.report_pdf(submitted, "en")
    hide_the_first_and_move_another_to_the_top(submitted)
    after = delivery.report_pdf(submitted, "en")
    assert after.fingerprint != before.fingerprint and after.file.name != before.file.name
    text = " ".join(pdf_text(after.file.read()).split())
    priorities = text[text.index("First three priorities") :]
    assert titles_in_order(priorities[:600], "en")[0] == MOVED
    assert "which the consultant put first" in text
