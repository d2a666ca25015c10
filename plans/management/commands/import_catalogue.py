from django.core.management.base import BaseCommand

from common.commands import reject_file
from plans.catalogue_file import CatalogueFileError, import_catalogue, read_catalogue_file


class Command(BaseCommand):
    help = "Load an action catalogue file (YAML) as the new current catalogue."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            catalogue = import_catalogue(read_catalogue_file(file))
        except CatalogueFileError as error:
            raise reject_file(self, file, error.problems) from None
        self.stdout.write(f"Imported catalogue {catalogue.code}: {catalogue.actions.count()} actions.")
