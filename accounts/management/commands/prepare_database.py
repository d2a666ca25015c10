"""What `make serve` runs before every start, in one process: migrations and the cache table (both
do nothing when done), then the way to the first administrator when there is none. It never
creates an account: demo data is `seed_demo`'s, for `make run` only."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Apply migrations and create the cache table (both do nothing when already done), and say how to "
        "create the first administrator if there is none. Never creates an account."
    )

    def handle(self, *args, **options):
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(f"Applying {len(pending)} database migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write(
                self.style.WARNING(
                    "No administrator yet. Create the first one (with the same DATABASE_URL) with:\n"
                    "    .venv/bin/python manage.py createsuperuser\n"
                    "then log in and add cities and users at /admin/."
                )
            )
