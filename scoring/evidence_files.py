"""What an evidence file may be: its type is read from its first bytes, never from its name.

A renamed executable (or anything else unexpected) is refused whatever its extension.
An archive (.zip, .7z, .rar) is refused: appraisers should see each document, and
its content cannot be vouched for. Office documents are looked into by
scoring.office_content: macros, embedded programs and zip bombs are refused.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from scoring.office_content import OLE_SIGNATURE, RefusedDocument, check_ole, check_package
from scoring.zip_inspection import archive_kind

__all__ = ["RefusedDocument", "Sniffed", "sniff"]

# (content type, leading bytes) of the accepted families.
_SIGNATURES = (
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    # Word 97–2003, Excel 97–2003 (OLE compound file)
    ("application/x-ole-storage", OLE_SIGNATURE),
)
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ODF = b"mimetypeapplication/vnd.oasis.opendocument."


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    sha256: str
    size: int


def sniff(file: BinaryIO, *, name: str = "") -> Sniffed | None:
    """The file's real type, digest and size; None when it is not an accepted document.

    Raises RefusedDocument, naming the file by `name`, for an archive and for an
    Office document that carries code, a program or a packed file, or unpacks too far.
    """
    file.seek(0)
    head = file.read(64)
    content_type = next((ct for ct, magic in _SIGNATURES if head.startswith(magic)), None)
    if content_type is None and head.startswith(b"PK\x03\x04"):
        content_type = _office_type(file, head)
        if content_type is None:
            raise _archive(name, "zip")
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
        check_package(file, name=name, size=size)
    elif content_type == "application/x-ole-storage":
        file.seek(0)
        check_ole(file.read(), name=name)
    elif content_type is None and archive_kind(head):
        raise _archive(name, archive_kind(head))
    if content_type is None:
        return None
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return Sniffed(content_type=content_type, sha256=digest.hexdigest(), size=size)


def _archive(name: str, kind: str) -> RefusedDocument:
    return RefusedDocument(
        _(
            "“%(name)s” is an archive (%(kind)s): archives are not accepted as evidence. "
            "Attach each document itself."
        )
        % {"name": name, "kind": kind}
    )


def _office_type(file: BinaryIO, head: bytes) -> str | None:
    """A zip is accepted only as an Office Open XML or OpenDocument file."""
    if head[30:].startswith(_ODF):
        return "application/vnd.oasis.opendocument"
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None
