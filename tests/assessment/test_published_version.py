"""A published version never changes, whatever path a change takes (SPEC §3, §8)."""

import pytest
from django.core.exceptions import ValidationError

from assessment.bank_file import clone_version, publish_version
from assessment.models import (
    ChecklistItem,
    Dimension,
    LevelStatement,
    PublishedVersionError,
    Question,
    QuestionnaireVersion,
    VersionStatus,
)
from tests.factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return make_version(publish=True)


def test_publishing_freezes_status_and_time(published):
    assert published.status == VersionStatus.PUBLISHED
    assert published.published_at is not None


def test_the_version_itself_cannot_be_saved(published):
    published.title_zh = "改了"
    with pytest.raises(PublishedVersionError, match="is published and can no longer be changed"):
        published.save()
    assert QuestionnaireVersion.objects.get(pk=published.pk).title_zh == "测试问卷"


def test_a_stale_draft_object_cannot_undo_publication(published):
    stale = QuestionnaireVersion.objects.get(pk=published.pk)
    stale.status = VersionStatus.DRAFT
    with pytest.raises(PublishedVersionError):
        stale.save()


def test_the_version_cannot_be_deleted(published):
    with pytest.raises(PublishedVersionError):
        published.delete()
    with pytest.raises(PublishedVersionError):
        QuestionnaireVersion.objects.filter(pk=published.pk).delete()
    assert QuestionnaireVersion.objects.filter(pk=published.pk).exists()


def test_bulk_update_of_the_version_is_refused(published):
    with pytest.raises(PublishedVersionError):
        QuestionnaireVersion.objects.filter(pk=published.pk).update(title_zh="改了")


@pytest.mark.parametrize(
    "model, field",
    [(Dimension, "title_zh"), (Question, "text_zh"), (LevelStatement, "text_zh"), (ChecklistItem, "text_zh")],
)
def test_parts_refuse_save_delete_and_bulk_changes(published, model, field):
    part = model.objects.first()
    original = getattr(part, field)
    setattr(part, field, "改了")
    with pytest.raises(PublishedVersionError):
        part.save()
    with pytest.raises(PublishedVersionError):
        part.delete()
    with pytest.raises(PublishedVersionError):
        model.objects.filter(pk=part.pk).update(**{field: "改了"})
    with pytest.raises(PublishedVersionError):
        model.objects.filter(pk=part.pk).delete()
    assert getattr(model.objects.get(pk=part.pk), field) == original


def test_new_parts_cannot_be_added(published):
    dimension = published.dimensions.first()
    with pytest.raises(PublishedVersionError):
        Dimension.objects.create(version=published, code="X1", direction="services", title_zh="新")
    with pytest.raises(PublishedVersionError):
        Question.objects.create(dimension=dimension, code="X1.1", type="yes_no", text_zh="新")
    with pytest.raises(PublishedVersionError):
        Question.objects.bulk_create([Question(dimension=dimension, code="X1.2", type="yes_no", text_zh="新")])


def test_a_part_cannot_be_moved_out_of_a_published_version(published):
    draft = make_version(code="other-draft")
    dimension = published.dimensions.first()
    dimension.version = draft
    with pytest.raises(PublishedVersionError):
        dimension.save()


def test_a_published_version_cannot_be_published_again(published):
    with pytest.raises(PublishedVersionError):
        publish_version(published)


def test_a_draft_stays_editable():
    draft = make_version()
    question = Question.objects.get(code="S1.1")
    question.text_zh = "新的问题"
    question.save()
    draft.title_zh = "新标题"
    draft.save()
    assert Question.objects.get(pk=question.pk).text_zh == "新的问题"


def test_an_incomplete_draft_cannot_be_published():
    draft = make_version()
    LevelStatement.objects.filter(question__code="S1.1", level=5).delete()
    with pytest.raises(ValidationError) as raised:
        publish_version(draft)
    assert "dimensions[0].questions[0].levels: expected 5, got 4" in raised.value.messages
    draft.refresh_from_db()
    assert not draft.is_published


def test_clone_makes_an_equal_draft_under_a_new_code(published):
    from assessment.bank_file import export_version

    clone = clone_version(published, code="test-bank-2")
    assert not clone.is_published and clone.based_on == published
    original, copied = export_version(published), export_version(clone)
    assert copied.pop("code") == "test-bank-2"
    original.pop("code")
    assert copied == original
    clone_question = Question.objects.get(dimension__version=clone, code="S1.1")
    clone_question.text_zh = "改进的问题"
    clone_question.save()
    assert Question.objects.get(dimension__version=published, code="S1.1").text_zh == "一网通办的程度"


def test_number_question_thresholds_are_checked_by_clean():
    make_version()
    question = Question.objects.get(code="S1.2")
    question.thresholds = [10, 5, 20, 30]
    with pytest.raises(ValidationError, match="strictly ascending"):
        question.full_clean()


def test_question_codes_are_unique_within_the_version_via_clean():
    make_version()
    question = Question.objects.get(code="G1.2")
    question.code = "S1.1"
    with pytest.raises(ValidationError, match="already has the code S1.1"):
        question.full_clean()
