"""A block's stored results: the staff table, its sorting, and who rose or fell on last year.

Result rows are written by scoring.services.results; everything here reads them in a
fixed number of queries whatever the number of units."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring import calculations as calc
from scoring.block_statistics import BlockStatistics, UnitFigures, block_statistics
from scoring.calculations import ZERO
from scoring.models import (
    Campaign,
    CampaignBlock,
    Result,
    code_sort_key,
)
from scoring.selectors.campaigns import block_tiers
from scoring.selectors.previous_year import (
    BlockCoverage,
    PreviousYear,
    previous_table,
    previous_year_of,
)
from scoring.selectors.weak_leaves import WeakLeaf, framework_weak_leaves
from units.models import Block, Unit


@dataclass(frozen=True)
class ResultRow:
    """One unit's stored result with its changes on last year, for tables and summaries."""

    result: Result
    # Points per area, in the order of the page's area columns (None: no such area).
    area_points: tuple[Decimal | None, ...] = ()

    @property
    def unit(self) -> Unit:
        return self.result.unit

    @property
    def index_change(self) -> Decimal | None:
        return self.result.index_change

    @property
    def rank_change(self) -> int | None:
        return self.result.rank_change

    @property
    def direction(self) -> str:
        """ "improved", "declined", "unchanged" or "new", by the index change as shown.

        The change is rounded as the page shows it, so a unit whose change reads
        0,00 is counted as unchanged rather than as improved by an invisible amount.
        """
        change = self.index_change
        if change is None:
            return "new"
        shown = calc.display_round(change)
        if shown > 0:
            return "improved"
        if shown < 0:
            return "declined"
        return "unchanged"


@dataclass(frozen=True)
class BlockChanges:
    improved: int
    declined: int
    unchanged: int
    new: int  # units with no value last year: counted apart
    risers: list[ResultRow]  # the biggest index gains, largest first
    fallers: list[ResultRow]  # the biggest index losses, largest first
    rank_risers: list[ResultRow]
    rank_fallers: list[ResultRow]

    @property
    def compared(self) -> int:
        return self.improved + self.declined + self.unchanged


def block_result_rows(campaign: Campaign, block: Block) -> list[Result]:
    return list(Result.objects.for_block(campaign, block).select_related("unit"))


def changes_of(rows: Sequence[ResultRow], *, top: int = 3) -> BlockChanges:
    """The improved / declined / unchanged counts and the biggest movers of some rows."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.direction] += 1

    def biggest(candidates: list[ResultRow], key, sign: int) -> list[ResultRow]:
        # Ties are broken by this year's rank, then name, so the list is stable.
        chosen = sorted(
            candidates, key=lambda row: (-sign * key(row), row.result.rank, row.unit.search_text)
        )
        return chosen[:top]

    def index_change(row: ResultRow) -> Decimal:
        return row.index_change

    def rank_change(row: ResultRow) -> int:
        return row.rank_change

    # Movers by index are those counted as improved or declined, so a change that
    # reads 0,00 is never listed among the risers.
    return BlockChanges(
        improved=counts["improved"],
        declined=counts["declined"],
        unchanged=counts["unchanged"],
        new=counts["new"],
        risers=biggest([r for r in rows if r.direction == "improved"], index_change, 1),
        fallers=biggest([r for r in rows if r.direction == "declined"], index_change, -1),
        rank_risers=biggest([r for r in rows if (r.rank_change or 0) > 0], rank_change, 1),
        rank_fallers=biggest([r for r in rows if (r.rank_change or 0) < 0], rank_change, -1),
    )


def block_changes(*, campaign: Campaign, block: Block, top: int = 3) -> BlockChanges:
    """How a block's units moved on last year's index and rank (one query)."""
    rows = [ResultRow(result) for result in block_result_rows(campaign, block)]
    return changes_of(rows, top=top)


# Each sortable column and the order it sorts in first, as aria-sort names it:
# the ranking and names from the top, indexes and rank changes best first.
SORTS = {"rank": "ascending", "name": "ascending", "index": "descending", "change": "descending"}

WEAK_LEAVES_SHOWN = 10


@dataclass(frozen=True)
class SortLink:
    query: str  # the query string of the column's header link
    aria_sort: str | None  # "ascending" or "descending" on the sorted column, else None


@dataclass(frozen=True)
class AreaHeading:
    code: str
    title: str


@dataclass(frozen=True)
class PreviousSource:
    """Where a block's last-year figures come from, and how much of the block they cover."""

    year: PreviousYear
    coverage: BlockCoverage | None  # None: the source has nothing of this block


