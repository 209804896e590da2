"""The zip directory's limits at their edges: at the limit passes, one over refuses."""

import io
import zipfile

import pytest
from django.utils import translation

from scoring.zip_inspection import (
    RATIO_GRACE_BYTES,
    ZipLimits,
    ZipRefused,
    check_directory,
    is_program,
    member_heads,
)

G = RATIO_GRACE_BYTES
ROOMY = ZipLimits(max_members=10, max_member_bytes=10**12, max_total_bytes=10**12, max_ratio=10**9)


class Directory:
    """A zip directory as check_directory reads it, with the sizes it promises."""

    def __init__(self, *members):
        self.members = []
        for i, (size, packed, *flags) in enumerate(members):
            info = zipfile.ZipInfo(f"part{i}.xml")
            info.file_size, info.compress_size = size, packed
            info.flag_bits = flags[0] if flags else 0
            self.members.append(info)

    def infolist(self):
        return self.members


def check(directory, limits=ROOMY, size=10**12):
    with translation.override("en"):
        check_directory(directory, size=size, limits=limits, label="the file")


def refusal(directory, limits=ROOMY, size=10**12) -> str:
    with pytest.raises(ZipRefused) as refused:
        check(directory, limits, size)
    return str(refused.value)


def limits(**changes) -> ZipLimits:
    values = {**ROOMY.__dict__, **changes}
    return ZipLimits(**values)


def test_the_number_of_parts_may_reach_the_limit_and_not_pass_it():
    check(Directory(*[(1, 1)] * 3), limits(max_members=3))
    assert "holds 4 parts" in refusal(Directory(*[(1, 1)] * 4), limits(max_members=3))


def test_one_part_may_unpack_to_the_limit_and_not_a_byte_more():
    check(Directory((100, 100)), limits(max_member_bytes=100))
    assert "its part part0.xml" in refusal(Directory((101, 100)), limits(max_member_bytes=100))


def test_all_parts_together_may_unpack_to_the_limit_and_not_a_byte_more():
    check(Directory((60, 60), (40, 40)), limits(max_total_bytes=100))
    assert "would unpack to" in refusal(Directory((60, 60), (41, 41)), limits(max_total_bytes=100))


def test_only_the_encryption_bit_marks_a_protected_part():
    check(Directory((1, 1, 0x8)))  # bit 3: sizes after the data, not a password
    assert "password-protected" in refusal(Directory((1, 1, 0x1)))


def test_a_part_may_be_packed_as_tightly_as_the_ratio_allows_and_no_tighter():
    tight = limits(max_ratio=1000)
    check(Directory((2_100_000, 2_100)), tight)
    message = refusal(Directory((2_100_001, 2_100)), tight)
    assert "times its packed size" in message


def test_a_small_part_is_not_judged_by_its_ratio():
    check(Directory((G, 0)), limits(max_ratio=2))


def test_a_part_packed_to_nothing_counts_as_one_packed_byte():
    ratio = 2 * G
    check(Directory((ratio, 0)), limits(max_ratio=ratio))
    message = refusal(Directory((ratio + 1, 0)), limits(max_ratio=ratio))
    assert f"{ratio + 1:,} times its packed size" in message


def test_the_ratio_is_printed_whole_and_grouped():
    message = refusal(Directory((5_000_001, 2)), limits(max_ratio=1000))
    assert "2,500,000 times its packed size" in message


def test_small_parts_are_judged_by_their_ratio_together():
    # Each part is within the grace; together they pass it, packed to nothing.
    ratio = 2 * G
    check(Directory((G, 0), (G, 0)), limits(max_ratio=ratio))
    over = Directory((G, 0), (G + 1, 0))
    assert "times its packed size" in refusal(over, limits(max_ratio=ratio))
    check(Directory((G // 2, 0), (G // 2, 0)), limits(max_ratio=1))  # at the grace: not judged
    check(Directory((G, 1), (G, 1)), limits(max_ratio=G))  # exactly the ratio allowed


def test_parts_may_fill_the_file_but_not_overlap():
    check(Directory((10, 6), (10, 4)), size=10)
    assert "its parts overlap" in refusal(Directory((10, 6), (10, 5)), size=10)


def test_member_heads_skip_folders_and_read_every_file():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("media/", b"")
        archive.writestr("media/a.bin", b"MZ first bytes of a program")
        archive.writestr("b.txt", b"text")
    with zipfile.ZipFile(data) as archive:
        heads = [(info.filename, head) for info, head in member_heads(archive)]
    assert heads == [("media/a.bin", b"MZ first bytes o"), ("b.txt", b"text")]


@pytest.mark.parametrize(
    ("name", "head", "program"),
    [
        ("setup.EXE", b"", True),
        ("report.pdf.js", b"", True),
        ("README", b"", False),
        ("exe", b"", False),
        ("notes.txt", b"#!/bin/sh", True),
        ("notes.txt", b"plain", False),
    ],
)
def test_a_program_is_known_by_its_suffix_or_its_first_bytes(name, head, program):
    assert is_program(name, head) is program


def test_a_part_packed_to_nothing_is_refused_even_when_the_others_pack_loosely():
    ratio = 2 * G
    loose = (1, 10**6)  # the whole file's ratio stays low
    check(Directory((ratio, 0), loose), limits(max_ratio=ratio))
    assert "times its packed size" in refusal(
        Directory((ratio + 1, 0), loose), limits(max_ratio=ratio)
    )
