"""The question bank admin: edit drafts, never published versions; clone, publish, import, preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.bank_file import dump_bank
from assessment.models import Question, QuestionnaireVersion
from tests.factories import bank_data, make_user, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(staff=True))
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_the_changelist_offers_import(admin_client):
    make_version()
    response = admin_client.get(reverse("admin:assessment_questionnaireversion_changelist"))
    assert response.status_code == 200
    assert reverse("admin:assessment_questionnaireversion_import") in response.content.decode()


def test_a_published_version_is_shown_read_only_with_a_clear_message(admin_client):
    version = make_version(publish=True)
    response = admin_client.get(change_url(version), follow=True)
    body = response.content.decode()
    assert "can no longer be changed" in body
    assert 'name="title_zh"' not in body  # no editable field
    assert 'value="Save"' not in body


def test_a_published_question_cannot_be_changed_through_the_admin(admin_client):
    make_version(publish=True)
    question = Question.objects.get(code="G1.2")
    response = admin_client.post(change_url(question), {"text_zh": "改了"})
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).text_zh == "有数据目录吗"


def test_a_published_version_cannot_be_deleted_through_the_admin(admin_client):
    version = make_version(publish=True)
    url = reverse("admin:assessment_questionnaireversion_delete", args=[version.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert QuestionnaireVersion.objects.filter(pk=version.pk).exists()


def test_a_draft_question_is_edited_with_both_languages_side_by_side(admin_client):
    make_version()
    question = Question.objects.get(code="G1.2")
    page = admin_client.get(change_url(question)).content.decode()
    assert page.index('name="text_zh"') < page.index('name="text_en"')
    response = admin_client.post(
        change_url(question),
        {
            "dimension": question.dimension_id,
            "code": "G1.2",
            "type": "yes_no",
            "position": 0,
            "text_zh": "是否编制了政务数据资源目录？",
            "text_en": "Is there a data catalogue?",
            "guidance_zh": "",
            "guidance_en": "",
            "weight": 1,
            "unit": "",
            "thresholds": "null",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get(pk=question.pk).text_en == "Is there a data catalogue?"


def test_clone_button_makes_a_new_draft(admin_client):
    version = make_version(publish=True)
    response = admin_client.post(reverse("admin:assessment_questionnaireversion_clone", args=[version.pk]))
    clone = QuestionnaireVersion.objects.get(code="test-bank-draft")
    assert response.status_code == 302 and response["Location"] == change_url(clone)
    assert not clone.is_published and clone.based_on == version
    assert Question.objects.filter(dimension__version=clone).count() == 5


def test_clone_action_on_the_changelist_picks_free_codes(admin_client):
    version = make_version(publish=True)
    url = reverse("admin:assessment_questionnaireversion_changelist")
    for _ in range(2):
        admin_client.post(url, {"action": "clone_into_draft", "_selected_action": [version.pk]})
    assert set(QuestionnaireVersion.objects.values_list("code", flat=True)) == {
        "test-bank",
        "test-bank-draft",
        "test-bank-draft-2",
    }


def test_publish_button_freezes_a_complete_draft(admin_client):
    version = make_version()
    admin_client.post(reverse("admin:assessment_questionnaireversion_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_published


def test_publishing_an_incomplete_draft_says_why(admin_client):
    version = make_version()
    Question.objects.filter(code="G1.1").delete()
    Question.objects.filter(code="G1.2").delete()
    response = admin_client.post(
        reverse("admin:assessment_questionnaireversion_publish", args=[version.pk]), follow=True
    )
    assert "dimensions[1].questions: expected at least one entry" in response.content.decode()
    version.refresh_from_db()
    assert not version.is_published


def upload(admin_client, data_text, name="bank.yaml", publish=False):
    url = reverse("admin:assessment_questionnaireversion_import")
    payload = {"file": SimpleUploadedFile(name, data_text.encode("utf-8"))}
    if publish:
        payload["publish"] = "on"
    return admin_client.post(url, payload)


def test_upload_form_imports_with_the_same_importer(admin_client):
    response = upload(admin_client, dump_bank(bank_data(), fmt="yaml"), publish=True)
    version = QuestionnaireVersion.objects.get(code="test-bank")
    assert response.status_code == 302 and response["Location"] == change_url(version)
    assert version.is_published


def test_upload_of_a_bad_file_lists_every_problem_and_writes_nothing(admin_client):
    data = bank_data()
    data["dimensions"][0]["questions"][0]["levels"].pop()
    data["dimensions"][2]["questions"][0]["thresholds"] = [1, 1, 1, 1]
    response = upload(admin_client, dump_bank(data, fmt="yaml"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "dimensions[0].questions[0].levels: expected 5, got 4" in body
    assert "dimensions[2].questions[0].thresholds: thresholds must be strictly" in body
    assert not QuestionnaireVersion.objects.exists()


def test_upload_of_a_file_that_is_not_text_says_so(admin_client):
    response = upload(admin_client, "", name="bank.yaml")
    assert response.status_code == 200
    response = admin_client.post(
        reverse("admin:assessment_questionnaireversion_import"),
        {"file": SimpleUploadedFile("bank.yaml", b"\xff\xfe\x00bad")},
    )
    assert "not UTF-8" in response.content.decode()
    assert not QuestionnaireVersion.objects.exists()


def test_preview_shows_the_version_as_respondents_see_it(admin_client):
    version = make_version()
    response = admin_client.get(reverse("questionnaire_preview", args=[version.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Preview of a draft" in body
    assert body.count('class="level-card"') == 5
    assert 'id="q-G1.1-a"' in body
    assert "PUE" in body  # unit of the number question


def test_drafts_are_not_previewable_by_officials(client):
    version = make_version()
    client.force_login(make_user())
    assert client.get(reverse("questionnaire_preview", args=[version.code])).status_code == 404


def test_published_versions_are_readable_by_any_signed_in_user(client):
    version = make_version(publish=True)
    client.force_login(make_user())
    response = client.get(reverse("questionnaire_current"), follow=True)
    assert response.status_code == 200
    assert version.title_en in response.content.decode()


def test_preview_uses_a_constant_number_of_queries(admin_client, django_assert_max_num_queries):
    version = make_version()
    with django_assert_max_num_queries(10):
        admin_client.get(reverse("questionnaire_preview", args=[version.code]))


def test_assessments_are_listed_and_inspected_in_the_admin(admin_client):
    from tests.assessment.answering_helpers import make_team

    team = make_team(version=make_version(publish=True))
    assert admin_client.get(reverse("admin:assessment_assessment_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:assessment_assessment_change", args=[team.assessment.pk]))
    assert page.status_code == 200 and "Kunshan 2026" in page.content.decode()
