from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.bank_file import dump_bank, export_version
from assessment.models import QuestionnaireVersion


class Command(BaseCommand):
    help = "Write a questionnaire version in the question bank file format (YAML, or JSON for -o *.json)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("-o", "--output", help="file to write (.yaml, .yml or .json); standard output if absent")
        parser.add_argument("--format", choices=["yaml", "json"], help="format when writing to standard output")

    def handle(self, *args, code, output, format, **options):
        version = QuestionnaireVersion.objects.filter(code=code).first()
        if version is None:
            raise CommandError(f"No questionnaire version with code {code!r}.")
        fmt = format or ("json" if output and output.lower().endswith(".json") else "yaml")
        if output and Path(output).suffix.lower() not in {".yaml", ".yml", ".json"}:
            raise CommandError(f"{output}: the file name must end in .yaml, .yml or .json.")
        text = dump_bank(export_version(version), fmt=fmt)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: cannot write: {error.strerror}.") from None
        self.stderr.write(f"Wrote {version.code} to {output}.")
