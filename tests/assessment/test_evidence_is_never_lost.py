"""Evidence is never lost: not dropped from a save reported as saved, not deleted by a save that failed."""

import json
from contextlib import contextmanager

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.urls import reverse

from assessment.answering import save_answer
from assessment.models import Answer
from tests.assessment.answering_helpers import make_team, post_answer, question, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(monkeypatch, tmp_path):
    """The team, with evidence files stored in a folder of this test's own."""
    monkeypatch.setattr(Answer._meta.get_field("evidence_file"), "storage", FileSystemStorage(tmp_path))
    return make_team()


def pdf(content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile("evidence.pdf", content, content_type="application/pdf")


def post_batch(client, assessment, answers):
    url = reverse("answers_save_batch", args=[assessment.pk, "services"])
    return client.post(url, json.dumps({"answers": answers}), content_type="application/json")


def evidence_files() -> set[str]:
    """Every evidence file in storage."""
    storage = Answer._meta.get_field("evidence_file").storage
    folders, _files = storage.listdir("")
    return {f"{folder}/{name}" for folder in folders for name in storage.listdir(folder)[1]}


# A colleague saved the same value meanwhile --------------------------------------------------


def test_a_new_link_meeting_a_colleagues_identical_value_is_a_conflict_not_dropped(client, team):
    a = team.assessment
    client.force_login(team.coordinator)
    post_answer(client, a, "S1.1", {"level": "3"})  # revision 1, no evidence
    client.force_login(team.services)  # opened the page before that save
    response = post_answer(client, a, "S1.1", {"level": "3", "evidence_url": "https://example.org/plan"}, revision=0)
    assert response.status_code == 409 and response.json()["status"] == "conflict"
    # Keeping mine, from the revision shown, stores the link.
    response = post_answer(client, a, "S1.1", {"level": "3", "evidence_url": "https://example.org/plan"}, revision=1)
    assert response.json()["status"] == "saved"
    assert stored(a, "S1.1").evidence_url == "https://example.org/plan"


def test_a_new_file_meeting_a_colleagues_identical_value_is_a_conflict_not_dropped(client, team):
    a = team.assessment
    client.force_login(team.coordinator)
    post_answer(client, a, "S1.1", {"level": "3"})
    client.force_login(team.services)
    response = post_answer(client, a, "S1.1", {"level": "3"}, revision=0, files={"evidence_file": pdf()})
    assert response.status_code == 409
    assert not stored(a, "S1.1").evidence_file and evidence_files() == set()  # nothing stored, nothing orphaned
    response = post_answer(client, a, "S1.1", {"level": "3"}, revision=1, files={"evidence_file": pdf()})
    assert response.json()["status"] == "saved" and stored(a, "S1.1").evidence_file


def test_a_batch_entry_adding_a_link_to_a_colleagues_identical_value_is_a_conflict(client, team):
    a = team.assessment
    client.force_login(team.coordinator)
    post_answer(client, a, "S1.1", {"level": "3"})
    client.force_login(team.services)
    entry = {"question": "S1.1", "revision": 0, "level": 3, "evidence_url": "https://example.org/plan"}
    result = post_batch(client, a, [entry]).json()["answers"][0]
    assert result["status"] == "conflict"
    assert stored(a, "S1.1").evidence_url == ""


def test_resending_the_stored_value_and_link_from_an_old_revision_is_no_conflict(client, team):
    a = team.assessment
    client.force_login(team.coordinator)
    post_answer(client, a, "S1.1", {"level": "3", "evidence_url": "https://example.org/plan"})
    client.force_login(team.services)
    entry = {"question": "S1.1", "revision": 0, "level": 3, "evidence_url": "https://example.org/plan"}
    assert post_batch(client, a, [entry]).json()["answers"][0]["status"] == "saved"
    assert stored(a, "S1.1").answered_by == team.coordinator  # nothing was written


# A save that fails ------------------------------------------------------------------------------


@contextmanager
def failing_answer_updates():
    """Make the database itself refuse every UPDATE of an answer (a trigger), as a failing disk or a
    lost connection would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_write() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'write refused'; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_update BEFORE UPDATE ON assessment_answer "
                "FOR EACH ROW EXECUTE FUNCTION refuse_write()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_update BEFORE UPDATE ON assessment_answer "
                "BEGIN SELECT RAISE(ABORT, 'write refused'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER refuse_update ON assessment_answer")
                cursor.execute("DROP FUNCTION refuse_write()")
            else:
                cursor.execute("DROP TRIGGER refuse_update")


def test_a_failed_save_keeps_the_old_evidence_file_and_leaves_no_new_one(team, django_capture_on_commit_callbacks):
    a = team.assessment
    s11 = question(a, "S1.1")
    with django_capture_on_commit_callbacks(execute=True):
        save_answer(assessment=a, question=s11, values={"level": 3}, base_revision=0, user=None, evidence_file=pdf())
    old = stored(a, "S1.1").evidence_file.name
    new = pdf(b"%PDF-1.4 the new one")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        failing_answer_updates(),
        pytest.raises(DatabaseError),
    ):
        save_answer(assessment=a, question=s11, values={"level": 4}, base_revision=1, user=None, evidence_file=new)
    assert callbacks == []  # nothing to delete: nothing was committed
    answer = stored(a, "S1.1")
    assert answer.evidence_file.name == old and answer.level == 3
    assert evidence_files() == {old}  # the old file is there, the new one is not left behind
    with answer.evidence_file.open("rb") as kept:
        assert kept.read() == b"%PDF-1.4 evidence"


def test_a_failed_save_through_the_page_keeps_the_file_downloadable(client, team):
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "3"}, files={"evidence_file": pdf()})
    answer = stored(a, "S1.1")
    client.raise_request_exception = False
    with failing_answer_updates():
        response = post_answer(client, a, "S1.1", {"level": "3"}, revision=1, files={"evidence_file": pdf(b"%PDF-new")})
    assert response.status_code == 500
    download = client.get(reverse("answer_evidence", args=[a.pk, answer.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert evidence_files() == {answer.evidence_file.name}


def test_a_replaced_or_removed_file_is_deleted_once_the_save_is_committed(team, django_capture_on_commit_callbacks):
    a = team.assessment
    s11 = question(a, "S1.1")
    with django_capture_on_commit_callbacks(execute=True):
        save_answer(assessment=a, question=s11, values={}, base_revision=0, user=None, evidence_file=pdf())
    first = stored(a, "S1.1").evidence_file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_answer(assessment=a, question=s11, values={}, base_revision=1, user=None, evidence_file=pdf(b"%PDF-2"))
        second = stored(a, "S1.1").evidence_file.name
        assert evidence_files() == {first, second}  # the old one waits for the commit
    for callback in callbacks:
        callback()
    assert evidence_files() == {second}
    with django_capture_on_commit_callbacks(execute=True):
        save_answer(assessment=a, question=s11, values={}, base_revision=2, user=None, remove_file=True)
    assert evidence_files() == set() and not stored(a, "S1.1").evidence_file
