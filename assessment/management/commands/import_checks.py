from django.core.management.base import BaseCommand

from assessment.consistency_file import RulesFileError, import_rules, read_rules_file
from common.commands import reject_file


class Command(BaseCommand):
    help = (
        "Load the consistency and plausibility rules of a questionnaire version from a rules file (YAML or "
        "JSON, docs/formats.md). A changed file becomes the version's next revision; the version itself "
        "never changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            rule_set, added = import_rules(read_rules_file(file), source=str(file))
        except RulesFileError as error:
            raise reject_file(self, file, error.problems) from None
        if added:
            self.stdout.write(
                f"Imported the rules of {rule_set.version.code}: revision {rule_set.revision}, "
                f"{rule_set.rule_count} rules, now in force."
            )
        else:
            self.stdout.write(
                f"The rules of {rule_set.version.code} are unchanged: revision {rule_set.revision} "
                f"({rule_set.rule_count} rules) stays in force."
            )
