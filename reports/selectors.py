"""Reads of published results for the public pages: decisions in force and their frozen rows.

Public pages read PublishedResult rows only, never live scores (the one exception,
the per-leaf trail of a unit page, reads the Score rows of assessments in state
PUBLISHED). Every function here runs a fixed number of queries whatever the number
of units; what is per row is done in Python over rows already fetched.
"""

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from time import monotonic

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Case, Count, F, Max, Min, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict

from reports import charts
from reports.models import Decision, PublishedResult
from scoring import calculations as calc
from scoring.analysis import SORTS, SortLink, parse_sort
from scoring.models import Assessment, Campaign, CampaignBlock, Score, code_sort_key
from units.models import Unit

ZERO = Decimal("0")
HOME_TOP = 5


# How long a process keeps the latest publication time it read before reading it again.
# A decision published by another process (another gunicorn worker, the publish_decision
# command) shows on this process's public pages at most this many seconds later; the
# publishing process itself forgets it at once (forget_latest_published_at).
LATEST_PUBLISHED_MEMO_SECONDS = 2.0


class _LatestPublishedMemo:
    """The latest publication time as this process last read it, and until when it holds.

    Public pages ask for it on every request; reading it from the database costs more
    than the rest of a cached page (an ORM aggregate, and a connection health check on
    PostgreSQL). A forget() that races with a read in another thread wins: the read
    does not store the value it fetched before the forget.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[float, datetime | None] | None = None  # (valid until, value)
        self._generation = 0

    def get(self, read: Callable[[], datetime | None]) -> datetime | None:
        held = self._held
        if held is not None and monotonic() < held[0]:
            return held[1]
        generation = self._generation
        value = read()
        with self._lock:
            if generation == self._generation:
                self._held = (monotonic() + LATEST_PUBLISHED_MEMO_SECONDS, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._held = None


_latest_published = _LatestPublishedMemo()


def latest_published_at() -> datetime | None:
    """When the newest decision was published: the version of every public page.

    Published rows never change; only a new publication (possibly superseding an
    older one) changes what a public page shows, so this one timestamp serves as
    ETag and Last-Modified for all of them. One query at most every
    LATEST_PUBLISHED_MEMO_SECONDS per process; none in between.
    """
    return _latest_published.get(_read_latest_published_at)


def forget_latest_published_at() -> None:
    """Read the latest publication from the database on the next request of this process.

    For the publication service, once its transaction has committed
    (transaction.on_commit), and for tests that publish between two page reads.
    """
    _latest_published.forget()


def _read_latest_published_at() -> datetime | None:
    return Decision.objects.published().aggregate(latest=Max("published_at"))["latest"]


def decision_in_force(year: int) -> Decision | None:
    """The published, not superseded decision of a year's campaign (one query)."""
    return (
        Decision.objects.in_force()
        .filter(campaign__year=year)
        .select_related("campaign")
        .order_by("-published_at", "-pk")
        .first()
    )


# ---------------------------------------------------------------------------
# Rows as the tables show them


@dataclass(frozen=True)
class AreaValue:
    code: str
    title: str
    points: Decimal
    max_points: Decimal

    @property
    def index(self) -> Decimal:
        return calc.index_percent(self.points, self.max_points)


@dataclass(frozen=True)
class PublicRow:
    """A frozen row with what pages derive from it: per-area points, changes on last year."""

    row: PublishedResult
    area_points: tuple[Decimal | None, ...] = ()

    def __getattr__(self, name: str):
        # The template reads the frozen fields (rank, index, tier...) through the wrapper.
        return getattr(self.row, name)

    @property
    def unit_code(self) -> str:
        # The unit's current code (for links), not the code frozen on the row.
        return self.row.unit.code


@dataclass(frozen=True)
class AreaHeading:
    code: str
    title: str


def area_headings(rows: Iterable[PublishedResult]) -> list[AreaHeading]:
    titles: dict[str, str] = {}
    for row in rows:
        for area in row.areas:
            titles.setdefault(area["code"], area["title"])
    return [AreaHeading(code, titles[code]) for code in sorted(titles, key=code_sort_key)]