@dataclass(frozen=True)
class BlockResults:
    campaign_block: CampaignBlock
    areas: list[AreaHeading]
    rows: list[ResultRow]  # in the order asked for
    changes: BlockChanges
    weak_leaves: list["WeakLeaf"]  # the first WEAK_LEAVES_SHOWN
    weak_leaf_count: int
    sort: str
    reversed: bool
    statistics: BlockStatistics | None = None
    previous: PreviousSource | None = None

    @property
    def sort_links(self) -> dict[str, SortLink]:
        """Per column: a link sorting by it, or reversing it when it is the current sort."""
        flipped = {"ascending": "descending", "descending": "ascending"}
        links = {}
        for key, natural in SORTS.items():
            if key != self.sort:
                links[key] = SortLink(f"?sort={key}", None)
            elif self.reversed:
                links[key] = SortLink(f"?sort={key}", flipped[natural])
            else:
                links[key] = SortLink(f"?sort=-{key}", natural)
        return links

    @property
    def computed_at(self):
        return max((row.result.computed_at for row in self.rows), default=None)

    @property
    def preview_count(self) -> int:
        """Units whose result counts self-assessed or not yet final points."""
        return sum(1 for row in self.rows if not row.result.is_final)

    @property
    def is_final(self) -> bool:
        return bool(self.rows) and self.preview_count == 0

    # The published appendix has no column for adjustments (DOMAIN.md); the page
    # shows deductions and bonus points only where some unit has them.
    @property
    def has_deductions(self) -> bool:
        return any(row.result.deductions for row in self.rows)

    @property
    def has_bonus(self) -> bool:
        return any(row.result.bonus for row in self.rows)


def parse_sort(value: str | None) -> tuple[str, bool]:
    """("index", True) from "-index"; an unknown key falls back to the ranking."""
    value = (value or "").strip()
    reverse = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTS:
        return "rank", False
    return key, reverse


def _sorted_rows(rows: list[ResultRow], key: str, reverse: bool) -> list[ResultRow]:
    """Rows in a column's natural order (best first for numbers, A–Z for names).

    `reverse` flips that order; units without last year's values stay last either way.
    """

    def tiebreak(row: ResultRow) -> tuple:
        return (row.result.rank, row.unit.search_text)

    if key == "name":
        ordered = sorted(rows, key=lambda row: (row.unit.search_text, row.result.rank))
        return ordered[::-1] if reverse else ordered
    if key == "index":
        ordered = sorted(rows, key=lambda row: (-row.result.index, *tiebreak(row)))
        return ordered[::-1] if reverse else ordered
    if key == "change":
        known = [row for row in rows if row.rank_change is not None]
        unknown = [row for row in rows if row.rank_change is None]
        known.sort(key=lambda row: (-row.rank_change, -(row.index_change or ZERO), *tiebreak(row)))
        return (known[::-1] if reverse else known) + sorted(unknown, key=tiebreak)
    ordered = sorted(rows, key=tiebreak)
    return ordered[::-1] if reverse else ordered


def result_figures(result: Result) -> UnitFigures:
    """A computed result as the block statistics take it: areas without their survey part,
    as the tables show them (survey points are a column of their own)."""
    return UnitFigures(
        index=result.index,
        tier=result.tier,
        total=result.total,
        survey_points=result.survey_points,
        areas=[
            calc.AreaTotal(
                area["code"],
                Decimal(area["points"]) - Decimal(area.get("survey_points", "0")),
                Decimal(area["max"]) - Decimal(area.get("survey_max", "0")),
            )
            for area in result.areas
        ],
    )


def results_statistics(results: Sequence[Result], tier_names: Sequence[str]) -> BlockStatistics:
    titles = {area["code"]: area["title"] for result in results for area in result.areas}
    return block_statistics(
        (result_figures(result) for result in results), tier_names=tier_names, area_titles=titles
    )


def previous_source(campaign: Campaign, block: Block) -> PreviousSource | None:
    """Where the campaign's last-year figures come from, for one block (four queries at most)."""
    previous = previous_year_of(campaign)
    if previous is None:
        return None
    table = previous_table(previous, block_ids=[block.pk])
    return PreviousSource(previous, table.blocks.get(block.pk))


def block_results(*, campaign_block: CampaignBlock, sort: str | None = None) -> BlockResults:
    """A block's results table, its statistics, its changes on last year and its weak leaves.

    The Result rows are read once and serve the table, the statistics and the summary.
    """
    campaign, block = campaign_block.campaign, campaign_block.block
    results = block_result_rows(campaign, block)
    headings: dict[str, AreaHeading] = {}
    for result in results:
        for area in result.areas:
            headings.setdefault(area["code"], AreaHeading(area["code"], area["title"]))
    areas = sorted(headings.values(), key=lambda a: code_sort_key(a.code))
    rows = []
    for result in results:
        by_code = result.area_scored_points()
        rows.append(ResultRow(result, tuple(by_code.get(a.code) for a in areas)))
    key, reverse = parse_sort(sort)
    weak = framework_weak_leaves(campaign, campaign_block.framework_id) if results else []
    return BlockResults(
        campaign_block=campaign_block,
        areas=areas,
        rows=_sorted_rows(rows, key, reverse),
        changes=changes_of(rows),
        weak_leaves=weak[:WEAK_LEAVES_SHOWN],
        weak_leaf_count=len(weak),
        sort=key,
        reversed=reverse,
        statistics=results_statistics(
            results,
            [tier.name for tier in block_tiers(campaign.pk, block_id=block.pk).get(block.pk, [])],
        )
        if results
        else None,
        previous=previous_source(campaign, block) if results else None,
    )
