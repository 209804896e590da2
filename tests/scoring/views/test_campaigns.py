"""The staff pages of campaigns: the list and one year's campaign."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from scoring.models import Assessment, SurveyAnswer
from tests.factories import (
    make_assessment,
    make_block,
    make_campaign,
    make_framework,
    make_unit,
)

LIST_URL = reverse("campaigns:campaign_list")


def detail_url(year: int) -> str:
    return reverse("campaigns:campaign_detail", args=[year])


@pytest.fixture
def campaign(db):
    districts = make_block(code="huyen", name="UBND cấp huyện", position=2)
    departments = make_framework(year=2015, name="Bộ tiêu chí sở 2015")
    district_framework = make_framework(year=2015, block=districts, name="Bộ tiêu chí huyện 2015")
    campaign = make_campaign(
        year=2015,
        frameworks=(departments, district_framework),
        tiers=(("Tốt", "80"), ("Khá", "65.5")),
        self_assessment_deadline=datetime.datetime(2015, 11, 30, 17, 0, tzinfo=ZoneInfo("UTC")),
    )
    SurveyAnswer.objects.create(
        campaign=campaign, code="A", label="Rất hài lòng", weight_percent=Decimal("100")
    )
    SurveyAnswer.objects.create(
        campaign=campaign, code="B", label="Hài lòng", weight_percent=Decimal("62.5")
    )
    for state in (Assessment.State.DRAFT, Assessment.State.DRAFT, Assessment.State.SUBMITTED):
        make_assessment(campaign=campaign, unit=make_unit(), state=state)
    make_assessment(
        campaign=campaign, unit=make_unit(block=districts), state=Assessment.State.APPRAISED
    )
    return campaign


# -- access ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["list", "detail"])
def test_anonymous_is_sent_to_log_in(client, campaign, which):
    url = LIST_URL if which == "list" else detail_url(2015)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["list", "detail"])
def test_a_unit_editor_is_refused(client, editor_a, campaign, which):
    client.force_login(editor_a)
    url = LIST_URL if which == "list" else detail_url(2015)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_an_unknown_year_is_404(client, staff):
    client.force_login(staff)
    assert client.get(detail_url(1999)).status_code == 404


# -- pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_each_campaign_with_blocks_and_counts(client, staff, campaign):
    client.force_login(staff)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert "Chỉ số CCHC năm 2015" in html
    assert "Bộ tiêu chí huyện 2015" in html
    assert detail_url(2015) in html
    assert response.context["campaigns"][0].assessment_count == 4
    # 17:00 UTC is 00:00 the next day in Vietnam.
    assert "01/12/2015 00:00" in html


@pytest.mark.django_db
def test_the_list_puts_the_newest_year_first(client, staff, campaign):
    make_campaign(year=2014)
    make_campaign(year=2016)
    client.force_login(staff)
    years = [c.year for c in client.get(LIST_URL).context["campaigns"]]
    assert years == [2016, 2015, 2014]


@pytest.mark.django_db
def test_the_detail_shows_deadlines_tiers_counts_and_weights(client, staff, campaign):
    client.force_login(staff)
    response = client.get(detail_url(2015))
    html = response.content.decode()
    assert "01/12/2015 00:00" in html
    assert "Bộ tiêu chí sở 2015" in html and "Bộ tiêu chí huyện 2015" in html
    assert "≥ 65,5%" in html and "≥ 80%" in html  # Vietnamese decimal comma
    assert "62,5%" in html and "Rất hài lòng" in html
    departments, districts = response.context["detail"].blocks
    counts = {c.state: c.count for c in departments.state_counts}
    assert counts["draft"] == 2 and counts["submitted"] == 1 and counts["appraised"] == 0
    assert departments.total == 3 and districts.total == 1
    assert response.context["detail"].total == 4


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_pages_take_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries, size
):
    campaign = None
    for i in range(size):
        block = make_block(code=f"b{i}", name=f"Khối {i}", position=i)
        framework = make_framework(year=2015, block=block)
        if campaign is None:
            campaign = make_campaign(year=2015, frameworks=(framework,))
        else:
            campaign.blocks.create(block=block, framework=framework).tiers.create(
                name="Tốt", min_index=Decimal("80")
            )
        make_campaign(year=1950 + i)
        make_assessment(campaign=campaign, unit=make_unit(block=block))
        SurveyAnswer.objects.create(campaign=campaign, code=f"{i}", weight_percent=Decimal("10"))
    client.force_login(staff)
    with django_assert_max_num_queries(7):
        assert client.get(LIST_URL).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(detail_url(2015)).status_code == 200
