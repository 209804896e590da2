"""The steps for late units, the checks the workflow answers before a click, per-unit
deadlines, and the framework lock that follows the first file out of draft."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from scoring import access
from scoring.models import Assessment, AssessmentEvent, Campaign, Score
from scoring.services.appraisal import assessment_start_appraisal
from scoring.services.deadlines import deadline_extend
from scoring.services.explanation import assessment_explain
from scoring.services.self_assessment import assessment_submit, assessment_withdraw
from scoring.services.stragglers import (
    assessment_appraise_unsubmitted,
    assessment_close_explanation,
    assessment_submit_for,
)
from scoring.workflow import (
    WorkflowError,
    assessment_transition,
    campaign_publish,
    transitions_problems,
)
from tests.scoring.conftest import fill_in, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State


def hours(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=n)


def set_campaign(assessment, **fields) -> None:
    Campaign.objects.filter(pk=assessment.campaign_id).update(**fields)
    assessment.campaign.refresh_from_db()


# -- who may take the new steps, from where: written out by hand, not read from TRANSITIONS --

# action → (the one state it leaves, the state it reaches)
NEW_STEPS = {
    "submit_for": ("draft", "submitted"),
    "appraise_unsubmitted": ("draft", "in_appraisal"),
    "close_explanation": ("returned", "explained"),
}
# Only the Interior Department's staff act for a late unit; nobody else, whatever the state.
MAY_TAKE = {"staff": True, "appraiser": False, "head": False, "editor": False, "outsider": False}
STATES = ["draft", "submitted", "in_appraisal", "returned", "explained", "appraised"]


@pytest.mark.parametrize("action", sorted(NEW_STEPS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", sorted(MAY_TAKE))
def test_only_staff_take_the_late_unit_steps_and_only_from_their_state(
    assessment, staff, assigned, head_a, editor_a, head_b, action, state, who
):
    actor = {
        "staff": staff,
        "appraiser": assigned,
        "head": head_a,
        "editor": editor_a,
        "outsider": head_b,
    }[who]
    # Both deadlines have passed, so only the role and the state decide.
    set_campaign(assessment, self_assessment_deadline=hours(-2), explanation_deadline=hours(-1))
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    assessment.refresh_from_db()
    source, target = NEW_STEPS[action]
    allowed = MAY_TAKE[who] and state == source
    if allowed:
        assessment_transition(assessment=assessment, action=action, actor=actor, reason="Quá hạn")
        assessment.refresh_from_db()
        assert assessment.state == target
        event = AssessmentEvent.objects.get(assessment=assessment)
        assert (event.action, event.actor, event.reason) == (action, actor, "Quá hạn")
    else:
        with pytest.raises(WorkflowError):
            assessment_transition(
                assessment=assessment, action=action, actor=actor, reason="Quá hạn"
            )
        assessment.refresh_from_db()
        assert assessment.state == state
        assert not AssessmentEvent.objects.exists()


@pytest.mark.parametrize("action", sorted(NEW_STEPS))
def test_a_late_unit_step_needs_a_reason(assessment, staff, action):
    set_campaign(assessment, self_assessment_deadline=hours(-2), explanation_deadline=hours(-1))
    Assessment.objects.filter(pk=assessment.pk).update(state=NEW_STEPS[action][0])
    assessment.refresh_from_db()
    with pytest.raises(WorkflowError, match="nêu lý do"):
        assessment_transition(assessment=assessment, action=action, actor=staff, reason="  ")


# -- their deadlines ------------------------------------------------------------------------


def test_staff_cannot_submit_for_a_unit_that_still_has_time(assessment, staff, english):
    with pytest.raises(WorkflowError, match="no self-assessment deadline"):
        assessment_submit_for(assessment=assessment, actor=staff, reason="Quá hạn")
    set_campaign(assessment, self_assessment_deadline=hours(5))
    with pytest.raises(WorkflowError, match="can still submit itself until"):
        assessment_submit_for(assessment=assessment, actor=staff, reason="Quá hạn")
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    Assessment.objects.filter(pk=assessment.pk).update(self_assessment_extended_to=hours(3))
    assessment.refresh_from_db()
    with pytest.raises(WorkflowError, match="can still submit itself until"):
        assessment_submit_for(assessment=assessment, actor=staff, reason="Quá hạn")
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT


def test_submitting_for_a_late_unit_keeps_its_claims_and_opens_every_leaf(
    assessment, editor_a, staff
):
    fill_in(assessment, editor_a)
    Score.objects.filter(assessment=assessment, criterion__code="1.3").delete()
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    assessment_submit_for(assessment=assessment, actor=staff, reason="Đơn vị không nộp đúng hạn")
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED and assessment.submitted_at is not None
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    # The unit's own points stay; the leaf it left empty is there to be appraised from zero.
    assert scores["1.1"].self_points == D("2")
    assert scores["1.3"].self_points is None
    assert scores["1.3"].history.get().history_change_reason == "unsubmitted"
    assert "2.1" not in scores  # survey leaves come from the survey


def test_appraising_a_unit_that_submitted_nothing_starts_from_zero(assessment, staff):
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    assessment_appraise_unsubmitted(assessment=assessment, actor=staff, reason="Không nộp")
    assessment.refresh_from_db()
    assert assessment.state == State.IN_APPRAISAL
    scores = assessment.scores.order_by("criterion__sort_key")
    assert [s.criterion.code for s in scores] == ["1.1", "1.2", "1.3"]
    assert all(s.self_points is None and s.appraised_points is None for s in scores)
    # Nothing can be returned or finalised before every leaf is decided.
    problems = transitions_problems(assessments=[assessment], action="finalise", actor=staff)
    assert len(problems[assessment.pk]) == 3


def test_staff_close_an_explanation_only_once_the_unit_is_late(
    assessment, editor_a, head_a, staff, english
):
    fill_in(assessment, editor_a)
    move_to(assessment, "returned", head=head_a, staff=staff)
    set_campaign(assessment, explanation_deadline=hours(4))
    with pytest.raises(WorkflowError, match="can still send its explanation until"):
        assessment_close_explanation(assessment=assessment, actor=staff, reason="Quá hạn")
    set_campaign(assessment, explanation_deadline=hours(-1))
    assessment_close_explanation(assessment=assessment, actor=staff, reason="Quá hạn")
    assessment.refresh_from_db()
    assert assessment.state == State.EXPLAINED


# -- per-unit extensions -----------------------------------------------------------------------


def test_an_extension_reopens_editing_and_withdrawal_for_that_unit_only(
    assessment, editor_a, head_a, staff
):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    assessment.refresh_from_db()
    with pytest.raises(WorkflowError):
        assessment_withdraw(assessment=assessment, actor=head_a)
    deadline_extend(
        assessment=assessment,
        phase="self_assessment",
        deadline=hours(24),
        reason="Đơn vị bổ sung tài liệu",
        actor=staff,
    )
    assessment.refresh_from_db()
    assessment_withdraw(assessment=assessment, actor=head_a)
    assessment.refresh_from_db()
    assert access.self_assessment_open(assessment)
    assessment_submit(assessment=assessment, actor=head_a)
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED


def test_an_explanation_extension_lets_the_unit_send_after_the_campaigns_deadline(
    assessment, editor_a, head_a, staff
):
    fill_in(assessment, editor_a)
    move_to(assessment, "returned", head=head_a, staff=staff)
    set_campaign(assessment, explanation_deadline=hours(-1))
    assessment.refresh_from_db()
    assert not access.explanation_open(assessment)
    deadline_extend(
        assessment=assessment, phase="explanation", deadline=hours(6), reason="Ốm", actor=staff
    )
    assessment.refresh_from_db()
    assert access.explanation_open(assessment)
    assessment_explain(assessment=assessment, actor=head_a)
    assessment.refresh_from_db()
    assert assessment.state == State.EXPLAINED


def test_an_extension_never_shortens_a_phase(assessment, staff):
    """If the campaign's deadline later moves past an extension, the unit gets the later one."""
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    deadline_extend(
        assessment=assessment,
        phase="self_assessment",
        deadline=hours(2),
        reason="Lý do",
        actor=staff,
    )
    set_campaign(assessment, self_assessment_deadline=hours(48))
    assessment.refresh_from_db()
    assert (
        access.self_assessment_deadline(assessment) == assessment.campaign.self_assessment_deadline
    )


