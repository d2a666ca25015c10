"""Officials answer online: start, assign, save every type, conflicts, errors, expiry, submit, reopen."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.answering import assign_directions, progress_of
from assessment.lifecycle import start_assessment
from assessment.models import Answer, Assessment, AssessmentStatus, EventKind
from tests.assessment.answering_helpers import make_team, post_answer, question, stored
from tests.factories import make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


# Start and assign -------------------------------------------------------------------------


def test_coordinator_starts_the_years_assessment_on_the_current_version(client, team):
    client.force_login(team.coordinator)
    city = team.assessment.city
    response = client.post(reverse("assessment_start", args=[city.pk]), {"year": 2027})
    created = Assessment.objects.get(city=city, year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("assessment_overview", args=[created.pk])
    assert created.version == team.assessment.version and created.is_draft
    assert created.events.get().kind == EventKind.STARTED


def test_only_one_assessment_per_city_and_year(client, team):
    client.force_login(team.coordinator)
    response = client.post(reverse("assessment_start", args=[team.assessment.city_id]), {"year": 2026})
    assert response.status_code == 200
    assert "already has an assessment for 2026" in response.content.decode()
    assert Assessment.objects.filter(city=team.assessment.city).count() == 1


def test_starting_from_the_previous_assessment_copies_its_answers(team):
    Answer.objects.create(
        assessment=team.assessment, question=question(team.assessment, "S1.1"), level=4, comment="平台已上线"
    )
    Answer.objects.create(assessment=team.assessment, question=question(team.assessment, "G1.1"), items=["a"])
    new = start_assessment(city=team.assessment.city, year=2027, user=team.coordinator, copy_previous=True)
    assert new.based_on == team.assessment
    copied = {a.question.code: (a.level, a.items, a.comment) for a in new.answers.select_related("question")}
    assert copied == {"S1.1": (4, None, "平台已上线"), "G1.1": (None, ["a"], "")}


def test_respondents_cannot_start_assessments(client, team):
    client.force_login(team.services)
    assert client.get(reverse("assessment_start", args=[team.assessment.city_id])).status_code == 404


def test_only_officials_of_the_city_can_be_assigned(team):
    with pytest.raises(ValidationError, match="do not work for this city"):
        assign_directions(assessment=team.assessment, assignments={"services": [team.other_official]})


def test_coordinator_assigns_through_the_overview(client, team):
    client.force_login(team.coordinator)
    client.post(
        reverse("assessment_assign", args=[team.assessment.pk]),
        {"services": [team.services.pk, team.governance.pk], "industry": [team.governance.pk]},
    )
    assigned = set(team.assessment.assignments.values_list("direction", "respondent__username"))
    assert assigned == {("services", "services"), ("services", "governance"), ("industry", "governance")}


def test_respondents_see_their_assignments_at_home(client, team):
    client.force_login(team.services)
    body = client.get(reverse("home")).content.decode()
    assert reverse("assessment_direction", args=[team.assessment.pk, "services"]) in body
    assert reverse("assessment_direction", args=[team.assessment.pk, "governance"]) not in body


# Saving answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, data, expected",
    [
        ("S1.1", {"level": "3"}, {"level": 3}),
        ("S1.2", {"number": "72.5"}, {"number": 72.5}),
        ("G1.1", {"items": ["a", "b"], "answered": "1"}, {"items": ["a", "b"]}),
        ("G1.1", {"answered": "1"}, {"items": []}),
        ("G1.1", {"not_applicable": "on"}, {"not_applicable": True}),
        ("G1.2", {"yes": "no"}, {"yes": False}),
    ],
)
def test_every_question_type_is_saved(client, team, code, data, expected):
    client.force_login(team.coordinator)
    response = post_answer(client, team.assessment, code, {**data, "comment": "见附件"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "saved" and response.json()["answer"]["revision"] == 1
    answer = stored(team.assessment, code)
    for name, value in expected.items():
        assert getattr(answer, name) == value
    assert answer.comment == "见附件" and answer.answered_by == team.coordinator


def test_saving_again_from_the_new_revision_updates_the_answer(client, team):
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "2"})
    response = post_answer(client, team.assessment, "S1.1", {"level": "4"}, revision=1)
    assert response.json()["answer"]["revision"] == 2
    assert stored(team.assessment, "S1.1").level == 4


def test_two_colleagues_saving_different_questions_both_keep_their_answers(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "2"})
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.2", {"number": "50"})
    assert stored(team.assessment, "S1.1").level == 2 and stored(team.assessment, "S1.2").number == 50


def test_a_stale_save_of_the_same_question_is_a_conflict_not_an_overwrite(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "2"})  # revision 1
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.1", {"level": "5"}, revision=0)  # loaded before
    assert response.status_code == 409
    theirs = response.json()["theirs"]
    assert theirs["level"] == 2 and theirs["revision"] == 1 and theirs["by"] == str(team.coordinator)
    assert stored(team.assessment, "S1.1").level == 2
    # The user chooses to keep theirs: saving again from the revision they were shown.
    response = post_answer(client, team.assessment, "S1.1", {"level": "5"}, revision=1)
    assert response.status_code == 200 and stored(team.assessment, "S1.1").level == 5


def test_a_stale_save_of_identical_values_is_not_a_conflict(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.2", {"number": "40"})
    client.force_login(team.services)
    assert post_answer(client, team.assessment, "S1.2", {"number": "40"}, revision=0).status_code == 200


def test_without_javascript_a_conflict_is_reported_on_the_page(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "2"})
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.1", {"level": "5"}, json=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "was changed by" in page and "L5" in page


def test_a_validation_error_keeps_everything_entered_and_stores_nothing(client, team):
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.2", {"number": "seventy", "comment": "来自统计局"})
    assert response.status_code == 400 and "number" in response.json()["errors"]
    assert stored(team.assessment, "S1.2") is None
    response = post_answer(client, team.assessment, "S1.2", {"number": "seventy", "comment": "来自统计局"}, json=False)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="seventy"' in body and "来自统计局" in body and "Enter a number" in body


def test_an_expired_session_is_told_to_log_in_and_nothing_is_lost_on_the_server(client, team):
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"})
    assert response.status_code == 401 and response.json()["status"] == "login"
    assert stored(team.assessment, "S1.1") is None


def test_respondents_edit_only_their_directions_but_read_the_others(client, team):
    client.force_login(team.services)
    assert post_answer(client, team.assessment, "G1.2", {"yes": "yes"}).status_code == 404
    page = client.get(reverse("assessment_direction", args=[team.assessment.pk, "governance"]))
    assert page.status_code == 200 and "answer-form" not in page.content.decode()
    page = client.get(reverse("assessment_direction", args=[team.assessment.pk, "services"]))
    assert "answer-form" in page.content.decode()


def test_a_submitted_assessment_is_read_only(client, team):
    client.force_login(team.coordinator)
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    assert Assessment.objects.get(pk=team.assessment.pk).status == AssessmentStatus.SUBMITTED
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"})
    assert response.status_code == 409 and response.json()["status"] == "submitted"  # JSON the page understands
    assert stored(team.assessment, "S1.1") is None
    page = client.get(reverse("assessment_direction", args=[team.assessment.pk, "services"])).content.decode()
    assert "answer-form" not in page and "read-only" in page


# Evidence -----------------------------------------------------------------------------------


def pdf(name="plan.pdf", content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_evidence_file_is_stored_privately_and_downloadable_by_those_who_may_see(client, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"}, files={"evidence_file": pdf()})
    assert response.status_code == 200, response.content
    answer = stored(team.assessment, "S1.1")
    assert answer.evidence_file.name.endswith(".pdf") and "plan" not in answer.evidence_file.name
    url = reverse("answer_evidence", args=[team.assessment.pk, answer.pk])
    for user, status in [
        (team.governance, 200),
        (team.consultant, 200),
        (team.admin, 200),
        (team.other_official, 404),
        (team.other_consultant, 404),
        (team.stranger, 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
            assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("run.exe", b"MZ..."), "not accepted"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "does not match its type"),
        (SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)), "larger than 10 MB"),
    ],
)
def test_bad_evidence_files_are_refused_with_a_reason(client, team, settings, tmp_path, upload, message):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"}, files={"evidence_file": upload})
    assert response.status_code == 400 and message in " ".join(response.json()["errors"]["evidence_file"])
    assert stored(team.assessment, "S1.1") is None


def test_an_evidence_link_must_be_a_web_address(client, team):
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.1", {"level": "3", "evidence_url": "javascript:alert(1)"})
    assert response.status_code == 400 and "evidence_url" in response.json()["errors"]


# Progress, submit, reopen ------------------------------------------------------------------


def test_progress_counts_answers_and_lists_the_unanswered(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "3"})
    post_answer(client, team.assessment, "G1.1", {"not_applicable": "on"})
    progress = progress_of(team.assessment)
    by_direction = {d.direction: (d.answered, d.total) for d in progress.directions}
    assert by_direction == {"services": (1, 2), "governance": (1, 2), "infrastructure": (0, 1)}
    assert [q.code for q in progress.unanswered] == ["S1.2", "G1.2", "I1.1"]
    page = client.get(reverse("assessment_overview", args=[team.assessment.pk])).content.decode()
    assert "3 questions still unanswered" in page and "S1.2" in page


def test_submit_shows_a_summary_then_stores_the_scores(client, team):
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, "S1.1", {"level": "5"})
    summary = client.get(reverse("assessment_submit", args=[team.assessment.pk]))
    assert summary.status_code == 200 and "100.0" in summary.content.decode()
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    assessment = Assessment.objects.get(pk=team.assessment.pk)
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.submitted_by == team.coordinator
    assert assessment.stored_scores["directions"]["services"]["score"] == 100


def test_respondents_cannot_submit(client, team):
    client.force_login(team.services)
    assert client.post(reverse("assessment_submit", args=[team.assessment.pk])).status_code == 404
    assert Assessment.objects.get(pk=team.assessment.pk).is_draft


def test_an_assigned_consultant_reopens_with_a_reason_that_is_recorded(client, team):
    client.force_login(team.coordinator)
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    client.force_login(team.consultant)
    client.post(reverse("assessment_reopen", args=[team.assessment.pk]), {"reason": "S1.2 的数据口径需要核实"})
    assessment = Assessment.objects.get(pk=team.assessment.pk)
    assert assessment.is_draft and assessment.stored_scores is None
    event = assessment.events.get(kind=EventKind.REOPENED)
    assert (event.user, event.reason) == (team.consultant, "S1.2 的数据口径需要核实")
    client.force_login(team.coordinator)
    assert (
        "S1.2 的数据口径需要核实" in client.get(reverse("assessment_overview", args=[assessment.pk])).content.decode()
    )


def test_reopening_needs_a_reason_and_an_assigned_consultant(client, team):
    client.force_login(team.coordinator)
    client.post(reverse("assessment_submit", args=[team.assessment.pk]))
    client.force_login(team.consultant)
    client.post(reverse("assessment_reopen", args=[team.assessment.pk]), {"reason": ""})
    assert not Assessment.objects.get(pk=team.assessment.pk).is_draft
    for user in (team.coordinator, team.other_consultant):
        client.force_login(user)
        assert client.post(reverse("assessment_reopen", args=[team.assessment.pk]), {"reason": "x"}).status_code == 404
    assert not Assessment.objects.get(pk=team.assessment.pk).is_draft


def test_a_new_official_without_assignment_only_reads(client, team):
    newcomer = make_official(team.assessment.city, username="newcomer")
    client.force_login(newcomer)
    assert post_answer(client, team.assessment, "S1.1", {"level": "3"}).status_code == 404
