"""Writing user text into spreadsheets without it becoming a formula.

openpyxl stores any string that starts with "=" as a formula, and Excel or LibreOffice run a CSV
cell that starts with "=", "+", "-" or "@" as one ("CSV injection"): a comment such as
`=HYPERLINK("http://…")` typed by an official must stay text in every export.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet, values) -> None:
    """Append `values` to an openpyxl sheet; every string stays a string (never a formula)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def csv_cell(value) -> object:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
