"""Setting a campaign up: from last year's or from nothing, its blocks, tiers and survey
weights, and opening it to the units."""

from decimal import Decimal as D

import pytest

from scoring.models import Assessment, Campaign, Framework, SurveyAnswer
from scoring.services.campaigns import (
    Answer,
    Band,
    CampaignError,
    campaign_block_add,
    campaign_block_remove,
    campaign_create,
    campaign_open,
    opening_problems,
    survey_answers_set,
    tier_bands_set,
)
from tests.factories import make_block, make_campaign, make_framework, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(db):
    """2015: departments and districts, each with its tiers; answers A–D."""
    departments = make_framework(year=2015, leaves=3)
    districts = make_framework(
        year=2015, block=make_block(code="huyen", name="UBND cấp huyện", position=2)
    )
    campaign = make_campaign(year=2015, frameworks=(departments, districts))
    for code, weight in (("A", "100"), ("B", "60"), ("C", "20"), ("D", "0")):
        SurveyAnswer.objects.create(campaign=campaign, code=code, weight_percent=D(weight))
    return campaign


def test_a_campaign_cloned_from_last_year_copies_its_set_up(last_year, staff):
    campaign = campaign_create(
        year=2016, name="Chỉ số CCHC năm 2016", source=last_year, actor=staff
    )
    blocks = list(campaign.blocks.select_related("framework", "block").order_by("block__position"))
    assert [b.block.code for b in blocks] == ["so", "huyen"]
    for block in blocks:
        # Each framework is a clone for the new year, unlocked so it can still be revised.
        assert block.framework.year == 2016 and not block.framework.locked
        assert block.framework.cloned_from.year == 2015
        assert sorted(block.tiers.values_list("name", "min_index")) == [
            ("Khá", D("65")),
            ("Tốt", D("80")),
        ]
    assert blocks[0].framework.criteria.count() == 4  # the area and its three leaves
    assert sorted(campaign.survey_answers.values_list("code", "weight_percent")) == [
        ("A", D("100")),
        ("B", D("60")),
        ("C", D("20")),
        ("D", D("0")),
    ]
    assert campaign.status == Campaign.Status.PREPARING
    assert campaign.self_assessment_deadline is None


def test_cloning_uses_a_framework_already_made_for_the_year(last_year, staff):
    revised = make_framework(year=2016, name="Bộ tiêu chí sở 2016 (sửa đổi)")
    campaign = campaign_create(year=2016, name="2016", source=last_year, actor=staff)
    assert campaign.blocks.get(block__code="so").framework == revised
    assert Framework.objects.filter(year=2016).count() == 2


def test_a_campaign_from_nothing_is_empty(staff):
    campaign = campaign_create(year=2016, name="2016", source=None, actor=staff)
    assert not campaign.blocks.exists() and not campaign.survey_answers.exists()
    assert opening_problems(campaign) == ["Thêm ít nhất một khối cùng bộ tiêu chí của khối."]


def test_a_year_has_one_campaign_and_only_staff_create_it(last_year, staff, editor_a):
    with pytest.raises(CampaignError):
        campaign_create(year=2015, name="Lặp", source=None, actor=staff)
    with pytest.raises(CampaignError):
        campaign_create(year=2017, name="2017", source=None, actor=editor_a)
    assert Campaign.objects.count() == 1


def test_blocks_join_with_a_framework_of_their_own_and_the_year(staff):
    campaign = campaign_create(year=2016, name="2016", source=None, actor=staff)
    departments = make_framework(year=2016)
    other_year = make_framework(year=2015)
    districts = make_block(code="huyen", name="UBND cấp huyện", position=2)
    with pytest.raises(CampaignError):
        campaign_block_add(campaign=campaign, block=districts, framework=departments, actor=staff)
    with pytest.raises(CampaignError):
        campaign_block_add(
            campaign=campaign, block=other_year.block, framework=other_year, actor=staff
        )
    campaign_block = campaign_block_add(
        campaign=campaign, block=departments.block, framework=departments, actor=staff
    )
    with pytest.raises(CampaignError):
        campaign_block_add(
            campaign=campaign, block=departments.block, framework=departments, actor=staff
        )
    campaign_block_remove(campaign_block=campaign_block, actor=staff)
    assert not campaign.blocks.exists()


