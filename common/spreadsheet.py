"""Writing user text into spreadsheets without it becoming a formula.

openpyxl stores any string that starts with "=" as a formula, and Excel or LibreOffice run a CSV
cell that starts with "=", "+", "-" or "@" as one ("CSV injection"): a comment such as
`=HYPERLINK("http://…")` typed by an official must stay text in every export.
"""

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet, values) -> None:
    """Append `values` to an openpyxl sheet; every string stays a string (never a formula).

    The cells are made here and handed to `append` (which places them), so a row costs the same
    however long the sheet is already: looking the new row up by `max_row` would scan every cell."""
    cells = [Cell(sheet, value=value) for value in values]
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
    sheet.append(cells)


def csv_cell(value) -> object:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
