"""Every interface string has a Chinese translation (locale/zh_Hans)."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries():
    text = PO.read_text(encoding="utf-8")
    return [
        block for block in text.split("\n\n") if "\nmsgid " in f"\n{block}" and 'msgid ""\nmsgstr ""\n"' not in block
    ]


def test_no_string_is_left_untranslated_or_fuzzy():
    untranslated = [block for block in entries() if re.search(r'^msgstr(\[0\])? ""$(?!\n")', block, re.M)]
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_the_catalogue_is_not_empty():
    assert len(entries()) > 100
