"""What WeasyPrint can use on this machine (HarfBuzz subsetting, fonts), and the report's font stack."""

from functools import cache

from django.conf import settings


def harfbuzz_subsetting_available() -> bool:
    """True when WeasyPrint subsets fonts with libharfbuzz-subset (fast) instead of fontTools."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    # WeasyPrint uses hb-subset only from HarfBuzz 4.1 on (weasyprint/pdf/fonts.py).
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


@cache
def installed_font_family(family: str) -> str | None:
    """The family fontconfig resolves `family` to, if it is really installed, else None."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return None
        try:
            value = ffi.new("FcChar8 **")
            index = 0
            # A matched font lists several family names (e.g. localised ones): accept any.
            while fontconfig.FcPatternGetString(match, b"family", index, value) == 0:
                name = ffi.string(value[0]).decode()
                if name.casefold() == family.casefold():
                    return name
                index += 1
            return None
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)


def available_cjk_families(wanted: list[str]) -> list[str]:
    """The families of `wanted` that are installed, in the order given."""
    return [family for family in wanted if installed_font_family(family)]


def css_font_family(name: str) -> str:
    """`name` as a CSS string ("Noto Sans CJK SC"), escaped so that no font name can end the
    string or the <style> element it is written into."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", "\\a ")
    return f'"{escaped}"'


def report_font_stack(language: str) -> str:
    """The CSS font-family of a report in `language`, for its stylesheet and its SVG charts alike.

    Chinese text, and the Latin letters inside it, use the CJK font. English reports put a Latin
    face first; the Chinese terms they quote fall back to the CJK font glyph by glyph. Every
    name is a quoted CSS string, so any font name works (the stylesheet writes the value
    unescaped; the SVG attribute escapes it)."""
    families = list(settings.REPORT_CJK_FONT_FAMILIES)
    if language == "en" and settings.REPORT_LATIN_FONT_FAMILY:
        families.insert(0, settings.REPORT_LATIN_FONT_FAMILY)
    return ", ".join([*(css_font_family(name) for name in families), "sans-serif"])