def _area_points(row: PublishedResult, headings: list[AreaHeading]) -> tuple:
    by_code = {area["code"]: area for area in row.areas}
    return tuple(
        Decimal(by_code[h.code]["points"]) if h.code in by_code else None for h in headings
    )


def _block_rows(decision: Decision, block_code: str) -> QuerySet[PublishedResult]:
    return (
        PublishedResult.objects.filter(decision=decision, block_code=block_code)
        .select_related("unit")
        .order_by("position", "pk")
    )


# ---------------------------------------------------------------------------
# Ranking of a year and block


# Rows a ranking page shows: the whole table is in the open data downloads.
RANKING_PAGE_SIZE = 100


@dataclass(frozen=True)
class Ranking:
    decision: Decision
    year: int
    block_code: str
    block_name: str
    areas: list[AreaHeading]
    rows: list[PublicRow]  # one page of the rows, sorted and filtered as asked
    total: int  # rows of the block, before the tier filter
    shown: int  # rows after the tier filter, on every page
    tiers: list[str]
    tier: str
    sort: str
    reversed: bool
    page_obj: Page  # of range(shown): numbers for the pagination links
    has_deductions: bool  # among the rows shown (every page), so columns stay put
    has_bonus: bool

    def _query(self, sort: str) -> str:
        # A new sort starts again at page 1.
        query = f"?sort={sort}"
        return f"{query}&tier={self.tier}" if self.tier else query

    @property
    def page_query(self) -> QueryDict:
        """What the pagination links keep: the sort (always, so never empty) and the tier."""
        query = QueryDict(mutable=True)
        query["sort"] = f"{'-' if self.reversed else ''}{self.sort}"
        if self.tier:
            query["tier"] = self.tier
        return query

    @property
    def sort_links(self) -> dict[str, SortLink]:
        flipped = {"ascending": "descending", "descending": "ascending"}
        links = {}
        for key, natural in SORTS.items():
            if key != self.sort:
                links[key] = SortLink(self._query(key), None)
            elif self.reversed:
                links[key] = SortLink(self._query(key), flipped[natural])
            else:
                links[key] = SortLink(self._query(f"-{key}"), natural)
        return links


def _ordering(key: str, reverse: bool) -> list:
    """A column's natural order (ranks and names from the top, indexes best first), in SQL.

    `reverse` flips it; units without last year's rank stay last, in rank order, either way.
    """
    if key == "change":
        unknown = Q(previous_rank__isnull=True)
        sign = -1 if reverse else 1
        terms = [
            Case(When(unknown, then=Value(1)), default=Value(0)).asc(),
            (F("previous_rank") - F("rank")).asc()
            if reverse
            else (F("previous_rank") - F("rank")).desc(),
        ]
        index_change = Coalesce(F("index") - F("previous_index"), Value(ZERO))
        terms.append(index_change.asc() if reverse else index_change.desc())
        for name in ("rank", "position", "pk"):
            terms.append(Case(When(unknown, then=F(name)), default=F(name) * sign).asc())
        return terms
    columns = {"name": ["unit__search_text"], "index": ["-index"]}.get(key, [])
    columns += ["rank", "position", "pk"]
    if reverse:
        columns = [c[1:] if c.startswith("-") else f"-{c}" for c in columns]
    return columns


