"""One block's published table: the public ranking page, and the rows of its open data."""

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict

from reports.models import Decision, PublishedResult
from reports.selectors.decisions import decision_in_force
from reports.selectors.rows import ZERO, AreaHeading, PublicRow, area_headings, area_points
from reports.selectors.statistics import published_statistics
from scoring.block_statistics import BlockStatistics
from scoring.selectors.results import SORTS, SortLink, parse_sort


def block_rows(decision: Decision, block_code: str) -> QuerySet[PublishedResult]:
    return (
        PublishedResult.objects.filter(decision=decision, block_code=block_code)
        .select_related("unit")
        .order_by("position", "pk")
    )


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
    statistics: BlockStatistics | None = None  # of the whole block, whatever the filter

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
    sorted and sliced by the database; two more the first time the block's statistics
    are read (reports.selectors.statistics keeps them). None if there is no such table
    or page.
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
        rows=[PublicRow(row, area_points(row, headings)) for row in rows],
        total=sum(g["count"] for g in groups),
        shown=count,
        tiers=tiers,
        tier=tier,
        sort=key,
        reversed=reverse,
        page_obj=page_obj,
        has_deductions=any(g["deductions"] for g in shown),
        has_bonus=any(g["bonus"] for g in shown),
        statistics=published_statistics(decision, block_code),
    )


def table_rows(*, year: int, block_code: str) -> tuple[Decision, list[PublishedResult]] | None:
    """The decision in force and a block's rows in appendix order, for downloads (two queries)."""
    decision = decision_in_force(year)
    if decision is None:
        return None
    rows = list(block_rows(decision, block_code))
    return (decision, rows) if rows else None
