"""OLE compound files (.doc, .xls, oleObject.bin) built in tests, as the format describes them.

Version 3 (512-byte sectors), one FAT sector, then the directory. Every stream is
padded to the 4,096 bytes past which it lives in ordinary sectors, so no mini stream
is needed. Paths use "/" between storages: {"Macros/VBA/dir": b"..."}.
"""

import struct

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
MINI_STREAM_CUTOFF = 4096


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams`, with the storages their paths name."""
    entries = [{"name": "Root Entry", "type": ROOT, "kids": [], "data": b""}]
    by_path = {"": 0}
    for path, data in streams.items():
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix in by_path:
                continue
            is_stream = depth == len(parts)
            padded = data.ljust(MINI_STREAM_CUTOFF, b"\0") if is_stream else b""
            entries.append(
                {"name": parts[depth - 1], "type": STREAM if is_stream else STORAGE, "kids": [],
                 "data": padded}
            )  # fmt: skip
            by_path[prefix] = len(entries) - 1
            entries[by_path["/".join(parts[: depth - 1])]]["kids"].append(len(entries) - 1)
    # Sector 0 is the FAT, then the directory (four entries a sector), then each
    # stream's sectors in turn.
    directory_sectors = (len(entries) + 3) // 4
    fat = [FAT_SECTOR, *range(2, directory_sectors + 1), END]
    body = b""
    for entry in entries:
        if entry["type"] != STREAM:
            entry["start"] = END
            continue
        count = len(entry["data"]) // SECTOR + (len(entry["data"]) % SECTOR > 0)
        entry["start"] = len(fat)
        fat += [len(fat) + n + 1 for n in range(count - 1)] + [END]
        body += entry["data"].ljust(count * SECTOR, b"\0")
    assert len(fat) <= SECTOR // 4, "one FAT sector maps 128 sectors"

    directory = b"".join(_entry(entries, index) for index in range(len(entries)))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,  # FAT sectors
        1,  # first directory sector
        0,
        MINI_STREAM_CUTOFF,
        END,  # no mini FAT
        0,
        END,  # no DIFAT sectors
        0,
        0,  # DIFAT[0]: the FAT is sector 0
    ) + struct.pack("<108I", *[FREE] * 108)
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *fat, *[FREE] * (SECTOR // 4 - len(fat)))
    return header + fat_sector + directory.ljust(directory_sectors * SECTOR, b"\0") + body


def _entry(entries: list[dict], index: int) -> bytes:
    entry = entries[index]
    # Siblings form a chain to the right, in the order the format sorts names.
    kids = sorted(
        entry["kids"], key=lambda k: (len(entries[k]["name"]), entries[k]["name"].upper())
    )
    for position, kid in enumerate(kids):
        entries[kid]["right"] = kids[position + 1] if position + 1 < len(kids) else NO_STREAM
    name = entry["name"].encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name) + 2,
        entry["type"],
        1,  # black
        NO_STREAM,
        entry.get("right", NO_STREAM),
        kids[0] if kids else NO_STREAM,
        b"\0" * 16,
        0,
        0,
        0,
        entry["start"],
        len(entry["data"]),
    )


def native_package(file_name: str, content: bytes) -> bytes:
    """A package object's \\x01Ole10Native stream carrying `content` as `file_name`."""
    name = file_name.encode("latin-1") + b"\0"
    path = f"C:\\Users\\a\\{file_name}".encode("latin-1") + b"\0"
    body = struct.pack("<H", 2) + name + path + struct.pack("<II", 0x00030000, len(path)) + path
    body += struct.pack("<I", len(content)) + content
    return struct.pack("<I", len(body)) + body
