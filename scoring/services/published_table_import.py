"""Staff import of a year's published results table (import_published_table)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.exchange.problems import ImportProblem, file_problem
from scoring.exchange.published_table_xlsx import (
    PublishedTableFile,
    TableRow,
    read_published_table,
)
from scoring.models import Campaign, ImportedResult
from scoring.services.import_rows import ImportRefused, file_bytes, file_name
from scoring.services.score_changes import AssessmentError
from units.access import may_import_results
from units.models import Unit
from units.numbers import localized


@dataclass(frozen=True)
class ImportedTable:
    year: int
    rows: int
    replaced: int  # rows of the same year stored before, now gone


@transaction.atomic
def published_table_import(*, year: int, file: bytes | BinaryIO, actor) -> ImportedTable:
    """Replace the stored published table of `year` with the file's rows, or refuse it whole.

    For a year the portal did not publish itself: a province starting on the portal
    brings in last year's decision so that this year's results compare with it. The
    units must exist in the portal (each row is ranked in its unit's block); within a
    block the ranks must agree with the indexes and come from one decision. A table may
    hold part of a block: pages and the summary then say how much they compare.
    """
    if not may_import_results(actor):
        raise AssessmentError(_("Only Interior Department staff import published tables."))
    read = read_published_table(file_bytes(file), year=year, name=file_name(file))
    problems = list(read.problems)
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is not None and campaign.status == Campaign.Status.PUBLISHED:
        problems.append(
            file_problem(
                _(
                    "The portal published the %(year)s index itself: its own decision is "
                    "that year's table, and an imported one would never be used."
                )
                % {"year": year}
            )
        )
    units = _units(read, year, problems)
    _check_blocks(read, units, problems)
    if problems:
        raise ImportRefused(read.ordered(problems))

    # Locking the year's rows makes a concurrent import of the same year wait here.
    stored = ImportedResult.objects.select_for_update().filter(year=year)
    replaced = len(list(stored.values_list("pk", flat=True)))
    stored.delete()
    now = timezone.now()
    ImportedResult.objects.bulk_create(
        [
            ImportedResult(
                year=year,
                unit=units[row.row],
                block_id=units[row.row].block_id,
                unit_name=units[row.row].name,
                index=row.index,
                rank=row.rank,
                tier=row.tier,
                decision_number=row.decision_number,
                decision_date=row.decision_date,
                imported_at=now,
                imported_by=actor if getattr(actor, "pk", None) else None,
            )
            for row in read.rows
        ],
        batch_size=500,
    )
    return ImportedTable(year=year, rows=len(read.rows), replaced=replaced)


def _units(read: PublishedTableFile, year: int, problems: list[ImportProblem]) -> dict[int, Unit]:
    """Row number → its unit (one query); an unknown or inactive unit is a problem."""
    wanted = {row.unit_code.lower() for row in read.rows}
    by_code = {
        unit.code.lower(): unit
        for unit in Unit.objects.annotate(code_lower=Lower("code")).filter(code_lower__in=wanted)
    }
    units = {}
    for row in read.rows:
        unit = by_code.get(row.unit_code.lower())
        if unit is None:
            message = _("there is no unit with the code “%(code)s”.") % {"code": row.unit_code}
        elif not unit.is_active_in(year):
            message = _("%(unit)s was not active in %(year)s.") % {"unit": unit.name, "year": year}
        else:
            units[row.row] = unit
            continue
        problems.append(read.problem(row.row, "unit_code", message))
    return units


def _check_blocks(
    read: PublishedTableFile, units: dict[int, Unit], problems: list[ImportProblem]
) -> None:
    """Within each block: one decision, and ranks that agree with the indexes.

    A better rank never has a lower index; a shared rank means an equal index (ranks
    compare unrounded values, so two indexes shown alike may still hold two ranks).
    """
    by_block: dict[int, list[TableRow]] = defaultdict(list)
    for row in read.rows:
        if row.row in units:
            by_block[units[row.row].block_id].append(row)
    for rows in by_block.values():
        first = rows[0]
        for row in rows[1:]:
            if (row.decision_number, row.decision_date) != (
                first.decision_number,
                first.decision_date,
            ):
                problems.append(
                    read.problem(
                        row.row,
                        "decision_number",
                        _(
                            "the units of one block are published by one decision: row "
                            "%(row)s of the same block gives %(number)s of %(date)s."
                        )
                        % {
                            "row": first.row,
                            "number": first.decision_number,
                            "date": f"{first.decision_date:%d/%m/%Y}",
                        },
                    )
                )
        ordered = sorted(rows, key=lambda r: (r.rank, -r.index, r.row))
        for better, row in zip(ordered, ordered[1:], strict=False):
            if row.rank == better.rank and row.index != better.index:
                message = _(
                    "rank %(rank)s is shared with row %(row)s, whose index is %(index)s: "
                    "a shared rank means an equal index."
                )
            elif row.index > better.index:
                message = _(
                    "rank %(rank)s has a higher index than row %(row)s (%(index)s), "
                    "which is ranked above it."
                )
            else:
                continue
            problems.append(
                read.problem(
                    row.row,
                    "rank",
                    message
                    % {"rank": row.rank, "row": better.row, "index": localized(better.index)},
                )
            )
