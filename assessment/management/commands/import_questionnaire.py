from django.core.management.base import BaseCommand

from assessment.bank_file import BankFileError, import_bank, read_bank_file
from common.commands import reject_file


class Command(BaseCommand):
    help = "Load a question bank file (YAML or JSON, docs/formats.md) as a draft version, or published."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="publish the version right away")

    def handle(self, *args, file, publish, **options):
        try:
            version = import_bank(read_bank_file(file), publish=publish)
        except BankFileError as error:
            raise reject_file(self, file, error.problems) from None
        questions = sum(len(d.questions.all()) for d in version.dimensions.prefetch_related("questions"))
        state = "published" if version.is_published else "draft"
        self.stdout.write(
            f"Imported {version.code} ({state}): {version.dimensions.count()} dimensions, {questions} questions."
        )
