"""What a refused publication tells staff: every reason, each naming what to fix.

publication_refusals is read before anything is written (reports.services.publication);
these tests pin its answer word for word, in English, without rendering a PDF.
"""

import pytest

from reports.models import Decision
from reports.services.publication import NAMED_UNITS, publication_refusals
from scoring.models import Assessment, CampaignBlock
from tests.factories import make_assessment, make_block, make_campaign, make_framework, make_unit
from tests.reports.publication_data import appraised_campaign, draft_decision
from units.models import Province

PUBLISHED = Decision.Status.PUBLISHED
PUBLISHING = Decision.Status.PUBLISHING


@pytest.fixture
def story(db, english):
    return appraised_campaign()


def make_campaign_block(campaign, block) -> CampaignBlock:
    framework = make_framework(year=campaign.year, block=block)
    return CampaignBlock.objects.create(campaign=campaign, block=block, framework=framework)


def refusals_of(decision: Decision, **expected) -> list[str]:
    """The refusals of the decision as stored now (as the service reads it, under its lock)."""
    decision.refresh_from_db()
    return publication_refusals(decision, **expected)


def test_a_complete_draft_of_an_appraised_campaign_is_not_refused(story):
    assert refusals_of(draft_decision(story.campaign)) == []


def test_a_decision_being_published_is_refused_to_a_second_request_but_not_to_the_worker(story):
    publishing = draft_decision(story.campaign, status=PUBLISHING)

    assert refusals_of(publishing) == ["Decision 2491/QĐ-UBND is being published."]
    # The worker runs exactly that request; the decision is not "another one being published".
    assert refusals_of(publishing, expected=PUBLISHING) == []


def test_a_decision_no_longer_in_the_expected_state_is_refused_with_its_state(story):
    published = draft_decision(story.campaign, status=PUBLISHED)
    draft = draft_decision(story.campaign, number="2500/QĐ-UBND")

    assert refusals_of(published) == [
        "Decision 2491/QĐ-UBND is not a draft (Published): it cannot be published again."
    ]
    # A queued request cancelled (put back to draft) before the worker reached it.
    assert refusals_of(draft, expected=PUBLISHING) == [
        "Decision 2500/QĐ-UBND is not a draft (Draft): it cannot be published again."
    ]


def test_another_decision_of_the_campaign_being_published_is_named(story):
    draft_decision(story.campaign, number="2500/QĐ-UBND", status=PUBLISHING)
    draft = draft_decision(story.campaign)

    assert refusals_of(draft) == ["Decision 2500/QĐ-UBND of the same campaign is being published."]


def test_a_decision_of_another_campaign_being_published_is_no_obstacle(story):
    other = make_campaign(year=2014)
    draft_decision(other, number="900/QĐ-UBND", status=PUBLISHING)

    assert refusals_of(draft_decision(story.campaign)) == []


def test_a_decision_in_force_refuses_a_second_one_but_not_its_correction(story):
    in_force = draft_decision(story.campaign, status=PUBLISHED)
    second = draft_decision(story.campaign, number="2500/QĐ-UBND")
    correction = draft_decision(story.campaign, number="2600/QĐ-UBND", supersedes=in_force)

    assert refusals_of(second) == [
        "Decision 2491/QĐ-UBND already publishes the 2015 index; "
        "publish a correction of it instead."
    ]
    assert refusals_of(correction) == []


def test_a_correction_of_a_draft_is_refused(story):
    draft = draft_decision(story.campaign)
    correction = draft_decision(story.campaign, number="2600/QĐ-UBND", supersedes=draft)

    assert refusals_of(correction) == [
        "A correction must supersede a published decision of the same campaign."
    ]


def test_a_correction_of_another_campaigns_decision_is_refused(story):
    last_year = draft_decision(make_campaign(year=2014), number="1800/QĐ-UBND", status=PUBLISHED)
    correction = draft_decision(story.campaign, supersedes=last_year)

    assert refusals_of(correction) == [
        "A correction must supersede a published decision of the same campaign."
    ]


