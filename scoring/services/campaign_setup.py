"""Setting a campaign up: one assessment for each unit taking part.

The admin shows assessments read-only (they carry the workflow), so it opens them
through this service, as an action on the campaign.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import Assessment, Campaign, CampaignBlock
from units.access import may_manage_campaigns
from units.models import Unit


class CampaignSetupError(Exception):
    """The campaign cannot be set up so; the message says why and nothing was changed."""


@transaction.atomic
def campaign_assessments_open(*, campaign: Campaign, actor) -> int:
    """A draft assessment for every unit of the campaign's blocks active in its year,
    on its block's framework; units that have one already are left alone. The count opened.
    """
    if not may_manage_campaigns(actor):
        raise CampaignSetupError(_("Only Interior Department staff set up campaigns."))
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if current.status == Campaign.Status.PUBLISHED:
        raise CampaignSetupError(
            _("The %(year)s campaign is published: it takes no new assessments.")
            % {"year": current.year}
        )
    framework_of_block = dict(
        CampaignBlock.objects.filter(campaign=current).values_list("block_id", "framework_id")
    )
    units = (
        Unit.objects.active_in(current.year)
        .filter(block_id__in=framework_of_block)
        .exclude(assessments__campaign=current)
        .values_list("pk", "block_id")
    )
    opened = Assessment.objects.bulk_create(
        Assessment(
            campaign=current,
            unit_id=unit_id,
            framework_id=framework_of_block[block_id],
            state=Assessment.State.DRAFT,
        )
        for unit_id, block_id in units
    )
    return len(opened)
