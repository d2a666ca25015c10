import os

from django.core.management.base import BaseCommand, CommandError

from assessment.bank_file import BankFileError
from cities.city_file import CityFileError
from demo.seeding import seed_demo
from plans.catalogue_file import CatalogueFileError


def login_url() -> str:
    """Where the app is served: HOST and PORT as `make run` passes them, else runserver's default."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


class Command(BaseCommand):
    help = "Load demo cities, question bank v1 and an account for every role; running it twice changes nothing."

    def handle(self, *args, **options):
        try:
            lines = seed_demo(login_url=login_url())
        except (BankFileError, CityFileError, CatalogueFileError) as error:
            raise CommandError(f"demo data is broken: {error}") from None
        for line in lines:
            self.stdout.write(line)
