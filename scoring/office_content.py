"""What an Office document carries besides its text: macros, embedded programs, packed files.

An evidence file is opened later by appraisers on their own computers, so a
document that can run code there is refused, as is one whose embedded objects
cannot be looked into:

- Office Open XML (.docx, .xlsx, .pptx): a zip, bounded by scoring.zip_inspection.
  Macros are vbaProject.bin, vbaData.xml, Excel 4.0 macro sheets, ActiveX controls and
  the macro-enabled content types (.docm, .xlsm, .pptm). An embedded part is looked at
  by its first bytes: a program is refused; an embedded Office document (a chart's
  workbook) is inspected the same way, MAX_DEPTH deep; any other archive is refused.
- OLE compound files (.doc, .xls, .ppt, and the oleObject*.bin embedded in OOXML),
  read with olefile: VBA storages, Excel 4.0 macro sheets, password protection
  (which hides everything), and the package objects (\\x01Ole10Native) through which
  a document carries an arbitrary file, such as an .exe with a document's icon.
- OpenDocument: Basic/ and Scripts/ are macros; the rest as for OOXML.

Not covered: VBA inside a PowerPoint 97–2003 file (kept in the "PowerPoint Document"
stream, not in a storage of its own).
"""

import posixpath
import struct
import xml.parsers.expat
import zipfile
from collections.abc import Iterator
from io import BytesIO

import olefile
from django.conf import settings
from django.utils.translation import gettext as _

from scoring.zip_inspection import (
    ZIP_ERRORS,
    ZipLimits,
    ZipRefused,
    archive_kind,
    check_directory,
    file_label,
    is_program,
    member_heads,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A document inside a document inside the evidence file; deeper nesting is refused.
MAX_DEPTH = 2
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
_MACRO_FOLDERS = ("/macrosheets/", "/activex/", "basic/", "scripts/")
_MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "macrosheet", "activex")
# Storages holding VBA in Word (Macros), Excel (_VBA_PROJECT_CUR) and any host (VBA).
_VBA_STORAGES = frozenset({"macros", "_vba_project_cur", "vba", "_vba_project"})
_DOCUMENT_STREAMS = frozenset({"worddocument", "workbook", "book", "powerpoint document"})


class RefusedDocument(Exception):
    """Why an evidence file is refused, as a sentence for the person who sent it."""


def evidence_limits() -> ZipLimits:
    return ZipLimits(
        max_members=settings.ZIP_MAX_MEMBERS,
        max_member_bytes=settings.EVIDENCE_PART_MAX_BYTES,
        max_total_bytes=settings.EVIDENCE_UNPACKED_MAX_BYTES,
        max_ratio=settings.ZIP_MAX_RATIO,
    )


