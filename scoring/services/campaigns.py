"""Setting a campaign up: creating it (from last year's or from nothing), its blocks and
their frameworks, tier bands and survey answer weights, and opening it to the units.

Every function is keyword-only and atomic; a refusal raises CampaignError with a message
the user can act on, and writes nothing. Once its results are published a campaign's
set-up never changes: the published decision was computed from it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import (
    Assessment,
    Campaign,
    CampaignBlock,
    Framework,
    SurveyAnswer,
    TierBand,
)
from scoring.services.frameworks import framework_clone
from units.access import may_manage_campaigns
from units.models import Block, Unit


class CampaignError(Exception):
    """A change to a campaign's set-up was refused; the message says why, nothing changed."""


@dataclass(frozen=True)
class Band:
    name: str
    min_index: Decimal
    inclusive: bool = True


@dataclass(frozen=True)
class Answer:
    code: str
    label: str
    weight_percent: Decimal


def _require_staff(actor) -> None:
    if not may_manage_campaigns(actor):
        raise CampaignError(_("Only Interior Department staff set campaigns up."))


def _editable(campaign: Campaign) -> Campaign:
    """The campaign locked for the change, unless its results are published."""
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if current.status == Campaign.Status.PUBLISHED:
        raise CampaignError(
            _("The %(year)s results are published: the campaign's set-up no longer changes.")
            % {"year": current.year}
        )
    return current


@transaction.atomic
def campaign_create(*, year: int, name: str, source: Campaign | None, actor) -> Campaign:
    """A new year's campaign: empty, or a copy of `source` with its blocks, each block's
    framework cloned to the new year (or that year's framework where one exists), the
    tier bands and the survey answer weights. Deadlines are the new year's to set."""
    _require_staff(actor)
    if Campaign.objects.filter(year=year).exists():
        raise CampaignError(_("A campaign for %(year)s already exists.") % {"year": year})
    if not name.strip():
        raise CampaignError(_("Give the campaign a name."))
    campaign = Campaign.objects.create(year=year, name=name.strip())
    if source is None:
        return campaign
    existing = {f.block_id: f for f in Framework.objects.filter(year=year)}
    for source_block in source.blocks.select_related("block", "framework").prefetch_related(
        "tiers"
    ):
        framework = existing.get(source_block.block_id) or framework_clone(
            source=source_block.framework, year=year
        )
        campaign_block = CampaignBlock.objects.create(
            campaign=campaign, block=source_block.block, framework=framework
        )
        TierBand.objects.bulk_create(
            TierBand(
                campaign_block=campaign_block,
                name=band.name,
                min_index=band.min_index,
                inclusive=band.inclusive,
            )
            for band in source_block.tiers.all()
        )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            campaign=campaign,
            code=answer.code,
            label=answer.label,
            weight_percent=answer.weight_percent,
        )
        for answer in source.survey_answers.all()
    )
    return campaign


@transaction.atomic
def campaign_block_add(
    *, campaign: Campaign, block: Block, framework: Framework, actor
) -> CampaignBlock:
    """A block takes part in the campaign, scored on a framework of its own of that year."""
    _require_staff(actor)
    current = _editable(campaign)
    if framework.block_id != block.pk:
        raise CampaignError(
            _("The framework “%(framework)s” is for another block.") % {"framework": framework}
        )
    if framework.year != current.year:
        raise CampaignError(
            _("The framework is for %(year)s, not the campaign's year.") % {"year": framework.year}
        )
    if CampaignBlock.objects.filter(campaign=current, block=block).exists():
        raise CampaignError(
            _("%(block)s already takes part in this campaign.") % {"block": block.name}
        )
    return CampaignBlock.objects.create(campaign=current, block=block, framework=framework)


@transaction.atomic
def campaign_block_remove(*, campaign_block: CampaignBlock, actor) -> None:
    """A block leaves the campaign while none of its units has an assessment in it."""
    _require_staff(actor)
    current = _editable(campaign_block.campaign)
    if Assessment.objects.filter(campaign=current, framework=campaign_block.framework).exists():
        raise CampaignError(
            _("The units of %(block)s already have assessments: the block stays.")
            % {"block": campaign_block.block.name}
        )
    campaign_block.delete()


