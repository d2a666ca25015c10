from django.core.management.base import BaseCommand, CommandError

from assessment.bank_file import BankFileError
from cities.city_file import CityFileError
from demo.seeding import seed_demo
from reports.catalogue_file import CatalogueFileError


class Command(BaseCommand):
    help = "Load demo cities, question bank v1 and an account for every role; running it twice changes nothing."

    def handle(self, *args, **options):
        try:
            lines = seed_demo()
        except (BankFileError, CityFileError, CatalogueFileError) as error:
            raise CommandError(f"demo data is broken: {error}") from None
        for line in lines:
            self.stdout.write(line)