def ranking(
    *,
    year: int,
    block_code: str,
    sort: str | None = None,
    tier: str | None = None,
    page: int = 1,
) -> Ranking | None:
    """One page of a block's published ranking of a year, from the decision in force.

    Three queries whatever the size of the block: the decision, one summary of the
    block grouped by tier (counts, best rank, deductions, bonus), and the page's rows,
    sorted and sliced by the database. None if there is no such table or page.
    """
    decision = decision_in_force(year)
    if decision is None:
        return None
    block = PublishedResult.objects.filter(decision=decision, block_code=block_code)
    groups = list(
        block.order_by()
        .values("tier")
        .annotate(
            count=Count("pk"),
            best=Min("rank"),
            deductions=Max("deductions"),
            bonus=Max("bonus"),
        )
    )
    if not groups:
        return None
    # Tiers in the order of the best rank holding them (Tốt before Khá).
    tiers = [g["tier"] for g in sorted(groups, key=lambda g: g["best"]) if g["tier"]]
    tier = tier if tier in tiers else ""
    shown = [g for g in groups if g["tier"] == tier] if tier else groups
    count = sum(g["count"] for g in shown)
    try:
        page_obj = Paginator(range(count), RANKING_PAGE_SIZE).page(page)
    except InvalidPage:
        return None
    key, reverse = parse_sort(sort)
    rows = block.filter(tier=tier) if tier else block
    first = page_obj.start_index() - 1
    rows = list(
        rows.select_related("unit").order_by(*_ordering(key, reverse))[
            first : first + RANKING_PAGE_SIZE
        ]
    )
    # Every row of a block has the areas of the block's framework: the page's rows
    # give the same headings as the whole block.
    headings = area_headings(rows)
    return Ranking(
        decision=decision,
        year=year,
        block_code=block_code,
        block_name=rows[0].block_name,
        areas=headings,
        rows=[PublicRow(row, _area_points(row, headings)) for row in rows],
        total=sum(g["count"] for g in groups),
        shown=count,
        tiers=tiers,
        tier=tier,
        sort=key,
        reversed=reverse,
        page_obj=page_obj,
        has_deductions=any(g["deductions"] for g in shown),
        has_bonus=any(g["bonus"] for g in shown),
    )


def table_rows(*, year: int, block_code: str) -> tuple[Decision, list[PublishedResult]] | None:
    """The decision in force and a block's rows in appendix order, for downloads (two queries)."""
    decision = decision_in_force(year)
    if decision is None:
        return None
    rows = list(_block_rows(decision, block_code))
    return (decision, rows) if rows else None


# ---------------------------------------------------------------------------
# A unit across the years, following its lineage


def _lineage(unit: Unit) -> tuple[list[int], dict[int, list[int]]]:
    """The unit and every unit it came from (any depth), from one query of the links."""
    links = Unit.predecessors.through.objects.values_list("from_unit_id", "to_unit_id")
    predecessors: dict[int, list[int]] = defaultdict(list)
    for successor_id, predecessor_id in links:
        predecessors[successor_id].append(predecessor_id)
    seen = [unit.pk]
    todo = [unit.pk]
    while todo:
        for predecessor_id in predecessors.get(todo.pop(), []):
            if predecessor_id not in seen:
                seen.append(predecessor_id)
                todo.append(predecessor_id)
    return seen, predecessors


@dataclass(frozen=True)
class TrailLeaf:
    code: str
    title: str
    max_points: Decimal
    not_applicable: bool
    self_points: Decimal | None
    appraised_points: Decimal | None
    final_points: Decimal | None

    @property
    def changed(self) -> bool:
        return self.final_points is not None and self.final_points != self.self_points


@dataclass(frozen=True)
class UnitYear:
    """One published year of the unit or of one of its predecessors."""

    row: PublishedResult
    is_self: bool  # the unit itself, not a predecessor
    trail: list[TrailLeaf] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.row.decision.campaign.year

    @property
    def rank_change(self) -> int | None:
        if self.row.previous_rank is None:
            return None
        return self.row.previous_rank - self.row.rank


@dataclass(frozen=True)
class BlockArea:
    code: str
    title: str
    index: Decimal
    block_average: Decimal | None
    block_best: Decimal | None


@dataclass(frozen=True)
class UnitProfile:
    unit: Unit
    predecessors: list[Unit]  # every unit of the lineage but this one
    successors: list[Unit]
    years: list[UnitYear]  # oldest first
    latest: UnitYear | None
    latest_areas: list[BlockArea]
    block_units: int
    history_chart: charts.ColumnChart

    @property
    def years_newest_first(self) -> list[UnitYear]:
        return self.years[::-1]


