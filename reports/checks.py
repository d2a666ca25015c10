"""System checks for PDF output (SPEC §7): never a silently slow or broken PDF."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from reports.fonts import available_cjk_families, harfbuzz_subsetting_available, installed_font_family


@register(Tags.compatibility)
def check_pdf_fonts(app_configs=None, **kwargs):
    problems = []
    try:
        subsetting = harfbuzz_subsetting_available()
        families = available_cjk_families(settings.REPORT_CJK_FONT_FAMILIES)
        # An empty setting means: no Latin face, English reports use the CJK font throughout.
        latin = not settings.REPORT_LATIN_FONT_FAMILY or installed_font_family(settings.REPORT_LATIN_FONT_FAMILY)
    except OSError as error:  # Pango itself is missing: WeasyPrint cannot load at all.
        return [
            Error(
                f"WeasyPrint cannot load its libraries ({error}); PDF reports cannot be made.",
                hint="Install the Debian package libpango-1.0-0 (and libpangoft2-1.0-0).",
                id="reports.E002",
            )
        ]
    if not subsetting:
        problems.append(
            Warning(
                "WeasyPrint has no HarfBuzz subsetting: fonts are subset with fontTools, about "
                "ten times slower on Chinese fonts (a 7-page report takes ~20 s instead of <2 s).",
                hint="Install the Debian package libharfbuzz-subset0.",
                id="reports.W001",
            )
        )
    if not latin:
        problems.append(
            Warning(
                f"The Latin font {settings.REPORT_LATIN_FONT_FAMILY} is missing: English PDF reports "
                "fall back to the CJK font's Latin letters, which look wider and render about 6 % slower.",
                hint="Install the Debian package fonts-liberation.",
                id="reports.W002",
            )
        )
    if not families:
        problems.append(
            Error(
                "No CJK font is available to WeasyPrint: Chinese text in PDF reports would print "
                f"as empty boxes. Looked for: {', '.join(settings.REPORT_CJK_FONT_FAMILIES)}.",
                hint="Install the Debian package fonts-noto-cjk.",
                id="reports.E001",
            )
        )
    return problems
