"""Hostile workbooks built in tests: a zip bomb, stray cells far to the right, lost formulas.

Each takes a sound workbook and rewrites the XML of one of its sheets, streaming, so
a bomb of hundreds of megabytes never sits in memory.
"""

import posixpath
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from io import BytesIO
from itertools import repeat
from xml.etree import ElementTree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The row of the issue: one cell in column AA, a column without a header, and no row
# number, so every row packs to the same bytes.
ROW_IN_COLUMN_AA = b'<row><c r="AA1" t="inlineStr"><is><t>x</t></is></c></row>'


def sheet_part(data: bytes, title: str) -> str:
    """The zip member holding the sheet titled `title`."""
    # The workbooks come from the test itself (openpyxl), never from outside.
    with zipfile.ZipFile(BytesIO(data)) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    rid = next(
        sheet.get(f"{{{RELATIONSHIPS}}}id")
        for sheet in workbook.iter(f"{{{MAIN}}}sheet")
        if sheet.get("name") == title
    )
    target = next(rel.get("Target") for rel in rels if rel.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)


def rewrite_part(
    data: bytes, part: str, change: Callable[[bytes], Iterable[bytes]], extra=()
) -> bytes:
    """A copy of a zip whose `part` is replaced by the chunks `change` makes of it.

    `extra` adds (name, bytes) members.
    """
    output = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != part:
                target.writestr(info.filename, content)
                continue
            with target.open(info.filename, "w") as member:
                for chunk in change(content):
                    member.write(chunk)
        for name, content in extra:
            target.writestr(name, content)
    return output.getvalue()


def rows_appended(sheet_xml: bytes, rows: Iterable[bytes]) -> Iterator[bytes]:
    """The sheet's XML with `rows` added at the end of its table."""
    head, tail = sheet_xml.split(b"</sheetData>", 1)
    yield head
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 1000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch)
    yield b"</sheetData>" + tail


def zip_bomb(data: bytes, title: str, *, rows: int = 4_000_000) -> bytes:
    """The workbook with `rows` copies of a row holding one cell in column AA under the table.

    4 million rows: about 650 KB packed, 230 MB unpacked.
    """
    return rewrite_part(
        data,
        sheet_part(data, title),
        lambda xml: rows_appended(xml, repeat(ROW_IN_COLUMN_AA, rows)),
    )


def stray_rows(data: bytes, title: str, *, first: int, last: int) -> bytes:
    """The workbook with a cell in column AA on every row from `first` to `last`."""
    rows = (
        b'<row r="%d"><c r="AA%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(first, last + 1)
    )
    return rewrite_part(data, sheet_part(data, title), lambda xml: rows_appended(xml, rows))


def unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def understated(data: bytes, part: str, size: int) -> bytes:
    """The zip with `part` claiming `size` unpacked bytes in both of its headers."""
    patched = bytearray(data)
    name = part.encode()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        info = archive.getinfo(part)
    # Local header: the uncompressed size is at offset 22 (32 bits).
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    # Central directory entry: signature, then the size at offset 24.
    central = patched.rfind(b"PK\x01\x02", 0, len(patched))
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if bytes(patched[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", patched, central + 24, size)
            break
        central = patched.rfind(b"PK\x01\x02", 0, central)
    return bytes(patched)