def unit_profile(code: str) -> UnitProfile | None:
    """A unit's published years with its predecessors' (six queries whatever the history).

    A merged unit shows each predecessor's own rows for the years before the merger,
    labelled with the predecessor's name: never a combined value (DOMAIN.md).
    """
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return None
    lineage, _links = _lineage(unit)
    related = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=lineage).order_by()
        | Unit.objects.filter(predecessors=unit).order_by()
    }
    rows = list(
        PublishedResult.objects.filter(
            unit_id__in=lineage,
            decision__status=Decision.Status.PUBLISHED,
        )
        .exclude(decision__superseded_by__status=Decision.Status.PUBLISHED)
        .select_related("decision__campaign")
        .order_by("decision__campaign__year", "block_position", "position")
    )
    trails = _trails(rows)
    years = [
        UnitYear(row=row, is_self=row.unit_id == unit.pk, trail=trails.get(row.pk, []))
        for row in rows
    ]
    own = [year for year in years if year.is_self]
    latest = own[-1] if own else None
    latest_areas, block_units = _block_areas(latest.row) if latest else ([], 0)
    return UnitProfile(
        unit=unit,
        predecessors=[related[pk] for pk in lineage[1:] if pk in related],
        successors=[u for pk, u in related.items() if pk not in lineage],
        years=years,
        latest=latest,
        latest_areas=latest_areas,
        block_units=block_units,
        history_chart=charts.index_columns(
            charts.ColumnValue(
                label=str(year.year),
                sublabel="" if year.is_self else year.row.unit_name,
                value=year.row.index,
            )
            for year in years
        ),
    )


def _trails(rows: list[PublishedResult]) -> dict[int, list[TrailLeaf]]:
    """Per published row: the leaves of its unit's published assessment (two queries)."""
    wanted = {(row.unit_id, row.decision.campaign_id): row.pk for row in rows}
    if not wanted:
        return {}
    assessments = {
        assessment_id: wanted[unit_id, campaign_id]
        for assessment_id, unit_id, campaign_id in Assessment.objects.filter(
            unit_id__in={unit_id for unit_id, _ in wanted},
            campaign_id__in={campaign_id for _, campaign_id in wanted},
            state=Assessment.State.PUBLISHED,
        ).values_list("pk", "unit_id", "campaign_id")
        if (unit_id, campaign_id) in wanted
    }
    trails: dict[int, list[TrailLeaf]] = defaultdict(list)
    if not assessments:
        return trails
    scores = (
        Score.objects.filter(assessment_id__in=assessments)
        .select_related("criterion")
        .order_by("assessment_id", "criterion__sort_key")
    )
    for score in scores:
        criterion = score.criterion
        trails[assessments[score.assessment_id]].append(
            TrailLeaf(
                code=criterion.code,
                title=criterion.title,
                max_points=criterion.max_points,
                not_applicable=score.not_applicable,
                self_points=score.self_points,
                appraised_points=score.appraised_points,
                final_points=score.final_points,
            )
        )
    return trails


def _block_areas(row: PublishedResult) -> tuple[list[BlockArea], int]:
    """The row's areas with the block's average and best index in the same decision (one query)."""
    block_areas = list(
        PublishedResult.objects.filter(decision_id=row.decision_id, block_code=row.block_code)
        .order_by()
        .values_list("areas", flat=True)
    )
    indexes: dict[str, list[Decimal]] = defaultdict(list)
    for areas in block_areas:
        for area in areas:
            indexes[area["code"]].append(_area(area).index)
    result = []
    for area in row.areas:
        values = indexes.get(area["code"], [])
        result.append(
            BlockArea(
                code=area["code"],
                title=area["title"],
                index=_area(area).index,
                block_average=calc.exact(sum(values, ZERO) / len(values)) if values else None,
                block_best=max(values) if values else None,
            )
        )
    return result, len(block_areas)


def _area(area: dict) -> AreaValue:
    return AreaValue(
        code=area["code"],
        title=area["title"],
        points=Decimal(str(area["points"])),
        max_points=Decimal(str(area["max"])),
    )


# ---------------------------------------------------------------------------
# Decisions


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


@dataclass(frozen=True)
class DecisionDetail:
    decision: Decision
    blocks: list[BlockTable]
    changes: list[RowChange]

    @property
    def in_force(self) -> bool:
        return self.decision.published_successor is None


