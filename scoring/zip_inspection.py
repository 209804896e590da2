"""Looking into a zip (an XLSX workbook, an Office document) before anything unpacks it.

A zip's central directory says how large each member becomes once unpacked, and
zipfile never inflates a member past that size (it stops there and checks the CRC),
so the directory alone bounds the work: a few hundred kilobytes promising hundreds of
megabytes are refused without inflating a byte. The workbook imports
(scoring.exchange.workbook_guard) and the evidence check (scoring.evidence_files)
share these checks, each with its own limits.
"""

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A member below this size is not judged by its ratio: a kilobyte of zeros packs
# a thousand times smaller and costs nothing to unpack.
RATIO_GRACE_BYTES = 1024 * 1024
HEAD_BYTES = 16

# Leading bytes of archive formats: one packed inside a document hides what it holds.
_ARCHIVES = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"MSCF", "cab"),
)
# Leading bytes of programs: Windows (MZ), Linux (ELF), macOS (Mach-O) and scripts.
_PROGRAMS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
PROGRAM_SUFFIXES = frozenset(
    {
        "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "bat", "cmd", "ps1", "psm1",
        "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "jar", "lnk", "reg", "sh", "elf",
        "app", "apk", "dmg",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ZipLimits:
    """How much a zip of one kind may hold, unpacked."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int


def file_label(name: str) -> str:
    """How a message names the file: by its name when it came with one."""
    return _("the file “%(name)s”") % {"name": name} if name else _("the file")


class ZipRefused(Exception):
    """Why a zip was not opened, in words for the person who sent it."""


def check_directory(archive: zipfile.ZipFile, *, size: int, limits: ZipLimits, label: str) -> None:
    """Refuse a zip whose directory promises more than `limits` allow; `size` is its length.

    `label` names the file in the messages ("the file “x.xlsx”").
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ZipRefused(
            _("%(file)s holds %(count)s parts, more than the %(max)s allowed.")
            % {"file": label, "count": len(members), "max": limits.max_members}
        )
    total = packed = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise ZipRefused(
                _("%(file)s is password-protected: remove the password and send it again.")
                % {"file": label}
            )
        if info.file_size > limits.max_member_bytes:
            raise ZipRefused(
                _(
                    "%(file)s would unpack its part %(part)s to %(size)s, more than the "
                    "%(max)s allowed."
                )
                % {
                    "file": label,
                    "part": info.filename,
                    "size": filesizeformat(info.file_size),
                    "max": filesizeformat(limits.max_member_bytes),
                }
            )
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ZipRefused(_packed_too_tightly(label, info.file_size, info.compress_size, limits))
        total += info.file_size
        packed += info.compress_size
    if total > limits.max_total_bytes:
        raise ZipRefused(
            _("%(file)s would unpack to %(size)s, more than the %(max)s allowed.")
            % {
                "file": label,
                "size": filesizeformat(total),
                "max": filesizeformat(limits.max_total_bytes),
            }
        )
    if total > RATIO_GRACE_BYTES and total > limits.max_ratio * max(packed, 1):
        raise ZipRefused(_packed_too_tightly(label, total, packed, limits))
    # Members that share their packed bytes (the "overlapping" zip bomb) add up to more
    # than the file itself: no honest zip does that.
    if packed > size:
        raise ZipRefused(_("%(file)s is damaged: its parts overlap.") % {"file": label})


def _packed_too_tightly(label: str, unpacked: int, packed: int, limits: ZipLimits) -> str:
    return _(
        "%(file)s unpacks to %(size)s, %(ratio)s times its packed size; an ordinary "
        "document is at most %(max)s times. It looks like a zip bomb and was not opened."
    ) % {
        "file": label,
        "size": filesizeformat(unpacked),
        "ratio": number_format(unpacked // max(packed, 1), force_grouping=True),
        "max": limits.max_ratio,
    }


def member_heads(archive: zipfile.ZipFile) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Each member with its first bytes (inflating only those)."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as member:
            yield info, member.read(HEAD_BYTES)


def archive_kind(head: bytes) -> str | None:
    """ "zip", "7z", "rar"… when `head` starts an archive, else None."""
    return next((kind for magic, kind in _ARCHIVES if head.startswith(magic)), None)


def is_program(name: str, head: bytes) -> bool:
    """A program by its leading bytes, or by a name that Windows would run."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return head.startswith(_PROGRAMS) or suffix in PROGRAM_SUFFIXES


# What zipfile raises on a damaged or hostile zip, besides BadZipFile: a truncated
# stream, an unknown compression method, a CRC mismatch found by zlib.
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error)
