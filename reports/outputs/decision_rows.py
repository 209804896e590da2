"""The appendix of a decision: PublishedResult rows built from Result rows, and their tables.

`frozen_rows` freezes a campaign's current results into unsaved PublishedResult
rows (publication saves them, previews only show them). `appendix_tables` is the row
generator of the appendix: per block, one header and rows of display values, which
the PDF template (and any other output) only lays out.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from reports.models import Decision, PublishedResult
from scoring.models import Campaign, CampaignBlock, Criterion, Result, code_sort_key
from scoring.result_columns import figure_values, scored_area_points
from units.numbers import published_number

ZERO = Decimal("0")
NO_SCORED_CRITERIA = "—"


def _survey_max_by_area(campaign: Campaign) -> dict[tuple[int, str], Decimal]:
    """(framework, area code) → maximum of the area's survey leaves.

    Result.areas holds each area's maximum with its survey leaves; the appendix shows
    areas without the survey part (it has its own column), so their maximum too.
    """
    framework_ids = CampaignBlock.objects.filter(campaign=campaign).values("framework_id")
    rows = (
        Criterion.objects.filter(
            framework_id__in=framework_ids, method=Criterion.Method.SURVEY, children__isnull=True
        )
        .values_list("framework_id", "area_code")
        .order_by()
        .annotate(total=Sum("max_points"))
    )
    return {(framework_id, code): total for framework_id, code, total in rows}


def frozen_rows(*, decision: Decision) -> list[PublishedResult]:
    """Unsaved appendix rows of every block of the decision's campaign, from its Result rows.

    STT follows the rank, then the unit's folded name (so "Đ" sorts with "D");
    ranks are the computed ones, never recomputed from rounded values.
    """
    campaign = decision.campaign
    positions = {
        block_id: position
        for position, block_id in enumerate(
            CampaignBlock.objects.filter(campaign=campaign)
            .order_by("block__position", "block__code")
            .values_list("block_id", flat=True),
            start=1,
        )
    }
    survey_max = _survey_max_by_area(campaign)
    results = (
        Result.objects.filter(campaign=campaign, block_id__in=positions)
        .select_related("unit", "block", "assessment")
        .order_by("block__position", "block__code", "rank", "unit__search_text")
    )
    rows: list[PublishedResult] = []
    stt: dict[int, int] = defaultdict(int)
    for result in results:
        stt[result.block_id] += 1
        framework_id = result.assessment.framework_id
        scored = result.area_scored_points()
        areas = [
            {
                "code": area["code"],
                "title": area["title"],
                # An area without scored criteria keeps 0 of a maximum of 0: readers
                # show it empty (scoring.result_columns.scored_area_points).
                "points": str(scored[area["code"]] or ZERO),
                "max": str(
                    Decimal(area["max"]) - survey_max.get((framework_id, area["code"]), ZERO)
                ),
            }
            for area in sorted(result.areas, key=lambda a: code_sort_key(a["code"]))
        ]
        rows.append(
            PublishedResult(
                decision=decision,
                block_code=result.block.code,
                block_name=result.block.name,
                block_position=positions[result.block_id],
                position=stt[result.block_id],
                unit=result.unit,
                unit_code=result.unit.code,
                unit_name=result.unit.name,
                areas=areas,
                survey_points=result.survey_points,
                deductions=result.deductions,
                bonus=result.bonus,
                total=result.total,
                applicable_max=result.applicable_max,
                index=result.index,
                rank=result.rank,
                tier=result.tier,
                previous_rank=result.previous_rank,
                previous_index=result.previous_index,
            )
        )
    return rows


@dataclass
class AppendixArea:
    code: str
    title: str


@dataclass
class AppendixTable:
    """One block's table: its area columns and its rows as display strings."""

    block_code: str
    block_name: str
    heading: str = ""
    areas: list[AppendixArea] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    has_previous: bool = False
    has_unscored_areas: bool = False  # some cell is "—": the legend explains it


def appendix_tables(rows: Iterable[PublishedResult]) -> list[AppendixTable]:
    """Tables per block, in block order; rows in STT order."""
    tables: dict[str, AppendixTable] = {}
    ordered = sorted(rows, key=lambda r: (r.block_position, r.position))
    for row in ordered:
        table = tables.get(row.block_code)
        if table is None:
            table = tables[row.block_code] = AppendixTable(row.block_code, row.block_name)
        known = {area.code for area in table.areas}
        for area in row.areas:
            if area["code"] not in known:
                table.areas.append(AppendixArea(area["code"], area["title"]))
                known.add(area["code"])
    for table in tables.values():
        table.areas.sort(key=lambda a: code_sort_key(a.code))
    for row in ordered:
        table = tables[row.block_code]
        points = {area["code"]: scored_area_points(area) for area in row.areas}
        figures = figure_values(row)
        table.has_previous = table.has_previous or row.previous_rank is not None
        table.has_unscored_areas = table.has_unscored_areas or None in points.values()
        table.rows.append(
            {
                "position": row.position,
                "unit_name": row.unit_name,
                # "—" for an area the unit has no scored criteria in: its points, if
                # any, are in the survey column. Empty for an area its framework lacks.
                "areas": [
                    NO_SCORED_CRITERIA
                    if area.code in points and points[area.code] is None
                    else published_number(points.get(area.code))
                    for area in table.areas
                ],
                # Deductions and bonus are not columns of the official table: the total
                # already includes them, and the footnote of the table says so.
                **{
                    key: published_number(figures[key])
                    for key in ("survey_points", "total", "applicable_max", "index")
                },
                "rank": figures["rank"],
                "tier": figures["tier"],
                "previous_rank": figures["previous_rank"] or "",
                "previous_index": published_number(figures["previous_index"]),
            }
        )
    return list(tables.values())
