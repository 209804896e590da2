"""A step for many units from the dashboard: the preview page, then the confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, AssessmentEvent, Campaign, Score
from tests.factories import make_block, make_campaign, make_framework
from tests.scoring.season_data import units_in_state

pytestmark = pytest.mark.django_db
State = Assessment.State


def bulk_url(action: str, year: int = 2016, block: str = "") -> str:
    path = reverse("campaigns:campaign_bulk", args=[year, action])
    return f"{path}?block={block}" if block else path


@pytest.fixture
def season(db):
    """Departments: two files fully appraised, one not; districts: one fully appraised."""
    departments = make_framework(year=2016, leaves=2)
    districts = make_framework(
        year=2016, block=make_block(code="huyen", name="UBND cấp huyện", position=2), leaves=2
    )
    campaign = make_campaign(year=2016, frameworks=(departments, districts))
    ready = units_in_state(campaign, departments, count=2, state=State.IN_APPRAISAL)
    unfinished = units_in_state(
        campaign, departments, count=1, state=State.IN_APPRAISAL, appraised=False
    )
    district = units_in_state(campaign, districts, count=1, state=State.IN_APPRAISAL)
    return campaign, ready, unfinished[0], district[0]


def test_the_preview_lists_both_sides_and_changes_nothing(english_client, staff, season):
    campaign, ready, unfinished, district = season
    english_client.force_login(staff)
    response = english_client.get(bulk_url("return"))
    plan = response.context["plan"]
    assert {a.pk for a in plan.movable} == {*(a.pk for a in ready), district.pk}
    html = response.content.decode()
    assert "3 units would move" in html and "1 unit would not move" in html
    assert "1.1: not appraised yet." in html
    assert response.context["form"].initial["ids"].count(",") == 2
    assert not AssessmentEvent.objects.exists()


def test_the_preview_keeps_to_the_dashboards_block(client, staff, season):
    campaign, ready, unfinished, district = season
    client.force_login(staff)
    plan = client.get(bulk_url("return", block="huyen")).context["plan"]
    assert [a.pk for a in plan.movable] == [district.pk] and plan.refused == []
    assert client.get(bulk_url("return", block="nope")).status_code == 404


def test_confirming_moves_each_unit_and_reports_the_ones_that_changed(
    english_client, staff, season
):
    campaign, ready, unfinished, district = season
    english_client.force_login(staff)
    ids = english_client.get(bulk_url("return")).context["form"].initial["ids"]
    Score.objects.filter(assessment=ready[0]).update(appraised_points=None)  # since the preview
    response = english_client.post(bulk_url("return"), {"ids": ids})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert {a.pk for a in outcome.moved} == {ready[1].pk, district.pk}
    assert [line.assessment.pk for line in outcome.refused] == [ready[0].pk]
    html = response.content.decode()
    assert "2 units moved." in html and "1 unit was refused" in html
    states = dict(Assessment.objects.values_list("pk", "state"))
    assert states[ready[1].pk] == states[district.pk] == State.RETURNED
    assert states[ready[0].pk] == states[unfinished.pk] == State.IN_APPRAISAL


def test_a_step_needing_a_reason_asks_for_it(english_client, staff, season):
    campaign, ready, _unfinished, _district = season
    Campaign.objects.filter(pk=campaign.pk).update(
        explanation_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    Assessment.objects.filter(pk__in=[a.pk for a in ready]).update(state=State.RETURNED)
    english_client.force_login(staff)
    ids = english_client.get(bulk_url("close_explanation")).context["form"].initial["ids"]
    response = english_client.post(bulk_url("close_explanation"), {"ids": ids, "reason": ""})
    assert response.status_code == 200 and response.context["outcome"] is None
    assert response.context["form"].errors["reason"]
    response = english_client.post(
        bulk_url("close_explanation"), {"ids": ids, "reason": "Hết hạn giải trình ngày 10/1"}
    )
    assert len(response.context["outcome"].moved) == 2
    assert set(AssessmentEvent.objects.values_list("reason", flat=True)) == {
        "Hết hạn giải trình ngày 10/1"
    }


def test_the_dashboard_offers_each_step_with_its_count(client, staff, season):
    client.force_login(staff)
    response = client.get(reverse("campaigns:campaign_dashboard", args=[2016]))
    steps = {action: count for action, _label, count in response.context["bulk_steps"]}
    assert steps == {"return": 4, "finalise": 4}
    assert bulk_url("return") in response.content.decode()


@pytest.mark.parametrize("persona", ["appraiser", "head_a", "anonymous"])
def test_only_staff_take_steps_for_many(as_persona, season, persona, head_a, appraiser):
    client = as_persona(persona)
    for response in (client.get(bulk_url("return")), client.post(bulk_url("return"), {"ids": "1"})):
        assert response.status_code in (302, 403)
    assert not AssessmentEvent.objects.exists()


def test_unknown_steps_and_years_are_404(client, staff, season):
    client.force_login(staff)
    assert client.get(bulk_url("submit_for")).status_code == 404
    assert client.get(bulk_url("return", year=1999)).status_code == 404


def test_once_every_file_is_appraised_the_dashboard_leads_to_the_decision(client, staff, season):
    campaign, *_files = season
    client.force_login(staff)
    dashboard = reverse("campaigns:campaign_dashboard", args=[2016])
    decisions = reverse("reports:decision_list_staff", args=[2016])
    assert decisions not in client.get(dashboard).content.decode()
    Assessment.objects.filter(campaign=campaign).update(state=State.APPRAISED)
    html = client.get(dashboard).content.decode()
    assert 'id="ready-to-publish"' in html and f'href="{decisions}"' in html
    assert "dự thảo và công bố quyết định" in html
