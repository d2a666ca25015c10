"""`manage.py db_worker`: django-tasks-db's worker command, running `background.worker.ResilientWorker`.

The options are the library's (`--batch`, `--interval`, `--worker-id`, …). Give each worker
process a stable, unique `--worker-id` (e.g. its host name and a number) so that, restarted after
being killed, it takes its jobs back at once instead of after `WORKER_STALE_AFTER` seconds.
"""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

from background.worker import ResilientWorker


class Command(library.Command):
    help = "Run the background worker: it survives database outages, beats, and recovers lost workers' tasks."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        # The library's handle() builds its own Worker class; this is the same, with ours.
        self.configure_logging(verbosity)
        if reload and batch:
            library.logger.warning("Warning: --reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process that runs the worker
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
