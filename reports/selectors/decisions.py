"""Published decisions: the list, one decision with its tables, a decision found by its digest."""

from dataclasses import dataclass

from django.db.models import QuerySet

from reports.models import Decision, PublishedResult
from reports.selectors.rows import AreaHeading, PublicRow, area_headings, area_points
from reports.selectors.statistics import cached_statistics, published_statistics, tier_names
from scoring.block_statistics import BlockStatistics


def decision_in_force(year: int) -> Decision | None:
    """The published, not superseded decision of a year's campaign (one query)."""
    return (
        Decision.objects.in_force()
        .filter(campaign__year=year)
        .select_related("campaign")
        .order_by("-published_at", "-pk")
        .first()
    )


def decision_list() -> QuerySet[Decision]:
    """Published decisions, newest first, with what supersedes them (one query)."""
    return (
        Decision.objects.published()
        .select_related("campaign", "superseded_by", "supersedes")
        .order_by("-signed_on", "-pk")
    )


@dataclass(frozen=True)
class RowChange:
    """A unit whose index, rank or tier differs between a decision and the one it corrects."""

    unit_name: str
    block_name: str
    before: PublishedResult | None
    after: PublishedResult | None


@dataclass(frozen=True)
class BlockTable:
    code: str
    name: str
    areas: list[AreaHeading]
    rows: list[PublicRow]
    statistics: BlockStatistics | None = None


@dataclass(frozen=True)
class DecisionDetail:
    decision: Decision
    blocks: list[BlockTable]
    changes: list[RowChange]

    @property
    def in_force(self) -> bool:
        return self.decision.published_successor is None


def _blocks_of(decision: Decision, rows: list[PublishedResult]) -> list[BlockTable]:
    grouped: dict[str, list[PublishedResult]] = {}
    for row in rows:
        grouped.setdefault(row.block_code, []).append(row)
    tables = []
    tiers = None  # read once, and only if some block's statistics are not kept yet
    for code, block_rows in grouped.items():
        headings = area_headings(block_rows)
        statistics = cached_statistics(decision, code)
        if statistics is None:
            tiers = tier_names(decision.campaign_id) if tiers is None else tiers
            statistics = published_statistics(decision, code, rows=block_rows, tiers=tiers)
        tables.append(
            BlockTable(
                code=code,
                name=block_rows[0].block_name,
                areas=headings,
                rows=[PublicRow(row, area_points(row, headings)) for row in block_rows],
                statistics=statistics,
            )
        )
    return tables


def decision_detail(pk: int) -> DecisionDetail | None:
    """A published decision, its appendix rows with each block's statistics, and what it
    changed (at most four queries, and the campaign's tier names the first time)."""
    decision = (
        Decision.objects.published()
        .select_related("campaign", "supersedes", "superseded_by")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        return None
    rows = list(decision.rows.select_related("unit").order_by("block_position", "position", "pk"))
    changes: list[RowChange] = []
    if decision.supersedes_id:
        earlier = {
            row.unit_id: row
            for row in PublishedResult.objects.filter(decision_id=decision.supersedes_id)
        }
        for row in rows:
            before = earlier.pop(row.unit_id, None)
            if before is None or (before.index, before.rank, before.tier) != (
                row.index,
                row.rank,
                row.tier,
            ):
                changes.append(RowChange(row.unit_name, row.block_name, before, row))
        for before in sorted(earlier.values(), key=lambda r: (r.block_position, r.position)):
            changes.append(RowChange(before.unit_name, before.block_name, before, None))
    return DecisionDetail(decision=decision, blocks=_blocks_of(decision, rows), changes=changes)


def decision_by_digest(digest: str) -> Decision | None:
    """The published decision whose stored PDF has this SHA-256 (one query)."""
    return (
        Decision.objects.published()
        .filter(pdf_sha256=digest.lower())
        .select_related("campaign", "superseded_by")
        .first()
    )
