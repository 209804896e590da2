"""Steps for many units at once: the preview, and the step that checks each unit again."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from scoring.models import Assessment, AssessmentEvent, Campaign, Score
from scoring.services.bulk import assessments_bulk_transition, bulk_plan
from scoring.services.score_changes import AssessmentError
from tests.factories import make_campaign, make_framework, make_user
from tests.scoring.season_data import units_in_state
from units.models import Membership

pytestmark = pytest.mark.django_db
State = Assessment.State


@pytest.fixture
def season(db):
    framework = make_framework(year=2016, leaves=3)
    campaign = make_campaign(year=2016, frameworks=(framework,))
    ready = units_in_state(campaign, framework, count=2, state=State.IN_APPRAISAL)
    unfinished = units_in_state(
        campaign, framework, count=1, state=State.IN_APPRAISAL, appraised=False
    )
    draft = units_in_state(campaign, framework, count=1, state=State.DRAFT, appraised=False)
    return campaign, ready, unfinished[0], draft[0]


def test_the_preview_names_who_would_move_and_who_would_not(season, staff):
    campaign, ready, unfinished, draft = season
    plan = bulk_plan(campaign=campaign, action="return", actor=staff)
    assert {a.pk for a in plan.movable} == {a.pk for a in ready}
    [(refused, problems)] = plan.refused
    assert refused.pk == unfinished.pk
    assert problems == [f"1.{n}: chưa thẩm định." for n in (1, 2, 3)]
    # Files in other states are not the step's concern at all.
    assert draft.pk not in {a.pk for a in plan.movable} | {refused.pk}
    assert not AssessmentEvent.objects.exists()


def test_the_step_moves_each_unit_checked_again_and_reports_each(season, staff):
    campaign, ready, unfinished, _draft = season
    plan = bulk_plan(campaign=campaign, action="return", actor=staff)
    # Since the preview, one file lost an appraisal: it is refused, the other still moves.
    changed = ready[1]
    Score.objects.filter(assessment=changed, criterion__code="1.2").update(appraised_points=None)
    outcome = assessments_bulk_transition(
        campaign=campaign,
        action="return",
        actor=staff,
        assessment_ids=[a.pk for a in plan.movable],
    )
    assert [a.pk for a in outcome.moved] == [ready[0].pk]
    assert [(line.assessment.pk, line.problems) for line in outcome.refused] == [
        (changed.pk, ["1.2: chưa thẩm định."])
    ]
    states = dict(Assessment.objects.values_list("pk", "state"))
    assert states[ready[0].pk] == State.RETURNED
    assert states[changed.pk] == states[unfinished.pk] == State.IN_APPRAISAL
    event = AssessmentEvent.objects.get()
    assert (event.assessment_id, event.action, event.actor) == (ready[0].pk, "return", staff)


def test_finalising_many_sets_the_final_points_of_the_moved_only(season, staff):
    campaign, ready, unfinished, _draft = season
    outcome = assessments_bulk_transition(
        campaign=campaign,
        action="finalise",
        actor=staff,
        assessment_ids=[a.pk for a in (*ready, unfinished)],
    )
    assert {a.pk for a in outcome.moved} == {a.pk for a in ready}
    for assessment in ready:
        finals = Score.objects.filter(assessment=assessment).values_list(
            "final_points", "appraised_points"
        )
        assert all(final == appraised for final, appraised in finals)
        assert all(
            score.history.first().history_change_reason == "finalised"
            for score in Score.objects.filter(assessment=assessment)
        )
    assert not Score.objects.filter(assessment=unfinished, final_points__isnull=False).exists()


def test_the_units_hear_of_a_bulk_return_once_each(
    season, staff, django_capture_on_commit_callbacks
):
    campaign, ready, _unfinished, _draft = season
    for n, assessment in enumerate(ready):
        user = make_user(unit=assessment.unit, role=Membership.Role.HEAD)
        user.email = f"head{n}@example.vn"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assessments_bulk_transition(
            campaign=campaign, action="return", actor=staff, assessment_ids=[a.pk for a in ready]
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["head0@example.vn", "head1@example.vn"]


def test_closing_explanations_in_bulk_needs_a_reason(season, staff):
    campaign, ready, _unfinished, _draft = season
    Campaign.objects.filter(pk=campaign.pk).update(
        explanation_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    Assessment.objects.filter(pk__in=[a.pk for a in ready]).update(state=State.RETURNED)
    with pytest.raises(AssessmentError):
        assessments_bulk_transition(
            campaign=campaign,
            action="close_explanation",
            actor=staff,
            assessment_ids=[a.pk for a in ready],
        )
    outcome = assessments_bulk_transition(
        campaign=campaign,
        action="close_explanation",
        actor=staff,
        assessment_ids=[a.pk for a in ready],
        reason="Hết hạn giải trình",
    )
    assert len(outcome.moved) == 2


def test_only_staff_and_only_this_campaigns_files(season, staff, head_a, unit_a):
    campaign, ready, _unfinished, _draft = season
    with pytest.raises(AssessmentError):
        assessments_bulk_transition(
            campaign=campaign, action="return", actor=head_a, assessment_ids=[ready[0].pk]
        )
    other_year = make_framework(year=2017, block=ready[0].unit.block)
    elsewhere = units_in_state(
        make_campaign(year=2017, frameworks=(other_year,)),
        other_year,
        count=1,
        state=State.IN_APPRAISAL,
    )[0]
    outcome = assessments_bulk_transition(
        campaign=campaign, action="return", actor=staff, assessment_ids=[elsewhere.pk]
    )
    assert outcome.moved == [] and outcome.refused == []
    assert Assessment.objects.get(pk=elsewhere.pk).state == State.IN_APPRAISAL


def test_a_step_that_is_not_for_many_is_refused(season, staff):
    campaign, *_ = season
    with pytest.raises(AssessmentError):
        bulk_plan(campaign=campaign, action="submit_for", actor=staff)


@pytest.mark.parametrize("size", [12, 120])
def test_a_bulk_step_takes_a_fixed_number_of_queries(
    staff, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    framework = make_framework(year=2016, leaves=3)
    campaign = make_campaign(year=2016, frameworks=(framework,))
    files = units_in_state(campaign, framework, count=size, state=State.IN_APPRAISAL)
    ids = [a.pk for a in files]
    # The roles, this campaign's files, the rows locked with their units, their campaign and
    # blocks, the check (leaves not appraised), the UPDATE, the events (one INSERT while
    # they fit one batch), the savepoints, and the mails' recipients after the commit.
    with (
        django_assert_max_num_queries(12),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outcome = assessments_bulk_transition(
            campaign=campaign, action="return", actor=staff, assessment_ids=ids
        )
    assert len(outcome.moved) == size
