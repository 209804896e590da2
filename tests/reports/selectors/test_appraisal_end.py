"""When a campaign's appraisal ended: its last "finalise" event, as a day in the province."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reports.selectors.appraisal_end import appraisal_ended_on
from scoring.models import AssessmentEvent
from tests.factories import make_campaign, make_framework
from tests.reports.publication_data import finalised_on

pytestmark = pytest.mark.django_db

PROVINCE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_last_finalisation_of_the_campaign_is_the_end(campaign):
    first, second = campaign.assessments.order_by("pk")
    finalised_on(first, dt.datetime(2016, 9, 1, 10, tzinfo=PROVINCE_TZ))
    finalised_on(second, dt.datetime(2016, 9, 20, 10, tzinfo=PROVINCE_TZ))

    assert appraisal_ended_on(campaign) == dt.date(2016, 9, 20)
    assert appraisal_ended_on(campaign.pk) == dt.date(2016, 9, 20)


def test_the_day_is_the_provinces_not_utcs(campaign):
    # 23:30 UTC on 19/09 is already 20/09 in Sóc Trăng.
    finalised_on(campaign.assessments.first(), dt.datetime(2016, 9, 19, 23, 30, tzinfo=dt.UTC))
    assert appraisal_ended_on(campaign) == dt.date(2016, 9, 20)


def test_other_steps_and_other_campaigns_do_not_count(campaign, unit_a):
    assessment = campaign.assessments.first()
    later = finalised_on(assessment, dt.datetime(2016, 12, 1, tzinfo=PROVINCE_TZ))
    AssessmentEvent.objects.filter(pk=later.pk).update(action="publish")
    other = make_campaign(year=2016, frameworks=(make_framework(year=2016, block=unit_a.block),))
    assert appraisal_ended_on(other) is None
    assert appraisal_ended_on(campaign) is None
    assert appraisal_ended_on(None) is None


@pytest.mark.parametrize("events", [1, 30])
def test_one_query_whatever_the_number_of_events(campaign, events, django_assert_num_queries):
    assessment = campaign.assessments.first()
    for day in range(1, events + 1):
        finalised_on(
            assessment, dt.datetime(2016, 8, 1, tzinfo=PROVINCE_TZ) + dt.timedelta(days=day)
        )
    with django_assert_num_queries(1):
        ended = appraisal_ended_on(campaign)
    assert ended == dt.date(2016, 8, 1) + dt.timedelta(days=events)
