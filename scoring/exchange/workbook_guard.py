"""What a workbook must pass before openpyxl opens it: bounded size, bounded rows, no lost formulas.

openpyxl reads about 100,000 rows a second and trusts the file's zip directory, so
a scoring sheet of 1 MB that unpacks to 8 million rows held a worker for minutes.
The guard answers in milliseconds instead:

1. the zip directory (scoring.zip_inspection): number of parts, their unpacked sizes
   and how tightly they are packed, and no archive packed inside;
2. one streaming pass over the XML parts with expat, stopped as soon as a sheet
   goes past the import's last row, MAX_COLUMNS or MAX_CELLS. Every row with a cell
   counts, wherever its cells are: a row whose cells all lie in columns without a
   header is skipped by the readers as blank, but openpyxl still has to parse it;
3. in the same pass, formula cells saved without their result: reading values
   (data_only) gives None for them, which would silently clear a point or skip a
   count, so they are named and refused.

A DOCTYPE in any XML part is refused too: an OOXML part never has one, and its
entities are the XML form of a bomb."""

import zipfile
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _

from scoring.exchange.problems import ImportProblem, file_problem
from scoring.exchange.sheet_scan import (
    DoctypeFound,
    ScanRefused,
    SheetScan,
    WorkbookDamaged,
    sheet_titles,
)
from scoring.zip_inspection import (
    ZIP_ERRORS,
    ZipLimits,
    ZipRefused,
    check_directory,
    file_label,
)


def workbook_limits() -> ZipLimits:
    return ZipLimits(
        max_members=settings.ZIP_MAX_MEMBERS,
        max_member_bytes=settings.WORKBOOK_PART_MAX_BYTES,
        max_total_bytes=settings.WORKBOOK_UNPACKED_MAX_BYTES,
        max_ratio=settings.ZIP_MAX_RATIO,
    )


def guard_workbook(data: bytes, *, name: str = "", max_rows: int) -> list[ImportProblem]:
    """The reasons not to open this workbook; empty when openpyxl may read it.

    `max_rows` is the last row number any sheet may reach (the import's own row cap
    plus its header rows). Raises WorkbookDamaged when the zip breaks while read.
    """
    label = file_label(name)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except ZIP_ERRORS:
        return []  # not a zip at all: openpyxl says so in the usual words
    try:
        with archive:
            check_directory(archive, size=len(data), limits=workbook_limits(), label=label)
            scan = SheetScan(label=label, max_rows=max_rows, titles=sheet_titles(archive))
            for info in archive.infolist():
                if not info.is_dir():
                    scan.member(archive, info)
    except ZipRefused as refusal:
        return [file_problem(str(refusal))]
    except ScanRefused as refusal:
        return [refusal.problem]
    except DoctypeFound as found:
        return [
            file_problem(
                _(
                    "%(file)s is not an ordinary workbook: its part %(part)s declares a "
                    "DOCTYPE, which Excel never writes."
                )
                % {"file": label, "part": found.part}
            )
        ]
    except ZIP_ERRORS as error:
        raise WorkbookDamaged from error
    return scan.formula_problems()
