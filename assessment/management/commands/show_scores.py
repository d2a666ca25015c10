import json

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Assessment
from assessment.scores import scores_document


class Command(BaseCommand):
    help = "Print an assessment's scores as JSON (stored scores if submitted; a draft is scored on the fly)."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)

    def handle(self, *args, assessment_id, **options):
        assessment = Assessment.objects.select_related("city", "version").filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"No assessment with id {assessment_id}.")
        self.stdout.write(json.dumps(scores_document(assessment), ensure_ascii=False, indent=2))
