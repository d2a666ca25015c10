"""System checks for PDF output name the Debian package that fixes each problem."""

import pytest

from reports import checks
from reports.fonts import available_cjk_families, harfbuzz_subsetting_available, report_font_stack


def ids(problems):
    return [problem.id for problem in problems]


def test_this_machine_has_what_pdf_output_needs():
    assert harfbuzz_subsetting_available()
    assert available_cjk_families(["Noto Sans CJK SC"]) == ["Noto Sans CJK SC"]
    assert checks.check_pdf_fonts() == []


def test_missing_harfbuzz_subsetting_is_a_warning_naming_the_package(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subsetting_available", lambda: False)
    problems = checks.check_pdf_fonts()
    assert ids(problems) == ["reports.W001"]
    assert "libharfbuzz-subset0" in problems[0].hint
    assert not problems[0].is_serious()


def test_missing_cjk_font_is_an_error_naming_the_package(settings):
    settings.REPORT_CJK_FONT_FAMILIES = ["No Such CJK Font For Tests"]
    problems = checks.check_pdf_fonts()
    assert ids(problems) == ["reports.E001"]
    assert "fonts-noto-cjk" in problems[0].hint
    assert problems[0].is_serious()


def test_a_missing_latin_font_is_a_warning_naming_the_package(settings):
    settings.REPORT_LATIN_FONT_FAMILY = "No Such Latin Font For Tests"
    problems = checks.check_pdf_fonts()
    assert ids(problems) == ["reports.W002"]
    assert "fonts-liberation" in problems[0].hint
    assert not problems[0].is_serious()


def test_english_reports_put_the_latin_face_first_and_chinese_reports_use_only_cjk_fonts():
    assert report_font_stack("en") == (
        '"Liberation Sans", "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", sans-serif'
    )
    assert report_font_stack("zh-hans") == '"Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", sans-serif'


def test_any_font_name_stays_one_css_string_that_cannot_end_the_stylesheet(settings):
    settings.REPORT_LATIN_FONT_FAMILY = 'Odd "Font" \\ </style><script>'
    stack = report_font_stack("en")
    assert stack.startswith('"Odd \\"Font\\" \\\\ \\3c /style>\\3c script>", "Noto Sans CJK SC"')
    assert "<" not in stack
    settings.REPORT_LATIN_FONT_FAMILY = ""
    assert report_font_stack("en") == report_font_stack("zh-hans")


def test_a_quoted_font_stack_reaches_the_pdf_whole():
    """The stylesheet writes the stack unescaped: WeasyPrint must read every family from it."""
    import subprocess

    from django.template.loader import render_to_string

    from reports.pdf import render_pdf

    css = render_to_string("reports/report.css", {"report": {"font_stack": report_font_stack("en")}})
    assert '"Liberation Sans", "Noto Sans CJK SC"' in css and "&quot;" not in css
    html = f"<!doctype html><html lang='en'><head><style>{css}</style></head><body><p>Kunshan 昆山</p></body></html>"
    fonts = subprocess.run(["pdffonts", "-"], input=render_pdf(html), capture_output=True, check=True).stdout.decode()
    assert "Liberation-Sans" in fonts and "Noto-Sans-CJK-SC" in fonts, fonts


def test_a_font_that_is_not_installed_is_not_mistaken_for_one_that_is():
    assert available_cjk_families(["Definitely Missing Sans"]) == []


@pytest.mark.parametrize("family", ["Noto Serif CJK SC", "Noto Sans CJK SC"])
def test_both_noto_cjk_families_are_found(family):
    assert available_cjk_families([family]) == [family]
