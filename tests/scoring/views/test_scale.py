"""The season's staff pages cost the same for a block of 12 units as for one of 120:
the dashboard, the appraisal worklist, a bulk step's preview and the results page.

Each runs at both sizes under the same ceiling, its parts named: one query more per
unit would pass it by a hundred at 120 units.
"""

import pytest
from django.urls import reverse

from scoring.models import AppraiserAssignment, Assessment
from scoring.services.results import results_compute
from tests.factories import make_campaign, make_framework
from tests.scoring.season_data import units_in_state

pytestmark = pytest.mark.django_db
State = Assessment.State
SIZES = [12, 120]


@pytest.fixture(params=SIZES)
def season(request):
    """One block of `size` units: a third submitted, a third in appraisal with every leaf
    appraised, the rest in appraisal with none appraised."""
    size = request.param
    framework = make_framework(year=2016, leaves=5)
    campaign = make_campaign(year=2016, frameworks=(framework,))
    third = size // 3
    units_in_state(campaign, framework, count=third, state=State.SUBMITTED, appraised=False)
    units_in_state(campaign, framework, count=third, state=State.IN_APPRAISAL)
    units_in_state(
        campaign, framework, count=size - 2 * third, state=State.IN_APPRAISAL, appraised=False
    )
    return campaign, size


def test_the_dashboard_costs_the_same_for_120_units(
    client, staff, season, django_assert_max_num_queries
):
    campaign, size = season
    client.force_login(staff)
    # Measured 11 at both sizes: the session, user and roles, the campaign, the counts per
    # block and state, the page of rows (with progress and lateness) and their last events.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("campaigns:campaign_dashboard", args=[campaign.year]))
    assert response.context["page_obj"].paginator.count == size


def test_the_worklist_costs_the_same_for_120_units(
    client, appraiser, season, django_assert_max_num_queries
):
    campaign, size = season
    AppraiserAssignment.objects.bulk_create(
        AppraiserAssignment(campaign=campaign, unit_id=unit_id, appraiser=appraiser)
        for unit_id in campaign.assessments.values_list("unit_id", flat=True)
    )
    client.force_login(appraiser)
    # Measured 7: the session, user and roles, the assignments, the files with progress.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("assessments:appraisal_list"))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("action", ["start_appraisal", "return", "finalise"])
def test_a_bulk_preview_costs_the_same_for_120_units(
    client, staff, season, action, django_assert_max_num_queries
):
    campaign, size = season
    client.force_login(staff)
    # Measured 8 or 9: the session, user and roles, the campaign, the candidates and their
    # blocks, and the step's own check (one query for every file: leaves not appraised).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("campaigns:campaign_bulk", args=[campaign.year, action]))
    plan = response.context["plan"]
    in_appraisal = size - size // 3
    assert plan.total == (size // 3 if action == "start_appraisal" else in_appraisal)
    if action != "start_appraisal":
        assert len(plan.movable) == size // 3  # the fully appraised third


def test_the_results_page_costs_the_same_for_120_units(
    client, staff, season, django_assert_max_num_queries
):
    campaign, size = season
    results_compute(campaign=campaign)
    client.force_login(staff)
    # Measured 13: 10 before the block statistics and last year's source (the tiers,
    # the imported tables, the previous campaign), the same at 12 and 120 units.
    with django_assert_max_num_queries(13):
        response = client.get(
            reverse("campaigns:campaign_results", args=[campaign.year, "so"]) + "?sort=change"
        )
    assert len(response.context["results"].rows) == size
