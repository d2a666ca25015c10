import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cities.models import City
from reports.delivery import LANGUAGES, report_filename, report_pdf
from reports.report_data import submitted_assessments


class Command(BaseCommand):
    help = "Generate PDF reports in bulk (latest submitted assessment per city, or that year's), with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--city", action="append", default=[], help="Chinese name or id; repeat for several")
        parser.add_argument("--year", type=int)
        parser.add_argument("--lang", default="zh-hans", choices=LANGUAGES)
        parser.add_argument("-o", "--output", default="reports-out", help="folder for the PDFs (created if missing)")

    def handle(self, *args, city, year, lang, output, **options):
        assessments = submitted_assessments().select_related("city", "version").order_by("city__name_zh", "-year")
        if city:
            cities = [self._city(value) for value in city]
            assessments = assessments.filter(city__in=cities)
        if year:
            assessments = assessments.filter(year=year)
        latest = {}
        for assessment in assessments:
            latest.setdefault(assessment.city_id, assessment)
        if not latest:
            raise CommandError("No submitted assessment matches; nothing to do.")
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{output}: cannot create the folder: {error.strerror}.") from None
        for assessment in tqdm(latest.values(), desc="reports", unit="report", file=self.stderr._out):
            stored = report_pdf(assessment, lang)
            with stored.file.open("rb") as source, open(folder / report_filename(assessment, lang), "wb") as target:
                shutil.copyfileobj(source, target)
        self.stdout.write(f"Wrote {len(latest)} report(s) to {folder}.")

    def _city(self, value: str) -> City:
        found = City.objects.filter(name_zh=value).first() or (
            City.objects.filter(pk=int(value)).first() if value.isdigit() else None
        )
        if found is None:
            raise CommandError(f"Unknown city {value!r} (give its Chinese name or its id).")
        return found
