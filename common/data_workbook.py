"""Reading XLSX workbooks that users upload, within limits, so a hostile one fails with a message.

An XLSX file is a ZIP archive of XML. openpyxl, even read-only, reads the whole shared-strings
table, the styles and each row whole before it hands over a cell, and trusts what the file says:
a 4.2 MB workbook took 1.8 GB. So before openpyxl opens a file, `read_first_sheet` checks it
with `zipfile` and expat, which keep nothing of what they read:

* at most `MAX_MEMBERS` members, each unpacking to at most `MAX_MEMBER_BYTES`, all together to
  `MAX_TOTAL_BYTES`, and none larger than `RATIO_FROM_BYTES` packed more than `MAX_RATIO` times
  (`zipfile` stops a member at the size the archive declares, so these declared sizes bind);
* no document type declaration (entities) in any XML member;
* at most `MAX_ELEMENTS` XML elements in all, and `MAX_PART_ELEMENTS` in a part openpyxl builds
  as objects whole (the styles, the workbook, the relations: any but a sheet or the strings);
* each sheet's declared `<dimension>` within `MAX_ROWS` rows and `MAX_COLUMNS` columns, and in
  fact at most `MAX_ROWS` rows, `MAX_COLUMNS` cells in a row and `MAX_CELLS` cells;
* a shared-strings table of at most `MAX_STRINGS` strings, declared and counted.

Then openpyxl reads only the first sheet's first columns and first `MAX_ROWS` rows. Every
refusal is a `DataTextError` of one line naming the member and the limit.

The largest real workbook, an assessment exported with every one of the 2027 bank's 112
comments at its 5,000-character limit, is 21 KB packed, its answers sheet 1.3 MB unpacked, packed
125 times, and 3,000 elements in all: far inside.
"""

import re
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from common.data_text import DataTextError, check_file, one_line

MAX_MEMBERS = 100
MAX_MEMBER_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 24 * 1024 * 1024
MAX_RATIO = 500  # deflate packs at most about 1,000 times; XML 5 to 50, one character repeated 300
RATIO_FROM_BYTES = 1024 * 1024  # a small member may pack well and cost nothing
MAX_ELEMENTS = 100_000
MAX_PART_ELEMENTS = 20_000  # in a part openpyxl reads whole into objects: any but a sheet or the strings
MAX_ROWS = 2_000
MAX_COLUMNS = 100
MAX_CELLS = 20_000
MAX_STRINGS = 20_000
_STREAMED_ROOTS = {"worksheet", "sst"}  # openpyxl reads these (in read-only mode) an element at a time
_CHUNK = 64 * 1024
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


def read_first_sheet(path: str | Path, *, columns: int) -> list[tuple]:
    """The first sheet's rows, each a tuple of the values of its first `columns` cells.

    Raises DataTextError (one line) for a workbook beyond the limits above or one openpyxl
    cannot read."""
    check_workbook(path)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return list(sheet.iter_rows(max_col=columns, max_row=MAX_ROWS, values_only=True))
        finally:
            workbook.close()
    except DataTextError:
        raise
    # openpyxl raises whatever its parsers meet in a damaged file (KeyError, IndexError, TypeError,
    # ParseError, BadZipFile, ...); after the checks above, each means the same: not readable.
    except Exception as error:
        raise DataTextError(f"not a readable XLSX workbook: {one_line(error) or type(error).__name__}") from None


def check_workbook(path: str | Path) -> None:
    """Refuse a workbook beyond the limits of this module; reads each member once, keeping nothing."""
    check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            _check_sizes(members)
            budget = _Budget()
            for info in members:
                _scan_member(archive, info, budget)
    except DataTextError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        # a damaged archive, a compression zipfile cannot unpack, an encrypted member
        raise DataTextError(f"not a readable XLSX workbook: {one_line(error)}") from None
    except OSError as error:
        raise DataTextError(f"cannot be read: {one_line(error.strerror or error)}") from None


