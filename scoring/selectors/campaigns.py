"""Reads of campaigns: the overview on the home page, the list, one campaign's progress."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Prefetch,
    QuerySet,
)

from scoring.calculations import Tier
from scoring.models import (
    Assessment,
    Campaign,
    CampaignBlock,
    SurveyAnswer,
    TierBand,
)
from units.models import Unit


def _blocks_with_frameworks() -> Prefetch:
    return Prefetch("blocks", queryset=CampaignBlock.objects.select_related("block", "framework"))


def campaign_overview() -> QuerySet[Campaign]:
    """Every campaign with its blocks and their frameworks, newest first (two queries)."""
    return Campaign.objects.prefetch_related(_blocks_with_frameworks())


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with their blocks and number of assessments (two queries)."""
    # Meta.ordering does not apply to a GROUP BY query, so it is restated.
    return campaign_overview().annotate(assessment_count=Count("assessments")).order_by("-year")


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class BlockSummary:
    campaign_block: CampaignBlock
    state_counts: list[StateCount]
    total: int


@dataclass(frozen=True)
class CampaignDetail:
    campaign: Campaign
    blocks: list[BlockSummary]
    survey_answers: list[SurveyAnswer]
    total: int


def campaign_detail(year: int) -> CampaignDetail | None:
    """A campaign with, per block, its framework, tiers and assessments per state."""
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        return None
    campaign_blocks = list(
        campaign.blocks.select_related("block", "framework").prefetch_related("tiers")
    )
    # One aggregate for every block; an assessment is counted under the framework
    # it is scored on, which is its block's framework in this campaign.
    counts: dict[tuple[int, str], int] = {
        (row["framework_id"], row["state"]): row["n"]
        for row in Assessment.objects.filter(campaign=campaign)
        .order_by()
        .values("framework_id", "state")
        .annotate(n=Count("pk"))
    }
    blocks = []
    for campaign_block in campaign_blocks:
        state_counts = [
            StateCount(
                state=state,
                label=label,
                count=counts.get((campaign_block.framework_id, state), 0),
            )
            for state, label in Assessment.State.choices
        ]
        blocks.append(
            BlockSummary(
                campaign_block=campaign_block,
                state_counts=state_counts,
                total=sum(c.count for c in state_counts),
            )
        )
    return CampaignDetail(
        campaign=campaign,
        blocks=blocks,
        survey_answers=list(campaign.survey_answers.all()),
        total=sum(block.total for block in blocks),
    )


def campaign_by_year(year: int) -> Campaign | None:
    return Campaign.objects.filter(year=year).first()


def campaign_block_for(*, year: int, block_code: str) -> CampaignBlock | None:
    """A block of a year's campaign, with the campaign, block and framework (one query)."""
    return (
        CampaignBlock.objects.select_related("campaign", "block", "framework")
        .filter(campaign__year=year, block__code=block_code)
        .first()
    )


def block_tiers(campaign_id: int, *, block_id: int | None = None) -> dict[int, list[Tier]]:
    """block → the campaign's tier bands for it, as calculations.Tier (one query)."""
    bands = TierBand.objects.filter(campaign_block__campaign_id=campaign_id)
    if block_id is not None:
        bands = bands.filter(campaign_block__block_id=block_id)
    tiers: dict[int, list[Tier]] = defaultdict(list)
    for block, name, minimum, inclusive in bands.values_list(
        "campaign_block__block_id", "name", "min_index", "inclusive"
    ):
        tiers[block].append(Tier(name, minimum, inclusive))
    return dict(tiers)


@dataclass(frozen=True)
class SetupBlock:
    campaign_block: CampaignBlock
    assessments: int


@dataclass(frozen=True)
class CampaignSetup:
    campaign: Campaign
    blocks: list[SetupBlock]
    survey_answers: list[SurveyAnswer]
    # Units of the campaign's blocks, active in its year, without an assessment yet.
    missing_units: int
    total: int


def campaign_setup(campaign: Campaign) -> CampaignSetup:
    """A campaign's set-up: blocks with their frameworks, tiers and files (five queries)."""
    campaign_blocks = list(
        campaign.blocks.select_related("block", "framework").prefetch_related("tiers")
    )
    counts = dict(
        Assessment.objects.filter(campaign=campaign)
        .order_by()
        .values_list("framework_id")
        .annotate(n=Count("pk"))
    )
    missing = (
        Unit.objects.active_in(campaign.year)
        .filter(block_id__in=[cb.block_id for cb in campaign_blocks])
        .exclude(assessments__campaign=campaign)
        .count()
    )
    return CampaignSetup(
        campaign=campaign,
        blocks=[SetupBlock(cb, counts.get(cb.framework_id, 0)) for cb in campaign_blocks],
        survey_answers=list(campaign.survey_answers.all()),
        missing_units=missing,
        total=sum(counts.values()),
    )