def test_opening_gives_every_active_unit_its_assessment_once(staff):
    campaign = campaign_create(year=2016, name="2016", source=None, actor=staff)
    framework = make_framework(year=2016)
    campaign_block_add(campaign=campaign, block=framework.block, framework=framework, actor=staff)
    active = [make_unit(), make_unit(active_from=2010)]
    make_unit(active_to=2015)  # merged away before the year
    assert campaign_open(campaign=campaign, actor=staff) == 2
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SELF_ASSESSMENT
    assert set(Assessment.objects.values_list("unit", flat=True)) == {u.pk for u in active}
    assert all(a.framework == framework for a in Assessment.objects.all())
    newcomer = make_unit()
    assert campaign_open(campaign=campaign, actor=staff) == 1
    assert Assessment.objects.filter(unit=newcomer, campaign=campaign).exists()
    assert campaign_open(campaign=campaign, actor=staff) == 0


def test_a_block_with_assessments_stays(staff):
    campaign = campaign_create(year=2016, name="2016", source=None, actor=staff)
    framework = make_framework(year=2016)
    campaign_block = campaign_block_add(
        campaign=campaign, block=framework.block, framework=framework, actor=staff
    )
    make_unit()
    campaign_open(campaign=campaign, actor=staff)
    with pytest.raises(CampaignError):
        campaign_block_remove(campaign_block=campaign_block, actor=staff)


def test_tiers_are_replaced_whole_and_checked(last_year, staff):
    block = last_year.blocks.get(block__code="so")
    tier_bands_set(
        campaign_block=block,
        bands=[Band("Nhóm A", D("90")), Band("Nhóm B", D("80")), Band("Nhóm C", D("70"), False)],
        actor=staff,
    )
    assert sorted(block.tiers.values_list("name", "min_index", "inclusive")) == [
        ("Nhóm A", D("90"), True),
        ("Nhóm B", D("80"), True),
        ("Nhóm C", D("70"), False),
    ]
    for bad in (
        [Band("Tốt", D("80")), Band("tốt", D("70"))],
        [Band("Tốt", D("80")), Band("Khá", D("80"))],
        [Band("Tốt", D("120"))],
        [Band(" ", D("50"))],
    ):
        with pytest.raises(CampaignError):
            tier_bands_set(campaign_block=block, bands=bad, actor=staff)
    assert block.tiers.count() == 3


def test_survey_weights_are_replaced_whole_and_checked(last_year, staff):
    survey_answers_set(
        campaign=last_year,
        answers=[Answer("a", "Rất hài lòng", D("100")), Answer("B", "", D("62.5"))],
        actor=staff,
    )
    assert sorted(last_year.survey_answers.values_list("code", "label", "weight_percent")) == [
        ("A", "Rất hài lòng", D("100")),
        ("B", "", D("62.5")),
    ]
    with pytest.raises(CampaignError):
        survey_answers_set(
            campaign=last_year,
            answers=[Answer("A", "", D("100")), Answer("A", "", D("50"))],
            actor=staff,
        )
    assert last_year.survey_answers.count() == 2


def test_a_published_campaign_keeps_its_set_up(last_year, staff):
    Campaign.objects.filter(pk=last_year.pk).update(status=Campaign.Status.PUBLISHED)
    block = last_year.blocks.get(block__code="so")
    with pytest.raises(CampaignError):
        tier_bands_set(campaign_block=block, bands=[Band("Tốt", D("50"))], actor=staff)
    with pytest.raises(CampaignError):
        survey_answers_set(campaign=last_year, answers=[], actor=staff)
    with pytest.raises(CampaignError):
        campaign_open(campaign=last_year, actor=staff)
    assert block.tiers.count() == 2 and last_year.survey_answers.count() == 4


def test_a_framework_that_breaks_its_rules_keeps_the_campaign_closed(staff):
    campaign = campaign_create(year=2016, name="2016", source=None, actor=staff)
    framework = make_framework(year=2016)
    framework.criteria.filter(code="1.1").update(max_points=D("9"))  # the area no longer adds up
    campaign_block_add(campaign=campaign, block=framework.block, framework=framework, actor=staff)
    make_unit()
    with pytest.raises(CampaignError):
        campaign_open(campaign=campaign, actor=staff)
    assert not Assessment.objects.exists()
