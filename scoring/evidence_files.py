"""What an evidence file may be: its type is read from its first bytes, never from its name.

A renamed executable (or anything else unexpected) is refused whatever its extension.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

# (content type, leading bytes) of the accepted families.
_SIGNATURES = (
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    # Word 97–2003, Excel 97–2003 (OLE compound file)
    ("application/x-ole-storage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
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


def sniff(file: BinaryIO) -> Sniffed | None:
    """The file's real type, digest and size; None when it is not an accepted document."""
    file.seek(0)
    head = file.read(64)
    content_type = next((ct for ct, magic in _SIGNATURES if head.startswith(magic)), None)
    if content_type is None and head.startswith(b"PK\x03\x04"):
        content_type = _office_type(file, head)
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