@transaction.atomic
def tier_bands_set(*, campaign_block: CampaignBlock, bands: list[Band], actor) -> None:
    """Replace a block's tier bands; names and minima must each be different."""
    _require_staff(actor)
    _editable(campaign_block.campaign)
    names = [band.name.strip() for band in bands]
    if "" in names:
        raise CampaignError(_("Every tier needs a name."))
    if len(set(name.casefold() for name in names)) < len(names):
        raise CampaignError(_("Two tiers have the same name."))
    if len({(band.min_index, band.inclusive) for band in bands}) < len(bands):
        raise CampaignError(_("Two tiers start at the same index."))
    if any(not (0 <= band.min_index <= 100) for band in bands):
        raise CampaignError(_("A tier's minimum index is between 0 and 100."))
    wanted = {(b.name.strip(), b.min_index, b.inclusive) for b in bands}
    present = set(campaign_block.tiers.values_list("name", "min_index", "inclusive"))
    if wanted == present:
        return
    campaign_block.tiers.all().delete()
    TierBand.objects.bulk_create(
        TierBand(campaign_block=campaign_block, name=name, min_index=minimum, inclusive=inclusive)
        for name, minimum, inclusive in wanted
    )


@transaction.atomic
def survey_answers_set(*, campaign: Campaign, answers: list[Answer], actor) -> None:
    """Replace the campaign's survey answers and the share of a leaf's points each earns."""
    _require_staff(actor)
    current = _editable(campaign)
    codes = [answer.code.strip().upper() for answer in answers]
    if "" in codes:
        raise CampaignError(_("Every answer needs a code (A, B, C…)."))
    if len(set(codes)) < len(codes):
        raise CampaignError(_("Two answers have the same code."))
    if any(not (0 <= answer.weight_percent <= 100) for answer in answers):
        raise CampaignError(_("A weight is between 0 and 100%."))
    wanted = {
        (code, answer.label.strip(), answer.weight_percent)
        for code, answer in zip(codes, answers, strict=True)
    }
    present = set(current.survey_answers.values_list("code", "label", "weight_percent"))
    if wanted == present:
        return
    current.survey_answers.all().delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(campaign=current, code=code, label=label, weight_percent=weight)
        for code, label, weight in wanted
    )


def opening_problems(campaign: Campaign) -> list[str]:
    """What stops the campaign from opening to its units (for the button and the refusal)."""
    problems = []
    blocks = list(campaign.blocks.select_related("block", "framework"))
    if not blocks:
        problems.append(_("Add at least one block with its framework."))
    for campaign_block in blocks:
        broken = campaign_block.framework.consistency_problems()
        if broken:
            problems.append(
                _("The framework of %(block)s breaks its rules: %(problems)s")
                % {
                    "block": campaign_block.block.name,
                    "problems": "; ".join(str(p) for p in broken),
                }
            )
    return problems


@transaction.atomic
def campaign_open(*, campaign: Campaign, actor) -> int:
    """Give every unit of the campaign's blocks active that year its assessment, and open
    self-assessment; run again, it adds the units that joined since. Returns how many
    assessments were made."""
    _require_staff(actor)
    current = _editable(campaign)
    problems = opening_problems(current)
    if problems:
        raise CampaignError(" ".join(problems))
    frameworks = dict(current.blocks.values_list("block_id", "framework_id"))
    present = set(Assessment.objects.filter(campaign=current).values_list("unit_id", flat=True))
    units = Unit.objects.active_in(current.year).filter(block_id__in=frameworks)
    # The campaign row is locked (_editable): two openings cannot both add the same unit.
    created = Assessment.objects.bulk_create(
        Assessment(campaign=current, unit=unit, framework_id=frameworks[unit.block_id])
        for unit in units
        if unit.pk not in present
    )
    if current.status == Campaign.Status.PREPARING:
        current.status = Campaign.Status.SELF_ASSESSMENT
        current.save(update_fields=["status"])
    return len(created)
