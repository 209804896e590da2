"""Opening a campaign's assessments: the way the admin makes them, now that it only shows them."""

import pytest

from scoring.models import Assessment, Campaign
from scoring.services.campaign_setup import CampaignSetupError, campaign_assessments_open
from tests.factories import make_assessment, make_block, make_campaign, make_framework, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    so, huyen = make_block(code="so", position=1), make_block(code="huyen", position=2)
    return make_campaign(
        year=2016,
        frameworks=(make_framework(year=2016, block=so), make_framework(year=2016, block=huyen)),
    )


def test_every_active_unit_of_the_blocks_gets_one_draft_on_its_blocks_framework(staff, campaign):
    so, huyen = (campaign_block.block for campaign_block in campaign.blocks.all())
    units = [make_unit(block=so), make_unit(block=huyen), make_unit(block=so, active_to=2017)]
    make_unit(block=so, active_to=2015)  # merged away before 2016
    make_unit(block=make_block(code="xa", position=3))  # a block outside the campaign
    assert campaign_assessments_open(campaign=campaign, actor=staff) == 3
    opened = Assessment.objects.filter(campaign=campaign)
    assert {a.unit for a in opened} == set(units)
    assert {a.state for a in opened} == {Assessment.State.DRAFT}
    assert all(a.framework == campaign.blocks.get(block=a.unit.block).framework for a in opened)


def test_opening_again_leaves_existing_assessments_alone(staff, campaign):
    block = campaign.blocks.first().block
    started = make_assessment(
        campaign=campaign, unit=make_unit(block=block), state=Assessment.State.SUBMITTED
    )
    make_unit(block=block)
    assert campaign_assessments_open(campaign=campaign, actor=staff) == 1
    assert campaign_assessments_open(campaign=campaign, actor=staff) == 0
    started.refresh_from_db()
    assert started.state == Assessment.State.SUBMITTED


def test_a_published_campaign_takes_no_new_assessment(staff, campaign):
    make_unit(block=campaign.blocks.first().block)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PUBLISHED)
    with pytest.raises(CampaignSetupError, match="2016"):
        campaign_assessments_open(campaign=campaign, actor=staff)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("persona", ["appraiser", "editor_a", "head_a"])
def test_only_staff_open_assessments(campaign, persona, request):
    make_unit(block=campaign.blocks.first().block)
    with pytest.raises(CampaignSetupError):
        campaign_assessments_open(campaign=campaign, actor=request.getfixturevalue(persona))
    assert not Assessment.objects.exists()
