"""Workbooks made to exhaust an XLSX reader, each about 5 MB or less packed, built in a second or two.

Each starts from a real answers workbook (openpyxl's own parts) and swaps or adds one part.
`zip_bomb` writes its archive by hand: it declares a shared-strings table of 1.9 GB packed
into 4.9 MB, more than `zipfile` could compress in a test's time.
"""

import io
import random
import struct
import zipfile
import zlib

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def answers_parts() -> dict[str, bytes]:
    """The parts of a small valid answers workbook, by name."""
    workbook = Workbook()
    sheet = workbook.active
    for row in (["city", "昆山市"], ["year", 2026], ["questionnaire", "test-bank"], ["code", "answer", "comment"]):
        sheet.append(row)
    sheet.append(["S1.1", 3, "ok"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """`parts` with a shared-strings part declared (openpyxl writes its strings inline)."""
    parts = dict(parts)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>'.encode()
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdStrings" Type="{STRINGS_REL}" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    return parts


def save(path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def sheet_xml(rows: bytes, *, dimension: str) -> bytes:
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode()
        + rows
        + b"</sheetData></worksheet>"
    )


def many_shared_strings(path, *, count: int = 700_000, declare: bool = True) -> None:
    """A shared-strings table of `count` different strings (5 MB packed), declared or not."""
    rng = random.Random(22)
    head = f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">' if declare else f'<sst xmlns="{MAIN}">'
    strings = b"".join(b"<si><t>%x</t></si>" % rng.getrandbits(40) for _ in range(count))
    save(path, with_shared_strings(answers_parts()) | {STRINGS: head.encode() + strings + b"</sst>"})


def wide_rows(path, *, rows: int = 60, dimension: str = "A1:XFD60") -> None:
    """Rows of 16,384 numeric cells each (about 5 MB packed for 60 rows)."""
    rng = random.Random(22)
    body = b"".join(
        b'<row r="%d">' % r + b"".join(b"<c><v>%d</v></c>" % rng.getrandbits(24) for _ in range(16_384)) + b"</row>"
        for r in range(1, rows + 1)
    )
    save(path, answers_parts() | {SHEET: sheet_xml(body, dimension=dimension)})


def many_rows(path, *, rows: int = 1_000_000, dimension: str = "A1:C5") -> None:
    """A million one-cell rows under a dimension that claims five."""
    body = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (r, r) for r in range(1, rows + 1))
    save(path, answers_parts() | {SHEET: sheet_xml(body, dimension=dimension)})


def many_styles(path, *, count: int = 1_000_000) -> None:
    """A stylesheet of a million cell formats (50 MB unpacked), which openpyxl builds as objects whole."""
    xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * count
    styles = (
        f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        f'<borders count="1"><border/></borders><cellXfs count="{count}">'.encode()
        + xfs
        + b"</cellXfs></styleSheet>"
    )
    save(path, answers_parts() | {"xl/styles.xml": styles})


def rich_strings(path, *, count: int = 19_000, runs: int = 6) -> None:
    """Shared strings of several formatted runs each: few strings, many XML elements."""
    string = b"<si>" + b"<r><t>a</t></r>" * runs + b"</si>"
    save(
        path,
        with_shared_strings(answers_parts()) | {STRINGS: f'<sst xmlns="{MAIN}">'.encode() + string * count + b"</sst>"},
    )


def many_members(path, *, count: int = 20_000) -> None:
    parts = answers_parts() | {f"xl/media/empty{n}.bin": b"" for n in range(count)}
    save(path, parts)


def entity_bomb(path) -> None:
    """The billion laughs in the shared strings."""
    entities = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)
    )
    strings = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}"><si><t>&i;</t></si></sst>'
    save(path, with_shared_strings(answers_parts()) | {STRINGS: strings.encode()})


def zip_bomb(path, *, gigabytes: float = 1.9) -> None:
    """A shared-strings table declaring `gigabytes` GB packed into 2.5 MB a GB (4.9 MB for 1.9 GB): a
    0.9 MB block of strings deflated once and repeated (a ZIP without ZIP64 holds up to 4 GB)."""
    parts = with_shared_strings(answers_parts())
    block = b"<si><t>lol</t></si>" * 50_000  # 0.9 MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_block = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)  # stands alone, so repeatable
    repeats = int(gigabytes * 1024**3 - 1024) // len(block)
    head = f'<sst xmlns="{MAIN}">'.encode()
    tail = b"</sst>"
    closing = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = [_deflate_stored(head), packed_block * repeats, closing.compress(tail) + closing.flush()]
    size = len(head) + len(block) * repeats + len(tail)
    members = [(name, zlib.compress(data, 9)[2:-4], len(data), zlib.crc32(data)) for name, data in parts.items()]
    # The checksum of 4 GB would take a test seconds to compute; the declared size is what is checked.
    members.append((STRINGS, b"".join(stream), size, 0))
    path.write_bytes(_zip_archive(members))


def _deflate_stored(data: bytes) -> bytes:
    """`data` as a non-final stored deflate block, so packed blocks can follow it."""
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _zip_archive(members) -> bytes:
    """A ZIP archive of (name, raw deflate data, unpacked size, CRC-32) members."""
    out, directory = io.BytesIO(), []
    for name, packed, size, crc in members:
        encoded = name.encode()
        offset = out.tell()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(packed), size)
        out.write(b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + packed)
        directory.append(
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start = out.tell()
    out.write(b"".join(directory))
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), out.tell() - start, start, 0)
    out.write(b"PK\x05\x06" + end)
    return out.getvalue()
