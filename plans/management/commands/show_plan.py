import json

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Assessment
from plans.compute import compute_plan, plan_document


class Command(BaseCommand):
    help = "Print an assessment's recommended plan as JSON; --budget shows how it changes with money."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--budget", type=float, help="annual budget in 10,000 CNY (default: the city's)")

    def handle(self, *args, assessment_id, budget, **options):
        if budget is not None and budget < 0:
            raise CommandError("--budget must be 0 or more (10,000 CNY a year).")
        assessment = Assessment.objects.select_related("city", "version").filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"No assessment with id {assessment_id}.")
        if budget is None and not assessment.city.digital_budget:
            raise CommandError(
                f"{assessment.city.name_zh} has no annual digital budget on record: "
                "set it in the admin or pass --budget N."
            )
        document = plan_document(assessment, compute_plan(assessment, budget=budget))
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
