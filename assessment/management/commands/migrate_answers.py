from django.core.management.base import BaseCommand, CommandError

from assessment import carry_rules
from assessment.carry_over import CarryError, preview_carry
from assessment.lifecycle import carry_over
from assessment.models import Assessment, QuestionnaireVersion


class Command(BaseCommand):
    help = (
        "Start a new draft assessment of the same city on another questionnaire version, carrying the "
        "answers of ASSESSMENT by the version's mapping; prints what was carried and the new draft's id. "
        "The source assessment is not changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--to", required=True, metavar="VERSION", help="code of a published version")
        parser.add_argument("--year", type=int, help="year of the new assessment (default: the next year)")
        parser.add_argument("--dry-run", action="store_true", help="only print what would be carried")

    def handle(self, *args, assessment_id, to, year, dry_run, **options):
        source = Assessment.objects.select_related("city", "version").filter(pk=assessment_id).first()
        if source is None:
            raise CommandError(f"No assessment with id {assessment_id}.")
        version = QuestionnaireVersion.objects.filter(code=to).first()
        if version is None:
            raise CommandError(f"No questionnaire version {to!r}.")
        preview = preview_carry(source, version)
        for row in preview.rows:
            outcome = row.outcome
            sources = ", ".join(outcome.sources) or "-"
            self.stdout.write(f"{row.question.code:<10} {outcome.status:<10} {outcome.how:<9} from {sources}")
        tally = preview.counts
        self.stdout.write(
            f"{tally[carry_rules.CARRIED]} carried, {tally[carry_rules.REVIEW]} to review, "
            f"{tally[carry_rules.NEW]} new, {tally[carry_rules.UNANSWERED]} with nothing to carry; "
            f"not continued: {', '.join(preview.retired) or 'none'}."
        )
        if dry_run:
            return
        try:
            target = carry_over(source, version=version, year=year or source.year + 1, user=None)
        except CarryError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(target.pk))
