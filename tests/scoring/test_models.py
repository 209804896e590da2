from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from scoring.models import (
    Assessment,
    CampaignBlock,
    Criterion,
    Score,
    SurveyAnswer,
    code_sort_key,
)
from tests.factories import make_block, make_campaign, make_framework, make_unit


def test_codes_sort_as_numbers_not_as_text():
    codes = ["2.10", "2.9", "10", "2", "2.9.1", "1"]
    assert sorted(codes, key=code_sort_key) == ["1", "2", "2.9", "2.9.1", "2.10", "10"]


@pytest.mark.django_db
def test_criteria_come_back_in_code_order():
    framework = make_framework(leaves=11)
    assert [c.code for c in framework.criteria_in_order()][-3:] == ["1.9", "1.10", "1.11"]


@pytest.mark.django_db
def test_a_code_is_unique_within_its_framework():
    framework = make_framework()
    with pytest.raises(IntegrityError):
        Criterion.objects.create(framework=framework, code="1.1", title="x", max_points=1)


@pytest.mark.django_db
def test_a_leaf_scale_is_checked_against_its_maximum(english):
    framework = make_framework()
    leaf = Criterion(
        framework=framework,
        code="1.9",
        title="Ban hành kế hoạch",
        max_points=Decimal("1"),
        method=Criterion.Method.LEVELS,
        scale=[{"label": "Đúng hạn", "points": "1.5"}, {"label": "Trễ hạn", "points": "0"}],
    )
    with pytest.raises(ValidationError) as error:
        leaf.clean()
    assert "must be between 0 and 1" in str(error.value)


@pytest.mark.django_db
def test_a_score_cannot_exceed_the_leaf_maximum_nor_be_na_where_not_allowed(unit_a):
    framework = make_framework(block=unit_a.block, leaf_max="2")
    campaign = make_campaign(frameworks=(framework,))
    assessment = Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)
    leaf = framework.criteria.get(code="1.1")
    score = Score(
        assessment=assessment, criterion=leaf, self_points=Decimal("2.5"), not_applicable=True
    )
    with pytest.raises(ValidationError) as error:
        score.clean()
    assert set(error.value.message_dict) == {"self_points", "not_applicable"}


@pytest.mark.django_db
def test_an_admin_edit_of_a_score_follows_the_leafs_step(unit_a):
    framework = make_framework(block=unit_a.block, leaf_max="2")
    campaign = make_campaign(frameworks=(framework,))
    assessment = Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)
    leaf = framework.criteria.get(code="1.1")
    score = Score(assessment=assessment, criterion=leaf, appraised_points=Decimal("1.1"))
    with pytest.raises(ValidationError) as error:
        score.clean()
    assert error.value.message_dict == {"appraised_points": ["Điểm được chấm theo bước điểm 0,25."]}


@pytest.mark.django_db
def test_points_cannot_be_negative_in_the_database(unit_a):
    framework = make_framework(block=unit_a.block)
    campaign = make_campaign(frameworks=(framework,))
    assessment = Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)
    with pytest.raises(IntegrityError):
        Score.objects.create(
            assessment=assessment,
            criterion=framework.criteria.get(code="1.1"),
            final_points=Decimal("-1"),
        )


@pytest.mark.django_db
def test_a_campaign_block_takes_a_framework_of_its_block_and_year():
    so, huyen = make_block(code="so"), make_block(code="huyen", name="UBND cấp huyện")
    framework_2014 = make_framework(year=2014, block=so)
    campaign = make_campaign(year=2015)
    wrong_year = CampaignBlock(campaign=campaign, block=so, framework=framework_2014)
    with pytest.raises(ValidationError, match="2014"):
        wrong_year.clean()
    framework_2015 = make_framework(year=2015, block=so)
    wrong_block = CampaignBlock(campaign=campaign, block=huyen, framework=framework_2015)
    with pytest.raises(ValidationError):
        wrong_block.clean()


@pytest.mark.django_db
def test_an_assessment_uses_a_framework_of_its_campaign_and_block():
    so, huyen = make_block(code="so"), make_block(code="huyen", name="UBND cấp huyện")
    campaign = make_campaign(year=2015, frameworks=(make_framework(year=2015, block=so),))
    district = make_unit(block=huyen)
    other = make_framework(year=2015, block=huyen)
    assessment = Assessment(campaign=campaign, unit=district, framework=other)
    with pytest.raises(ValidationError):
        assessment.clean()


@pytest.mark.django_db
def test_one_assessment_per_unit_and_campaign(unit_a):
    framework = make_framework(block=unit_a.block)
    campaign = make_campaign(frameworks=(framework,))
    Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)
    with pytest.raises(IntegrityError):
        Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)


@pytest.mark.django_db
def test_a_survey_answer_weighs_at_most_100_percent():
    campaign = make_campaign()
    with pytest.raises(IntegrityError):
        SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=Decimal("120"))
