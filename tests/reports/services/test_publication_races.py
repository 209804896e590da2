"""Two publications of one campaign at once: the campaign's row lock lets one through.

Real races on PostgreSQL (tests/concurrency.py): forced once with the first
publication held in flight, then started together on fresh campaigns.
"""

import pytest

from reports.errors import PublicationError
from reports.models import Decision, PublishedResult
from reports.services.publication import decision_publish
from scoring.models import AssessmentEvent, Campaign
from tests.concurrency import InFlight, Racer, blocked_or_done, postgresql_only, race
from tests.reports.publication_data import appraised_campaign, draft_decision

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def publish(decision: Decision, actor):
    def work():
        return decision_publish(decision=Decision.objects.get(pk=decision.pk), actor=actor)

    return work


def two_drafts(year: int) -> tuple[Campaign, Decision, Decision]:
    campaign = appraised_campaign(year=year).campaign
    return (
        campaign,
        draft_decision(campaign, number=f"101/QĐ-UBND-{year}"),
        draft_decision(campaign, number=f"102/QĐ-UBND-{year}"),
    )


def check_published_once(campaign: Campaign, outcomes: list) -> None:
    published = [outcome for outcome in outcomes if isinstance(outcome, Decision)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, PublicationError)]
    assert (len(published), len(refused)) == (1, 1), outcomes
    winner = published[0]
    assert "already publishes" in str(refused[0]) or "đã công bố" in str(refused[0])
    in_force = Decision.objects.filter(campaign=campaign, status=Decision.Status.PUBLISHED)
    assert list(in_force.values_list("pk", flat=True)) == [winner.pk]
    # One set of frozen rows and one publishing event per assessment, not two.
    rows = PublishedResult.objects.filter(decision__campaign=campaign)
    assert set(rows.values_list("decision_id", flat=True)) == {winner.pk}
    assert rows.count() == campaign.assessments.count()
    events = AssessmentEvent.objects.filter(assessment__campaign=campaign, action="publish")
    assert events.count() == campaign.assessments.count()


def test_a_publication_in_flight_makes_the_second_wait_then_refuses_it(staff):
    campaign, first_draft, second_draft = two_drafts(2015)
    first = InFlight(publish(first_draft, staff)).start()
    second = Racer(publish(second_draft, staff))
    second.start()
    assert blocked_or_done(second) == "blocked"
    outcomes = [first.release(), second.outcome()]
    check_published_once(campaign, outcomes)
    assert outcomes[0].pk == first_draft.pk


def test_two_publications_of_one_campaign_started_together_publish_it_once(staff):
    for year in (2016, 2017):
        campaign, first_draft, second_draft = two_drafts(year)
        check_published_once(
            campaign, race(publish(first_draft, staff), publish(second_draft, staff))
        )