def test_a_campaign_without_blocks_is_refused_as_such(db, english):
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    draft = draft_decision(make_campaign(year=2015))

    assert refusals_of(draft) == ["The campaign has no blocks."]


def test_a_block_without_assessments_is_named(story):
    xa = make_block(code="xa", name="UBND cấp xã", position=3)
    make_campaign_block(story.campaign, xa)
    # A unit of the block assessed in another campaign does not count for this one.
    unit = make_unit(name="Xã An Hiệp", block=xa)
    other = make_campaign(year=2014, frameworks=(make_framework(year=2014, block=xa),))
    make_assessment(campaign=other, unit=unit, state=Assessment.State.APPRAISED)

    assert refusals_of(draft_decision(story.campaign)) == ["Block UBND cấp xã has no assessment."]


def test_pending_assessments_are_named_in_ranking_order_with_their_state(story):
    states = {
        "Thị xã Ngã Năm": Assessment.State.IN_APPRAISAL,
        "Sở Giao thông vận tải": Assessment.State.RETURNED,
        # Published by an earlier decision: final, so a correction publishes it again.
        "Huyện Long Phú": Assessment.State.PUBLISHED,
    }
    for name, state in states.items():
        Assessment.objects.filter(pk=story.assessments[name].pk).update(state=state)

    assert refusals_of(draft_decision(story.campaign)) == [
        "Not every assessment is appraised: Sở Giao thông vận tải (Returned for explanation); "
        "Thị xã Ngã Năm (In appraisal)."
    ]


def pending_communes(story, count: int) -> list[str]:
    """`count` communes with a submitted assessment, in the order they are named."""
    xa = make_block(code="xa", name="UBND cấp xã", position=3)
    make_campaign_block(story.campaign, xa)
    names = [f"Xã Thử nghiệm {n:02}" for n in range(1, count + 1)]
    for name in names:
        unit = make_unit(name=name, block=xa)
        make_assessment(campaign=story.campaign, unit=unit, state=Assessment.State.SUBMITTED)
    return names


def test_as_many_pending_units_as_are_named_are_all_named_without_a_count(story):
    names = pending_communes(story, NAMED_UNITS)

    [reason] = refusals_of(draft_decision(story.campaign))

    named = "; ".join(f"{name} (Submitted)" for name in names)
    assert reason == f"Not every assessment is appraised: {named}."


def test_pending_units_past_the_named_ones_are_counted(story):
    names = pending_communes(story, NAMED_UNITS + 3)

    [reason] = refusals_of(draft_decision(story.campaign))

    named = "; ".join(f"{name} (Submitted)" for name in names[:NAMED_UNITS])
    assert reason == f"Not every assessment is appraised: {named}; and 3 more."


def test_one_pending_unit_past_the_named_ones_is_counted(story):
    pending_communes(story, NAMED_UNITS + 1)

    [reason] = refusals_of(draft_decision(story.campaign))

    assert reason.endswith(" (Submitted); and 1 more.")
    assert NAMED_UNITS == 20  # staff read at most twenty names in the refusal


def test_every_reason_is_given_at_once(story):
    draft_decision(story.campaign, number="2500/QĐ-UBND", status=PUBLISHING)
    in_force = draft_decision(story.campaign, number="2400/QĐ-UBND", status=PUBLISHED)
    Assessment.objects.filter(pk=story.assessments["Huyện Long Phú"].pk).update(
        state=Assessment.State.DRAFT
    )
    draft = draft_decision(story.campaign)

    assert refusals_of(draft) == [
        "Decision 2500/QĐ-UBND of the same campaign is being published.",
        f"Decision {in_force.number} already publishes the 2015 index; "
        "publish a correction of it instead.",
        "Not every assessment is appraised: Huyện Long Phú (Draft).",
    ]
