from django.core.management.base import BaseCommand

from assessment.answers_file import AnswersFileError, import_answers, read_answers_file
from common.commands import reject_file


class Command(BaseCommand):
    help = "Create or update a draft assessment from an answers file (YAML, JSON or XLSX); prints its id."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            assessment = import_answers(read_answers_file(file))
        except AnswersFileError as error:
            raise reject_file(self, file, error.problems) from None
        self.stdout.write(str(assessment.pk))
