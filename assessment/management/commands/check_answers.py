import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessment.findings import assessment_findings, rule_set_in_force
from assessment.models import Assessment
from common.bilingual import pick


class Command(BaseCommand):
    help = (
        "Print the consistency and plausibility findings of an assessment: one line per finding, or with "
        '--format json a list of {"rule", "questions", "severity", "message"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--lang", choices=["zh-hans", "en"], default="zh-hans", help="the language of the text lines"
        )

    def handle(self, *args, assessment_id, format, lang, **options):
        assessment = Assessment.objects.select_related("city", "version").filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"No assessment with id {assessment_id}.")
        findings = assessment_findings(assessment)
        if format == "json":
            document = [
                {
                    **checked.finding.to_json_dict(),
                    "explanation": {"question": checked.explanation.question, "comment": checked.explanation.comment}
                    if checked.explanation
                    else None,
                }
                for checked in findings
            ]
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        if rule_set_in_force(assessment) is None:
            self.stderr.write(f"No rules are loaded for {assessment.version.code}: nothing was checked.")
        with translation.override(lang):
            for checked in findings:
                finding = checked.finding
                explained = f" [explained in {checked.explanation.question}]" if checked.explanation else ""
                self.stdout.write(
                    f"{finding.severity} {','.join(finding.questions)} ({finding.rule}): {pick(finding.message)}"
                    f"{explained}"
                )