def _check_sizes(members: list) -> None:
    if len(members) > MAX_MEMBERS:
        raise DataTextError(f"{len(members):,} parts in the archive, more than {MAX_MEMBERS}: refused")
    total = 0
    for info in members:
        name = one_line(info.filename, limit=80)
        if info.file_size > MAX_MEMBER_BYTES:
            raise DataTextError(
                f"{name} unpacks to {_megabytes(info.file_size)}, more than {_megabytes(MAX_MEMBER_BYTES)}: refused"
            )
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DataTextError(
                f"{name} unpacks to {info.file_size // max(info.compress_size, 1):,} times its packed size, "
                f"more than {MAX_RATIO} times: refused"
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise DataTextError(
            f"the archive unpacks to {_megabytes(total)}, more than {_megabytes(MAX_TOTAL_BYTES)}: refused"
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


class _Budget:
    """The elements left for the whole archive."""

    def __init__(self):
        self.elements = MAX_ELEMENTS


class _MemberScan:
    """Counts what one XML member holds as expat reads it, and refuses it at the first limit passed."""

    def __init__(self, name: str, budget: _Budget):
        self.name, self.budget = name, budget
        self.elements = self.rows = self.cells = self.row_cells = self.strings = 0
        self.streamed = False

    def refuse(self, what: str) -> DataTextError:
        return DataTextError(f"{self.name}: {what}: refused")

    def doctype(self, *args):
        raise self.refuse("declares a document type (entities)")

    def start(self, name: str, attributes: dict):
        local = name.rpartition(" ")[2]
        if self.elements == 0:
            self.streamed = local in _STREAMED_ROOTS
        self.elements += 1
        if not self.streamed and self.elements > MAX_PART_ELEMENTS:
            raise self.refuse(f"more than {MAX_PART_ELEMENTS:,} XML elements")
        self.budget.elements -= 1
        if self.budget.elements < 0:
            raise DataTextError(f"the workbook holds more than {MAX_ELEMENTS:,} XML elements: refused")
        if local == "c":
            self.cells += 1
            self.row_cells += 1
            if self.row_cells > MAX_COLUMNS:
                raise self.refuse(f"row {self.rows} holds more than {MAX_COLUMNS} cells")
            if self.cells > MAX_CELLS:
                raise self.refuse(f"more than {MAX_CELLS:,} cells")
        elif local == "row":
            self.rows += 1
            self.row_cells = 0
            if self.rows > MAX_ROWS:
                raise self.refuse(f"more than {MAX_ROWS:,} rows")
        elif local == "si":
            self.strings += 1
            if self.strings > MAX_STRINGS:
                raise self.refuse(f"more than {MAX_STRINGS:,} shared strings")
        elif local == "dimension":
            self._check_dimension(attributes.get("ref", ""))
        elif local == "sst":
            declared = max(_whole(attributes.get("count")), _whole(attributes.get("uniqueCount")))
            if declared > MAX_STRINGS:
                raise self.refuse(f"declares {declared:,} shared strings, more than {MAX_STRINGS:,}")

    def _check_dimension(self, ref: str):
        corner = _CELL.match(ref.rpartition(":")[2].strip())
        if corner is None:
            return  # openpyxl reads no size from it either
        from openpyxl.utils.cell import column_index_from_string

        columns, rows = column_index_from_string(corner[1].upper()), _whole(corner[2])
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise self.refuse(
                f"the sheet declares {rows:,} rows and {columns:,} columns "
                f"(at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns)"
            )


def _whole(text) -> int:
    """A count the file declares: 0 if it declares none; any number of more than 9 digits as 10**9."""
    if not isinstance(text, str) or not text.isdecimal():
        return 0
    return int(text) if len(text) <= 9 else 10**9


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Read one member through expat; a member that is not XML (an image) stops at its first byte."""
    scan = _MemberScan(one_line(info.filename, limit=80), budget)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = scan.doctype
    parser.StartElementHandler = scan.start
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            try:
                parser.Parse(chunk, False)
            except expat.ExpatError:
                return  # not XML (an image), or broken XML where openpyxl stops too, having read no more
