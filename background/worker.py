"""The report worker made to survive its database (issue 22).

django-tasks-db's worker ends its process on any database error but "database is locked", and
loses a task's result when the database is away as it records it. This one, a subclass:

- meets a database error in its loop by closing its connections, logging one line, waiting
  (`background.outages.Backoff`) and going on;
- records a task's result patiently: once the database is back, not never;
- beats (`background.heartbeat`) from a thread of its own, which also sweeps for the tasks of lost
  workers (`background.recovery`); and takes back, when idle, the tasks its own id left running.
"""

import logging
import time

from django_tasks.signals import task_started
from django_tasks_db.compat import TaskContext
from django_tasks_db.management.commands import db_worker as library
from django_tasks_db.models import DBTaskResult

from background.heartbeat import Heartbeat
from background.outages import DATABASE_ERRORS, Backoff, close_connections, describe, patiently
from background.recovery import announce_finished, sweep

logger = logging.getLogger("background")


class ResilientWorker(library.Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, sweep=sweep)
        heartbeat.start()
        try:
            self.run_through_outages()
        finally:
            heartbeat.stop()

    def run_through_outages(self) -> None:
        """The library's loop, entered again after each database outage."""
        backoff = Backoff()
        while self.running:
            entered = time.monotonic()
            try:
                # Idle here: a task this worker id holds as running was left by a dead process
                # with the same id, or claimed just as the database went away.
                sweep(idle_worker=self.worker_id)
                super().run()
                return
            except DATABASE_ERRORS as error:
                close_connections()
                if time.monotonic() - entered > 4 * backoff.longest:
                    backoff.reset()  # a new outage after a good spell starts with a short wait
                wait = backoff.next()
                logger.warning(
                    "Worker %s: the database is unavailable (%s); trying again in %.1f s.",
                    self.worker_id,
                    describe(error),
                    wait,
                )
                self.startup_delay = False
                time.sleep(wait)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task as the library does, then record its outcome and announce it (the
        `task_finished` signal) patiently, so a database outage delays the record, never loses it."""
        try:
            self.running_task = True
            outcome = self.outcome(db_task_result)
            patiently(
                lambda: self.record(db_task_result, *outcome), what=f"record the result of task {db_task_result.pk}"
            )
        finally:
            self.running_task = False
            self._run_tasks += 1

    def outcome(self, db_task_result: DBTaskResult) -> tuple[object, BaseException | None]:
        """(return value, None) or (None, the error): what the task did."""
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            return value, None
        except BaseException as error:  # as the library: whatever the task raised is its failure
            return None, error

    def record(self, db_task_result: DBTaskResult, value, error: BaseException | None) -> None:
        if error is None:
            try:
                db_task_result.set_successful(value)
            except DATABASE_ERRORS:
                raise
            except Exception as unrecordable:  # e.g. a return value that is not JSON
                error = unrecordable
        if error is not None:
            db_task_result.set_failed(error)
        announce_finished(db_task_result, error=error)