class _Inspection:
    """One evidence file being looked into; `name` is how the messages call it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def refuse_macros(self, part: str) -> RefusedDocument:
        return RefusedDocument(
            _(
                "“%(name)s” contains macros or other code that runs when it is opened "
                "(%(part)s). Save it without macros (as .docx, .xlsx, .pptx or PDF) and "
                "attach it again."
            )
            % {"name": self.name, "part": part}
        )

    def refuse_program(self, part: str) -> RefusedDocument:
        return RefusedDocument(
            _(
                "“%(name)s” carries a program inside (%(part)s). Remove the embedded "
                "object and attach the document again."
            )
            % {"name": self.name, "part": part}
        )

    def refuse_archive(self, kind: str, part: str) -> RefusedDocument:
        return RefusedDocument(
            _(
                "“%(name)s” carries a packed file (%(kind)s) inside (%(part)s), whose "
                "content cannot be checked. Remove the embedded object and attach the "
                "document again."
            )
            % {"name": self.name, "kind": kind, "part": part}
        )

    def refuse_password(self) -> RefusedDocument:
        return RefusedDocument(
            _(
                "“%(name)s” is password-protected, so its content cannot be checked. "
                "Remove the password and attach it again."
            )
            % {"name": self.name}
        )

    def refuse_damaged(self) -> RefusedDocument:
        return RefusedDocument(
            _("“%(name)s” is damaged: it cannot be opened as an Office document.")
            % {"name": self.name}
        )

    # -- zip packages (OOXML, OpenDocument) -------------------------------------------

    def package(self, archive: zipfile.ZipFile, *, size: int, depth: int) -> None:
        try:
            check_directory(
                archive, size=size, limits=evidence_limits(), label=file_label(self.name)
            )
        except ZipRefused as refusal:
            raise RefusedDocument(_capitalised(str(refusal))) from refusal
        if "[Content_Types].xml" in archive.namelist():
            for content_type in _content_types(archive.read("[Content_Types].xml")):
                if any(marker in content_type.lower() for marker in _MACRO_CONTENT_TYPES):
                    raise self.refuse_macros(content_type)
        for info, head in member_heads(archive):
            self.member(archive, info, head, depth=depth)

    def member(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, head: bytes, *, depth: int
    ) -> None:
        part = info.filename
        lowered = f"/{part.lower()}"
        if posixpath.basename(lowered) in _MACRO_PARTS or any(
            folder in lowered for folder in _MACRO_FOLDERS
        ):
            raise self.refuse_macros(part)
        if is_program(part, head):
            raise self.refuse_program(part)
        if head.startswith(OLE_SIGNATURE):
            self.ole(self.embedded(archive, info, "OLE"), depth=depth + 1, top=False)
            return
        kind = archive_kind(head)
        if kind == "zip":
            self.nested(self.embedded(archive, info, kind), kind, part, depth)
        elif kind:
            raise self.refuse_archive(kind, part)

    def embedded(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> bytes:
        # An embedded object is never larger than an evidence file may be.
        if info.file_size > settings.EVIDENCE_MAX_BYTES:
            raise self.refuse_archive(kind, info.filename)
        return archive.read(info)

    def nested(self, data: bytes, kind: str, part: str, depth: int) -> None:
        """An archive inside the document: an Office document is inspected, others refused."""
        if kind != "zip" or depth + 1 > MAX_DEPTH:
            raise self.refuse_archive(kind, part)
        try:
            with zipfile.ZipFile(BytesIO(data)) as inner:
                names = set(inner.namelist())
                if "[Content_Types].xml" not in names and "mimetype" not in names:
                    raise self.refuse_archive(kind, part)
                self.package(inner, size=len(data), depth=depth + 1)
        except ZIP_ERRORS:
            raise self.refuse_archive(kind, part) from None

    # -- OLE compound files ------------------------------------------------------------

    def ole(self, data: bytes, *, depth: int, top: bool) -> None:
        """Refuse macros, password protection and embedded programs of an OLE file.

        `top`: the evidence file itself, which must then be a Word, Excel or PowerPoint
        document (an installer, .msi, is an OLE file too).
        """
        if depth > MAX_DEPTH:
            raise self.refuse_archive("OLE", "")
        try:
            with olefile.OleFileIO(BytesIO(data)) as document:
                entries = document.listdir(streams=True, storages=True)
                names = {entry[-1].lower() for entry in entries}
                if top and not names & _DOCUMENT_STREAMS:
                    if "encryptedpackage" in names:
                        raise self.refuse_password()
                    raise RefusedDocument(
                        _("“%(name)s” is not a Word, Excel or PowerPoint document.")
                        % {"name": self.name}
                    )
                for entry in entries:
                    self.ole_entry(document, entry, depth=depth)
        except RefusedDocument:
            raise
        except Exception:  # olefile raises many kinds of error on a damaged file
            raise self.refuse_damaged() from None

    def ole_entry(self, document: olefile.OleFileIO, entry: list[str], *, depth: int) -> None:
        path = "/".join(entry)
        last = entry[-1].lower()
        if last in _VBA_STORAGES:
            raise self.refuse_macros(path)
        if last == "encryptedpackage":
            raise self.refuse_password()
        if document.get_type(entry) != olefile.STGTY_STREAM:
            return
        if last in ("workbook", "book") and _excel_macro_sheets(document.openstream(entry)):
            raise self.refuse_macros(path)
        if last == "\x01ole10native":
            file_name, payload = _native_package(document.openstream(entry).read())
            if file_name is None:
                raise self.refuse_program(path)  # a package whose content cannot be read
            if is_program(file_name, payload[:16]):
                raise self.refuse_program(f"{path}: {file_name}")
            self.payload(payload, f"{path}: {file_name}", depth)
        elif last == "package":  # an OOXML document embedded as an OLE object
            self.payload(document.openstream(entry).read(), path, depth)

    def payload(self, data: bytes, part: str, depth: int) -> None:
        if data.startswith(OLE_SIGNATURE):
            self.ole(data, depth=depth + 1, top=False)
            return
        kind = archive_kind(data[:16])
        if kind:
            self.nested(data, kind, part, depth)


def check_package(file, *, name: str, size: int) -> None:
    """Refuse an OOXML or OpenDocument evidence file that is too large unpacked or can run code."""
    try:
        with zipfile.ZipFile(file) as archive:
            _Inspection(name).package(archive, size=size, depth=0)
    except ZIP_ERRORS:
        raise _Inspection(name).refuse_damaged() from None


def check_ole(data: bytes, *, name: str) -> None:
    """Refuse a Word, Excel or PowerPoint 97–2003 file with macros or an embedded program."""
    _Inspection(name).ole(data, depth=0, top=True)


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _content_types(data: bytes) -> Iterator[str]:
    """The content types [Content_Types].xml declares (a DOCTYPE there breaks the parse)."""
    found: list[str] = []
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _damaged
    parser.StartElementHandler = lambda _tag, attrs: found.append(attrs.get("ContentType", ""))
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        raise zipfile.BadZipFile("[Content_Types].xml") from None
    return iter(found)


def _damaged(*_args) -> None:
    raise zipfile.BadZipFile("DOCTYPE")


def _excel_macro_sheets(stream) -> bool:
    """An Excel 97–2003 workbook listing an Excel 4.0 macro sheet or a VBA module.

    The workbook globals are records (type, length, data) up to EOF; each sheet has a
    BoundSheet8 record (0x0085) whose sixth byte is its type: 1 macro sheet, 6 VBA module.
    A FILEPASS record (0x002F) means the rest is encrypted.
    """
    while header := stream.read(4):
        if len(header) < 4:
            return False
        kind, length = struct.unpack("<HH", header)
        data = stream.read(length)
        if kind == 0x000A:  # EOF of the globals
            return False
        if kind == 0x002F:
            return True  # encrypted: its sheets cannot be checked
        if kind == 0x0085 and len(data) >= 6 and data[5] in (1, 6):
            return True
    return False


def _native_package(data: bytes) -> tuple[str | None, bytes]:
    """(file name, content) of a package object (OLE10Native), or (None, b"") if unreadable.

    Its layout: total size (4 bytes), a flag (2), the file's name, its source path (each
    ending in a zero byte), two 4-byte fields, a temporary path (zero-ended), then the
    content's size (4) and the content.
    """
    try:
        position = 6
        strings = []
        for _index in range(2):
            end = data.index(b"\0", position)
            strings.append(data[position:end].decode("latin-1"))
            position = end + 1
        position += 8
        end = data.index(b"\0", position)
        strings.append(data[position:end].decode("latin-1"))
        position = end + 1
        (size,) = struct.unpack_from("<I", data, position)
        content = data[position + 4 : position + 4 + size]
    except (ValueError, struct.error):
        return None, b""
    # The name shown, the path it came from and the temporary copy may each carry the
    # real extension: judge the one that looks most like a program.
    names = [s for s in strings if s]
    name = next((s for s in names if is_program(s, b"")), names[0] if names else "")
    return name, content
