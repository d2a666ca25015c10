"""Numbers as people type them: with a Chinese input method, in a spreadsheet, in a file.

Chinese input methods in full-width mode type digits and signs as full-width characters
(１２．５, ７２％, １，２３４, －３), and in Chinese punctuation mode a decimal point as "。".
`read_number` reads all of these as the number they show, so an official is never told that
"７２％" is not a number. It stays strict where a reading would be a guess: a comma is read as a
thousands separator only between groups of three digits ("1,234.5"), never as a decimal comma
("1,5" is refused rather than read as 15).
"""

import math
import re
import unicodedata

# After NFKC (full-width to ASCII): an optional sign, digits with or without groups of three
# separated by commas, an optional decimal part, an optional exponent, an optional percent sign.
_NUMBER = re.compile(
    r"""^(?P<sign>[+-]?)
        (?P<whole>\d{1,3}(?:,\d{3})+|\d*)
        (?P<fraction>\.\d*)?
        (?P<exponent>[eE][+-]?\d+)?
        \s*%?$""",
    re.VERBOSE,
)
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "。": "."})  # minus sign, en dash, ideographic full stop


def read_number(text: str) -> float | None:
    """The number `text` shows, or None if it shows none (also for infinity and NaN).

    Full-width digits, point, comma, percent sign and minus are read as their ASCII forms, "。" as
    a decimal point; blanks around the number and a trailing percent sign are ignored ("72 %" is
    72, as the bank's unit says what it is a share of)."""
    normal = unicodedata.normalize("NFKC", text).translate(_MINUS).strip()
    match = _NUMBER.match(normal)
    if match is None or not (match["whole"] or (match["fraction"] or ".")[1:]):
        return None
    plain = f"{match['sign']}{match['whole'].replace(',', '')}{match['fraction'] or ''}{match['exponent'] or ''}"
    try:
        value = float(plain)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
