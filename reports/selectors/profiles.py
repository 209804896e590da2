"""A unit's public profile: its published results over the years, through mergers and renames."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from reports import charts
from reports.models import Decision, PublishedResult
from reports.selectors.rows import ZERO, area_value
from scoring import calculations as calc
from scoring.models import Assessment, Score
from scoring.result_columns import scored_area_points
from units.models import Unit


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
    # An area without scored criteria (all survey) has no index of its own: it is
    # neither drawn at 0 nor counted in the block's average.
    indexes: dict[str, list[Decimal]] = defaultdict(list)
    for areas in block_areas:
        for area in areas:
            if scored_area_points(area) is not None:
                indexes[area["code"]].append(area_value(area).index)
    result = []
    for area in row.areas:
        if scored_area_points(area) is None:
            continue
        values = indexes.get(area["code"], [])
        result.append(
            BlockArea(
                code=area["code"],
                title=area["title"],
                index=area_value(area).index,
                block_average=calc.exact(sum(values, ZERO) / len(values)) if values else None,
                block_best=max(values) if values else None,
            )
        )
    return result, len(block_areas)
