"""A task for tests of the task queue itself: it notes each run (task number, worker process) in a file."""

import os
import time

from django_tasks import task


@task()
def note_run(path: str, number: int) -> None:
    time.sleep(0.15)  # long enough for two workers to contend for the queue
    with open(path, "a", encoding="utf-8") as notes:  # appends of one short line do not interleave
        notes.write(f"{number} {os.getpid()}\n")


@task()
def sleep_then_note(path: str, number: int, seconds: float) -> None:
    """A long task: one still running when the database goes away under its worker."""
    time.sleep(seconds)
    with open(path, "a", encoding="utf-8") as notes:
        notes.write(f"{number} {os.getpid()}\n")
