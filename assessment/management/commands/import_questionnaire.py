from django.core.management.base import BaseCommand, CommandError

from assessment.bank_file import BankFileError, import_bank, read_bank_file


class Command(BaseCommand):
    help = "Load a question bank file (YAML or JSON, docs/formats.md) as a draft version, or published."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="publish the version right away")

    def handle(self, *args, file, publish, **options):
        try:
            version = import_bank(read_bank_file(file), publish=publish)
        except BankFileError as error:
            problems = error.problems
            if len(problems) == 1:
                raise CommandError(f"{file}: {problems[0]}; nothing was written.")
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}: rejected, {len(problems)} problems (listed above); nothing was written.")
        questions = sum(len(d.questions.all()) for d in version.dimensions.prefetch_related("questions"))
        state = "published" if version.is_published else "draft"
        self.stdout.write(
            f"Imported {version.code} ({state}): {version.dimensions.count()} dimensions, {questions} questions."
        )
