"""Which appraiser appraises which unit (and area) in a campaign."""

from dataclasses import dataclass

from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
)


@dataclass(frozen=True)
class AreaChoice:
    code: str
    title: str


@dataclass(frozen=True)
class AssignmentRow:
    assignment: AppraiserAssignment
    area_title: str


@dataclass(frozen=True)
class CampaignAssignments:
    campaign: Campaign
    rows: list[AssignmentRow]
    # block id → (block name, its framework's areas), for the form's area choices
    areas_by_block: dict[int, tuple[str, list[AreaChoice]]]
    unassigned_units: list


def campaign_assignments(campaign: Campaign) -> CampaignAssignments:
    """The campaign's appraiser assignments, its areas per block and units left without one."""
    areas_by_block: dict[int, tuple[str, list[AreaChoice]]] = {}
    campaign_blocks = CampaignBlock.objects.filter(campaign=campaign).select_related("block")
    framework_blocks = {cb.framework_id: cb.block for cb in campaign_blocks}
    for block in framework_blocks.values():
        areas_by_block[block.pk] = (block.name, [])
    for framework_id, code, title in (
        Criterion.objects.filter(framework_id__in=list(framework_blocks), parent__isnull=True)
        .order_by("framework_id", "sort_key")
        .values_list("framework_id", "code", "title")
    ):
        areas_by_block[framework_blocks[framework_id].pk][1].append(AreaChoice(code, title))
    titles = {
        (block_id, area.code): area.title
        for block_id, (_name, areas) in areas_by_block.items()
        for area in areas
    }
    assignments = (
        AppraiserAssignment.objects.filter(campaign=campaign)
        .select_related("appraiser", "unit__block")
        .order_by("unit__block__position", "unit__search_text", "area_code", "appraiser__username")
    )
    rows = [AssignmentRow(a, titles.get((a.unit.block_id, a.area_code), "")) for a in assignments]
    assigned = {row.assignment.unit_id for row in rows}
    unassigned = [
        assessment.unit
        for assessment in Assessment.objects.filter(campaign=campaign)
        .select_related("unit__block")
        .order_by("unit__block__position", "unit__search_text")
        if assessment.unit_id not in assigned
    ]
    return CampaignAssignments(
        campaign=campaign,
        rows=rows,
        areas_by_block=areas_by_block,
        unassigned_units=unassigned,
    )
