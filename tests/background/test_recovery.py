"""The sweep: a task stays "running" only while its worker is alive (SPEC §8)."""

from datetime import timedelta

import pytest
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from background.models import WorkerHeartbeat
from background.recovery import WORKER_LOST, sweep
from tests.background.lost_workers import beat, claimed, lost
from tests.tasks_probe import note_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished():
    """The tasks announced as finished (django-tasks' task_finished signal)."""
    heard = []

    def hear(sender, task_result, **kwargs):
        heard.append(task_result)

    task_finished.connect(hear)
    yield heard
    task_finished.disconnect(hear)


def test_a_task_whose_worker_stopped_beating_is_failed_with_the_reason_and_announced(tmp_path, finished):
    task = lost(note_run.enqueue(path=str(tmp_path / "runs"), number=1))
    assert sweep() == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == WORKER_LOST and task.finished_at
    assert "its worker gone-worker stopped responding at 20" in task.traceback
    assert [result.id for result in finished] == [str(task.pk)] and finished[0].status == "FAILED"
    assert sweep() == []  # once


def test_a_long_task_of_a_worker_that_still_beats_stays_running(tmp_path):
    task = claimed(note_run.enqueue(path=str(tmp_path / "runs"), number=1), "busy", ago=timedelta(hours=2))
    beat("busy", ago=timedelta(seconds=20))
    assert sweep() == []
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_just_claimed_by_a_worker_not_yet_seen_stays_running(tmp_path):
    task = claimed(note_run.enqueue(path=str(tmp_path / "runs"), number=1), "starting")
    assert sweep() == []
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"


def test_a_task_claimed_long_ago_by_a_worker_never_seen_is_failed(tmp_path):
    """E.g. a worker of the version before heartbeats, killed mid-job ("running 9/47" forever)."""
    task = claimed(note_run.enqueue(path=str(tmp_path / "runs"), number=1), "old", ago=timedelta(hours=5))
    assert sweep() == [str(task.pk)]
    task.refresh_from_db()
    assert "its worker old stopped responding\n" in task.traceback


def test_an_idle_worker_takes_back_at_once_what_its_id_left_running(tmp_path):
    """A worker restarted with the same --worker-id after kill -9, or a claim whose answer was lost."""
    mine = claimed(note_run.enqueue(path=str(tmp_path / "runs"), number=1), "cdm-1")
    theirs = claimed(note_run.enqueue(path=str(tmp_path / "runs"), number=2), "cdm-2")
    beat("cdm-1"), beat("cdm-2")
    assert sweep(idle_worker="cdm-1") == [str(mine.pk)]
    assert DBTaskResult.objects.get(pk=theirs.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=mine.pk).traceback == (
        "background.recovery.WorkerRestarted: its worker cdm-1 restarted without finishing it\n"
    )


def test_the_sweep_takes_two_queries_when_no_worker_is_lost(tmp_path, django_assert_num_queries):
    for number in range(5):
        claimed(note_run.enqueue(path=str(tmp_path / "runs"), number=number), f"w{number}")
        beat(f"w{number}")
    with django_assert_num_queries(2):
        assert sweep() == []


def test_heartbeats_older_than_a_day_are_pruned():
    beat("long-gone", ago=timedelta(days=2))
    beat("recent", ago=timedelta(hours=3))
    sweep()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]