# -- what stops a step, asked before the click ----------------------------------------------


def test_the_reasons_shown_before_a_click_are_those_of_the_refusal(
    assessment, editor_a, head_a, english
):
    fill_in(assessment, editor_a)
    Score.objects.filter(assessment=assessment, criterion__code="1.2").delete()
    shown = transitions_problems(assessments=[assessment], action="submit", actor=head_a)
    assert shown[assessment.pk] == ["1.2: not scored yet."]
    with pytest.raises(WorkflowError) as refused:
        assessment_submit(assessment=assessment, actor=head_a)
    assert str(refused.value).splitlines() == shown[assessment.pk]


def test_many_files_are_checked_as_each_would_be_alone(
    assessment, editor_a, head_a, staff, unit_b, english
):
    fill_in(assessment, editor_a)
    others = [
        Assessment.objects.create(
            campaign=assessment.campaign, unit=unit, framework=assessment.framework
        )
        for unit in (unit_b,)
    ]
    files = [assessment, *others]
    one_by_one = {
        a.pk: transitions_problems(assessments=[a], action="submit_for", actor=staff)[a.pk]
        for a in files
    }
    together = transitions_problems(assessments=files, action="submit_for", actor=staff)
    assert together == one_by_one
    head_view = transitions_problems(assessments=files, action="submit", actor=head_a)
    assert head_view[assessment.pk] == []  # complete, and theirs
    assert head_view[others[0].pk] == ["You may not submit this assessment."]


# -- the framework lock --------------------------------------------------------------------


def test_the_framework_locks_when_the_first_file_leaves_draft(assessment, editor_a, head_a, staff):
    fill_in(assessment, editor_a)
    assert not assessment.framework.locked
    assessment_submit(assessment=assessment, actor=head_a)
    assessment.framework.refresh_from_db()
    assert assessment.framework.locked


def test_publication_locks_the_frameworks_for_good(assessment, staff):
    """Files loaded or imported straight into appraised never left draft by a step."""
    Assessment.objects.filter(pk=assessment.pk).update(state=State.APPRAISED)
    campaign_publish(campaign=assessment.campaign, actor=staff, reason="QĐ 1/QĐ-UBND")
    assessment.framework.refresh_from_db()
    assert assessment.framework.locked


def test_starting_an_appraisal_does_not_need_the_framework_unlocked(
    assessment, editor_a, head_a, staff
):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    assessment_start_appraisal(assessment=assessment, actor=staff)
    assessment.refresh_from_db()
    assert assessment.state == State.IN_APPRAISAL