def _blocks_of(rows: list[PublishedResult]) -> list[BlockTable]:
    grouped: dict[str, list[PublishedResult]] = {}
    for row in rows:
        grouped.setdefault(row.block_code, []).append(row)
    tables = []
    for code, block_rows in grouped.items():
        headings = area_headings(block_rows)
        tables.append(
            BlockTable(
                code=code,
                name=block_rows[0].block_name,
                areas=headings,
                rows=[PublicRow(row, _area_points(row, headings)) for row in block_rows],
            )
        )
    return tables


def decision_detail(pk: int) -> DecisionDetail | None:
    """A published decision, its appendix rows and what it changed (at most three queries)."""
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
    return DecisionDetail(decision=decision, blocks=_blocks_of(rows), changes=changes)


def decision_by_digest(digest: str) -> Decision | None:
    """The published decision whose stored PDF has this SHA-256 (one query)."""
    return (
        Decision.objects.published()
        .filter(pdf_sha256=digest.lower())
        .select_related("campaign", "superseded_by")
        .first()
    )


# ---------------------------------------------------------------------------
# Comparing two years


@dataclass(frozen=True)
class Movement:
    name_a: str
    name_b: str
    unit_code: str
    rank_a: int | None
    rank_b: int | None
    index_a: Decimal | None
    index_b: Decimal | None

    @property
    def change(self) -> int | None:
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b

    @property
    def index_change(self) -> Decimal | None:
        if self.index_a is None or self.index_b is None:
            return None
        return self.index_b - self.index_a


@dataclass(frozen=True)
class Comparison:
    year_a: int
    year_b: int
    block_code: str
    block_name: str
    decision_a: Decision
    decision_b: Decision
    movements: list[Movement]
    count_a: int
    count_b: int
    chart: charts.SlopeChart


def compare(*, year_a: int, year_b: int, block_code: str) -> Comparison | None:
    """Rank movements of a block between two published years (five queries).

    A unit of year B is matched with its own row of year A or, when it was renamed
    (exactly one predecessor), with that predecessor's; a merged unit is listed
    without a line, since its predecessors' ranks are not its own.
    """
    if year_a == year_b:
        return None
    decision_a, decision_b = decision_in_force(year_a), decision_in_force(year_b)
    if decision_a is None or decision_b is None:
        return None
    rows_a = list(_block_rows(decision_a, block_code))
    rows_b = list(_block_rows(decision_b, block_code))
    if not rows_a or not rows_b:
        return None
    links = defaultdict(list)
    for successor_id, predecessor_id in Unit.predecessors.through.objects.values_list(
        "from_unit_id", "to_unit_id"
    ):
        links[successor_id].append(predecessor_id)
    by_unit_a = {row.unit_id: row for row in rows_a}
    matched_a: set[int] = set()
    movements = []
    for row in sorted(rows_b, key=lambda r: (r.rank, r.position)):
        before = by_unit_a.get(row.unit_id)
        if before is None and len(links.get(row.unit_id, [])) == 1:
            before = by_unit_a.get(links[row.unit_id][0])
        if before is not None:
            matched_a.add(before.unit_id)
        movements.append(
            Movement(
                name_a=before.unit_name if before else "",
                name_b=row.unit_name,
                unit_code=row.unit.code,
                rank_a=before.rank if before else None,
                rank_b=row.rank,
                index_a=before.index if before else None,
                index_b=row.index,
            )
        )
    for row in sorted(rows_a, key=lambda r: (r.rank, r.position)):
        if row.unit_id not in matched_a:
            movements.append(
                Movement(row.unit_name, "", row.unit.code, row.rank, None, row.index, None)
            )
    return Comparison(
        year_a=year_a,
        year_b=year_b,
        block_code=block_code,
        block_name=rows_b[0].block_name,
        decision_a=decision_a,
        decision_b=decision_b,
        movements=movements,
        count_a=len(rows_a),
        count_b=len(rows_b),
        chart=charts.slope_chart(
            (
                charts.SlopeValue(m.name_a or m.name_b, m.name_b, m.rank_a, m.rank_b)
                for m in movements
            ),
            count_a=max(r.rank for r in rows_a),
            count_b=max(r.rank for r in rows_b),
        ),
    )


# ---------------------------------------------------------------------------
# Published tables: open data, methodology, the home page


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
