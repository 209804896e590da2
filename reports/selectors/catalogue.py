"""What has been published: the tables, the years and blocks, the home page's latest results."""

from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch

from reports.models import Decision, PublishedResult
from scoring.models import Campaign, CampaignBlock

HOME_TOP = 5


@dataclass(frozen=True)
class PublishedTable:
    year: int
    block_code: str
    block_name: str
    rows: int
    decision: Decision


def published_tables() -> list[PublishedTable]:
    """Every block table of every decision in force, newest year first (two queries)."""
    decisions = {
        decision.pk: decision for decision in Decision.objects.in_force().select_related("campaign")
    }
    counts = (
        PublishedResult.objects.filter(decision_id__in=decisions)
        .order_by()
        .values("decision_id", "block_code", "block_name")
        .annotate(rows=Count("pk"), block_position=Min("block_position"))
    )
    tables = [
        PublishedTable(
            year=decisions[c["decision_id"]].campaign.year,
            block_code=c["block_code"],
            block_name=c["block_name"],
            rows=c["rows"],
            decision=decisions[c["decision_id"]],
        )
        for c in counts
    ]
    positions = {(c["decision_id"], c["block_code"]): c["block_position"] for c in counts}
    return sorted(
        tables,
        key=lambda t: (-t.year, positions[t.decision.pk, t.block_code], t.block_code),
    )


@dataclass(frozen=True)
class TableNavigation:
    """Where a reader can go from one block's table: its other years, the year's other
    blocks, and the year before to compare with."""

    year: int
    block_code: str
    years: list[int]  # years with a table of this block, newest first
    blocks: list[PublishedTable]  # this year's tables, in block order

    @property
    def previous_year(self) -> int | None:
        earlier = [year for year in self.years if year < self.year]
        return earlier[0] if earlier else None


def table_navigation(
    *, year: int, block_code: str, tables: list[PublishedTable] | None = None
) -> TableNavigation:
    """The years and blocks around one table (two queries, none when `tables` is given)."""
    tables = published_tables() if tables is None else tables
    return TableNavigation(
        year=year,
        block_code=block_code,
        years=[t.year for t in tables if t.block_code == block_code],
        blocks=[t for t in tables if t.year == year],
    )


@dataclass(frozen=True)
class PublishedYear:
    year: int
    tables: list[PublishedTable]


def published_years(tables: list[PublishedTable] | None = None) -> list[PublishedYear]:
    """Every published year with its block tables, newest first (two queries)."""
    tables = published_tables() if tables is None else tables
    years: dict[int, list[PublishedTable]] = {}
    for table in tables:
        years.setdefault(table.year, []).append(table)
    return [PublishedYear(year, year_tables) for year, year_tables in years.items()]


def published_campaigns() -> list[Campaign]:
    """Campaigns with a decision in force, newest first, with their blocks and tiers (4 queries)."""
    return list(
        Campaign.objects.filter(decisions__in=Decision.objects.in_force())
        .distinct()
        .order_by("-year")
        .prefetch_related(
            Prefetch(
                "blocks",
                queryset=CampaignBlock.objects.select_related(
                    "block", "framework"
                ).prefetch_related("tiers"),
            ),
            "survey_answers",
        )
    )


def published_campaign_block(*, year: int, block_code: str) -> CampaignBlock | None:
    """A block of a published campaign, with its framework and tiers (two queries)."""
    campaign_block = (
        CampaignBlock.objects.select_related("campaign", "block", "framework")
        .prefetch_related("tiers", "campaign__survey_answers")
        .filter(
            campaign__year=year,
            block__code=block_code,
            campaign__decisions__in=Decision.objects.in_force(),
        )
        .first()
    )
    return campaign_block


@dataclass(frozen=True)
class HomeBlock:
    code: str
    name: str
    rows: list[PublishedResult]


@dataclass(frozen=True)
class LatestResults:
    decision: Decision
    year: int
    blocks: list[HomeBlock]

    @property
    def summary_lead(self) -> str:
        """The first paragraph of the written summary."""
        paragraphs = [p.strip() for p in self.decision.summary.split("\n\n") if p.strip()]
        return paragraphs[0] if paragraphs else ""


def latest_results(top: int = HOME_TOP) -> LatestResults | None:
    """The newest year's decision in force and each block's first ranks (two queries)."""
    decision = (
        Decision.objects.in_force()
        .select_related("campaign")
        .order_by("-campaign__year", "-published_at", "-pk")
        .first()
    )
    if decision is None:
        return None
    blocks: dict[str, HomeBlock] = {}
    for row in (
        decision.rows.filter(rank__lte=top)
        .select_related("unit")
        .order_by("block_position", "block_code", "rank", "position")
    ):
        block = blocks.setdefault(row.block_code, HomeBlock(row.block_code, row.block_name, []))
        block.rows.append(row)
    return LatestResults(
        decision=decision, year=decision.campaign.year, blocks=list(blocks.values())
    )
