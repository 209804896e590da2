"""Last year's ranks and indexes, and where they come from.

The year before a campaign is the latest earlier year the portal knows: a campaign of
its own, or a published table imported from a workbook (ImportedResult). Its values
come, most authoritative first, from

- the portal's own campaign of that year once published (its results are what the
  decision froze);
- else the imported table of that year: the published ranks and indexes, however many
  of the block's units it holds;
- else the portal's own campaign, computed but not published: a preview. Its ranks
  count only where the block is whole (every unit active that year assessed and
  final): ranks among part of a block are not the places the block published, and a
  unit 3rd of 5 units loaded must not read as "fell 16 places" when it fell 2.

Each block says how much of it the source covers (covers_block), so that the written
summary makes no claim about places against part of a block (reports.summary).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from scoring.block_statistics import is_complete_ranking
from scoring.models import Campaign, ImportedResult, Result
from units.models import Unit

PUBLISHED = "published"
IMPORTED = "imported"
COMPUTED = "computed"


@dataclass(frozen=True)
class PreviousYear:
    year: int
    kind: str  # PUBLISHED, IMPORTED or COMPUTED
    campaign: Campaign | None  # the portal's campaign of that year, if it ran one


@dataclass(frozen=True)
class PreviousValue:
    rank: int | None
    index: Decimal


@dataclass(frozen=True)
class BlockCoverage:
    """How much of a block last year's source holds."""

    rows: int
    complete: bool  # the whole block as ranked that year
    decisions: tuple[str, ...] = ()  # an imported table's decision numbers


@dataclass(frozen=True)
class PreviousTable:
    source: PreviousYear
    values: dict[int, PreviousValue] = field(default_factory=dict)  # by unit
    blocks: dict[int, BlockCoverage] = field(default_factory=dict)  # by block id


def previous_year_of(campaign: Campaign) -> PreviousYear | None:
    """The year a campaign compares with, and its source (two queries)."""
    earlier = Campaign.objects.filter(year__lt=campaign.year).order_by("-year").first()
    imported = (
        ImportedResult.objects.filter(year__lt=campaign.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if earlier is None and imported is None:
        return None
    if earlier is not None and (imported is None or earlier.year >= imported):
        if earlier.status == Campaign.Status.PUBLISHED or imported != earlier.year:
            kind = PUBLISHED if earlier.status == Campaign.Status.PUBLISHED else COMPUTED
            return PreviousYear(earlier.year, kind, earlier)
        return PreviousYear(earlier.year, IMPORTED, earlier)
    return PreviousYear(imported, IMPORTED, None)


def previous_table(source: PreviousYear, *, block_ids: list[int] | None = None) -> PreviousTable:
    """Every unit's previous rank and index, and each block's coverage (two queries at most).

    `block_ids` limits the table to some blocks (a page showing one block).
    """
    if source.kind == IMPORTED:
        return _imported_table(source, block_ids)
    results = Result.objects.filter(campaign=source.campaign)
    if block_ids is not None:
        results = results.filter(block_id__in=block_ids)
    rows = list(results.values_list("unit_id", "block_id", "rank", "index", "is_final"))
    by_block: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_block[row[1]].append(row)
    if source.kind == PUBLISHED:
        whole = set(by_block)
    else:
        whole = _whole_blocks(source, by_block)
    values = {
        unit_id: PreviousValue(rank if block_id in whole else None, index)
        for unit_id, block_id, rank, index, is_final in rows
        if block_id in whole or is_final
    }
    blocks = {
        block_id: BlockCoverage(rows=len(block_rows), complete=block_id in whole)
        for block_id, block_rows in by_block.items()
    }
    return PreviousTable(source=source, values=values, blocks=blocks)


def active_units(year: int, block_ids: list[int]) -> dict[int, int]:
    """block → how many of its units the portal knows as active in `year` (one query)."""
    return dict(
        Unit.objects.active_in(year)
        .filter(block_id__in=block_ids)
        .values_list("block_id")
        .order_by()
        .annotate(count=Count("pk"))
    )


def covers_block(ranks: list[int], active: int) -> bool:
    """Whether a table's ranks of a block are the whole block as ranked that year.

    Gaps in the ranks (1, 5, 9) show rows missing; fewer rows than the block's units
    active that year show a table cut short (its first four rows only, say). A unit new
    this year whose `active from` is not set counts as active before: the block then
    reads as partly covered, and only indexes are compared, which says less, never
    something false.
    """
    return is_complete_ranking(ranks) and len(ranks) >= active


def _whole_blocks(source: PreviousYear, by_block: dict[int, list[tuple]]) -> set[int]:
    """Blocks of an unpublished campaign whose every active unit has a final result."""
    active = active_units(source.year, list(by_block))
    return {
        block_id
        for block_id, rows in by_block.items()
        if len(rows) >= active.get(block_id, 0) and all(row[4] for row in rows)
    }


def _imported_table(source: PreviousYear, block_ids: list[int] | None) -> PreviousTable:
    imported = ImportedResult.objects.filter(year=source.year)
    if block_ids is not None:
        imported = imported.filter(block_id__in=block_ids)
    rows = list(imported.values_list("unit_id", "block_id", "rank", "index", "decision_number"))
    ranks: dict[int, list[int]] = defaultdict(list)
    decisions: dict[int, set[str]] = defaultdict(set)
    for _unit_id, block_id, rank, _index, number in rows:
        ranks[block_id].append(rank)
        decisions[block_id].add(number)
    active = active_units(source.year, list(ranks))
    return PreviousTable(
        source=source,
        values={unit_id: PreviousValue(rank, index) for unit_id, _b, rank, index, _n in rows},
        blocks={
            block_id: BlockCoverage(
                rows=len(block_ranks),
                complete=covers_block(block_ranks, active.get(block_id, 0)),
                decisions=tuple(sorted(decisions[block_id])),
            )
            for block_id, block_ranks in ranks.items()
        },
    )


@dataclass(frozen=True)
class ImportedBlock:
    """One block's part of an imported year, as the staff page lists it."""

    year: int
    block_name: str
    rows: int
    complete: bool
    decisions: tuple[str, ...]
    imported_at: object


def imported_blocks() -> list[ImportedBlock]:
    """Every imported year's blocks, newest year first (two queries: the rows' ranks, and
    every unit's block and active years, to count each block's units of each year)."""
    grouped: dict[tuple[int, int], dict] = {}
    for year, block_id, name, rank, number, signed_on, at in ImportedResult.objects.order_by(
        "-year", "block__position", "block__code"
    ).values_list(
        "year",
        "block_id",
        "block__name",
        "rank",
        "decision_number",
        "decision_date",
        "imported_at",
    ):
        group = grouped.setdefault(
            (year, block_id), {"name": name, "ranks": [], "decisions": set(), "at": at}
        )
        group["ranks"].append(rank)
        group["decisions"].add(f"{number} ({signed_on:%d/%m/%Y})")
    if not grouped:
        return []
    units = list(Unit.objects.values_list("block_id", "active_from", "active_to").order_by())

    def active(year: int, block_id: int) -> int:
        return sum(
            1
            for unit_block, start, end in units
            if unit_block == block_id
            and (start is None or start <= year)
            and (end is None or end >= year)
        )

    return [
        ImportedBlock(
            year=year,
            block_name=group["name"],
            rows=len(group["ranks"]),
            complete=covers_block(group["ranks"], active(year, block_id)),
            decisions=tuple(sorted(group["decisions"])),
            imported_at=group["at"],
        )
        for (year, block_id), group in grouped.items()
    ]
