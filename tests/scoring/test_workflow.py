"""The assessment workflow: every transition legal and illegal, its checks, and its side effects."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.utils import timezone

from scoring.access import assessment_access
from scoring.models import Assessment, AssessmentEvent, Campaign
from scoring.services.appraisal import (
    appraiser_assign,
    assessment_finalise,
    assessment_return,
    assessment_start_appraisal,
    score_accept_reply,
    score_appraise,
    scores_accept,
)
from scoring.services.explanation import assessment_explain, score_reply
from scoring.services.score_changes import AssessmentError
from scoring.services.self_assessment import (
    SelfInput,
    assessment_reopen,
    assessment_submit,
    assessment_withdraw,
    score_self_assess,
    submission_problems,
)
from scoring.workflow import (
    TRANSITIONS,
    WorkflowError,
    assessment_transition,
    available_transitions,
    campaign_publish,
)
from tests.scoring.conftest import fill_in, leaf, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State
# -- the table ------------------------------------------------------------------------


ACTORS = ("staff", "appraiser", "head", "editor", "outsider")
# Who may make which transition from which state, written out by hand from DESIGN.md's
# workflow (the head submits, withdraws and sends the explanation; staff reopen; staff
# and the unit's appraiser start, return and finalise the appraisal). Every other
# (action, state, actor) is refused. Derived from nothing in the code under test.
WHO_MAY = {
    ("submit", "draft"): {"head"},
    ("withdraw", "submitted"): {"head"},
    ("reopen", "submitted"): {"staff"},
    ("reopen", "in_appraisal"): {"staff"},
    ("start_appraisal", "submitted"): {"staff", "appraiser"},
    ("return", "in_appraisal"): {"staff", "appraiser"},
    ("explain", "returned"): {"head"},
    # A late unit: staff submit for it, appraise it unsubmitted, or close its explanation.
    ("submit_for", "draft"): {"staff"},
    ("appraise_unsubmitted", "draft"): {"staff"},
    ("close_explanation", "returned"): {"staff"},
    ("finalise", "in_appraisal"): {"staff", "appraiser"},
    ("finalise", "explained"): {"staff", "appraiser"},
}


def test_the_table_of_who_may_covers_every_transition():
    """A new transition must be added to WHO_MAY by hand before its cases can pass."""
    assert {action for action, _state in WHO_MAY} == set(TRANSITIONS)


PAST = timezone.now() - datetime.timedelta(days=1)


def let_checks_pass(assessment, action, editor) -> None:
    """Meet the checks of `action` (workflow_checks), so that only roles and states decide."""
    if action == "submit":
        fill_in(assessment, editor)
    campaign = assessment.campaign
    if action in ("submit_for", "appraise_unsubmitted"):
        campaign.self_assessment_deadline = PAST
    if action == "close_explanation":
        campaign.explanation_deadline = PAST
    campaign.save()


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", [s for s in State.values if s != State.PUBLISHED])
@pytest.mark.parametrize("who", ACTORS)
def test_every_transition_is_allowed_only_from_its_states_to_its_roles(
    assessment, staff, assigned, head_a, editor_a, head_b, action, state, who
):
    actor = {
        "staff": staff,
        "appraiser": assigned,
        "head": head_a,
        "editor": editor_a,
        "outsider": head_b,
    }[who]
    transition = TRANSITIONS[action]
    let_checks_pass(assessment, action, editor_a)
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    assessment.refresh_from_db()
    # The expectation comes from the hand-written table below, never from TRANSITIONS.
    legal = who in WHO_MAY.get((action, state), ())
    if legal:
        assessment_transition(assessment=assessment, action=action, actor=actor, reason="Lý do")
        assessment.refresh_from_db()
        assert assessment.state == transition.target
        event = AssessmentEvent.objects.get(assessment=assessment)
        assert (event.from_state, event.to_state, event.actor) == (state, transition.target, actor)
    else:
        with pytest.raises(WorkflowError):
            assessment_transition(assessment=assessment, action=action, actor=actor, reason="Lý do")
        assessment.refresh_from_db()
        assert assessment.state == state
        assert not AssessmentEvent.objects.exists()


def test_an_unknown_action_is_refused(assessment, head_a):
    with pytest.raises(WorkflowError):
        assessment_transition(assessment=assessment, action="publish_now", actor=head_a)


# -- self-assessment and submission -----------------------------------------------------


def test_each_method_turns_the_units_input_into_points(assessment, editor_a):
    fill_in(assessment, editor_a)
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    assert scores["1.1"].self_points == D("2")
    assert (scores["1.2"].self_points, scores["1.2"].self_input) == (D("1"), {"level": "Đúng hạn"})
    assert scores["1.3"].self_points == D("1")  # 90 % reaches the 80 % threshold
    assert scores["1.3"].self_input == {"numerator": "90", "denominator": "100"}


@pytest.mark.parametrize(
    "code,entry,message",
    [
        ("1.1", SelfInput(points=D("2.5")), "between 0 and 2"),
        ("1.1", SelfInput(points=D("1.1")), "steps of 0.25"),
        ("1.2", SelfInput(level="Sớm"), "listed levels"),
        ("1.3", SelfInput(numerator=D("5"), denominator=D("0")), "denominator above 0"),
        ("1.3", SelfInput(numerator=D("5")), "both figures"),
        ("1.1", SelfInput(not_applicable=True, na_reason="x"), "applies to every unit"),
        ("1.2", SelfInput(not_applicable=True), "Say why"),
        ("2.1", SelfInput(points=D("1")), "survey results"),
    ],
)
def test_a_bad_entry_is_refused_and_changes_nothing(
    assessment, editor_a, english, code, entry, message
):
    with pytest.raises(AssessmentError, match=message):
        score_self_assess(
            assessment=assessment, criterion=leaf(assessment, code), actor=editor_a, entry=entry
        )
    assert not assessment.scores.exists()


def test_only_the_units_officers_may_score_it(assessment, editor_b, appraiser, staff):
    for actor in (editor_b, appraiser, staff):
        with pytest.raises(AssessmentError):
            score_self_assess(
                assessment=assessment,
                criterion=leaf(assessment, "1.1"),
                actor=actor,
                entry=SelfInput(points=D("1")),
            )


def test_submission_lists_everything_missing_until_complete(assessment, editor_a, head_a, english):
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=editor_a,
        entry=SelfInput(points=D("2")),
    )
    assert submission_problems(assessment) == [
        "1.1: attach evidence or explain why there is none.",
        "1.2: not scored yet.",
        "1.3: not scored yet.",
    ]
    with pytest.raises(WorkflowError) as refused:
        assessment_submit(assessment=assessment, actor=head_a)
    assert "1.2: not scored yet." in str(refused.value)
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
    fill_in(assessment, editor_a)
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.2"),
        actor=editor_a,
        entry=SelfInput(not_applicable=True, na_reason="Không có chức năng này"),
    )
    assessment_submit(assessment=assessment, actor=head_a)
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED and assessment.submitted_at is not None


def test_editing_closes_at_the_deadline_and_after_submission(assessment, editor_a, head_a, english):
    fill_in(assessment, editor_a)
    campaign = assessment.campaign
    campaign.self_assessment_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    assessment.refresh_from_db()
    with pytest.raises(AssessmentError, match="closed"):
        score_self_assess(
            assessment=assessment,
            criterion=leaf(assessment, "1.1"),
            actor=editor_a,
            entry=SelfInput(points=D("1")),
        )
    with pytest.raises(WorkflowError, match="deadline has passed"):
        assessment_submit(assessment=assessment, actor=head_a)


def test_a_withdrawn_assessment_can_be_edited_again(assessment, editor_a, head_a):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    with pytest.raises(AssessmentError):
        score_self_assess(
            assessment=assessment,
            criterion=leaf(assessment, "1.1"),
            actor=editor_a,
            entry=SelfInput(points=D("1")),
        )
    assessment_withdraw(assessment=assessment, actor=head_a)
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=editor_a,
        entry=SelfInput(points=D("1.75"), explanation="Bổ sung sau"),
    )


def test_staff_reopen_only_with_a_reason(assessment, editor_a, head_a, staff):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    with pytest.raises(WorkflowError):
        assessment_reopen(assessment=assessment, actor=staff, reason="  ")
    assessment_reopen(assessment=assessment, actor=staff, reason="Đơn vị đề nghị bổ sung")
    event = AssessmentEvent.objects.get(action="reopen")
    assert event.reason == "Đơn vị đề nghị bổ sung" and event.to_state == State.DRAFT


# -- appraisal, explanation, finalisation -----------------------------------------------


def test_an_appraiser_cannot_be_assigned_to_a_unit_they_work_for(assessment, staff, unit_a):
    from tests.factories import APPRAISER_GROUP, make_user

    insider = make_user(groups=(APPRAISER_GROUP,), unit=unit_a)
    with pytest.raises(AssessmentError):
        appraiser_assign(campaign=assessment.campaign, unit=unit_a, appraiser=insider, actor=staff)


def test_an_appraiser_assigned_to_one_area_appraises_only_that_area(
    assessment, editor_a, head_a, staff, appraiser, english
):
    appraiser_assign(
        campaign=assessment.campaign,
        unit=assessment.unit,
        appraiser=appraiser,
        area_code="2",
        actor=staff,
    )
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    assessment_start_appraisal(assessment=assessment, actor=staff)
    assert assessment_access(appraiser, assessment).areas == frozenset({"2"})
    score = assessment.scores.get(criterion__code="1.1")
    with pytest.raises(AssessmentError, match="not assigned"):
        score_appraise(score=score, actor=appraiser, points=D("2"))


def test_lowering_a_claim_needs_a_note(assessment, editor_a, head_a, staff, assigned, english):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    score = assessment.scores.get(criterion__code="1.1")
    with pytest.raises(AssessmentError, match="Write a note"):
        score_appraise(score=score, actor=assigned, points=D("1"))
    score_appraise(
        score=score, actor=assigned, points=D("1"), note="Kế hoạch ban hành chậm 10 ngày"
    )
    score.refresh_from_db()
    assert (score.appraised_points, score.appraisal_note) == (
        D("1"),
        "Kế hoạch ban hành chậm 10 ngày",
    )


def test_a_whole_cycle_keeps_every_change_with_who_and_why(
    assessment, editor_a, head_a, staff, assigned
):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    lowered = assessment.scores.get(criterion__code="1.1")
    score_appraise(score=lowered, actor=assigned, points=D("1"), note="Thiếu tài liệu")
    others = [leaf(assessment, "1.2").pk, leaf(assessment, "1.3").pk]
    assert scores_accept(assessment=assessment, actor=assigned, criterion_ids=others) == 2
    assessment_return(assessment=assessment, actor=assigned)
    lowered.refresh_from_db()
    score_reply(score=lowered, actor=editor_a, reply="Bổ sung Kế hoạch số 12/KH")
    assessment_explain(assessment=assessment, actor=head_a)
    lowered.refresh_from_db()
    score_accept_reply(score=lowered, actor=assigned, note="Chấp nhận giải trình")
    assessment_finalise(assessment=assessment, actor=assigned)

    finals = dict(assessment.scores.values_list("criterion__code", "final_points"))
    assert finals == {"1.1": D("2"), "1.2": D("1"), "1.3": D("1")}
    history = list(lowered.history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == [
        "self_assessment",
        "appraisal",
        "explanation",
        "reply_accepted",
    ]
    assert [h.history_user for h in history] == [editor_a, assigned, editor_a, assigned]
    assert [h.appraised_points for h in history] == [None, D("1"), D("1"), D("1")]
    assert [e.action for e in assessment.events.all()] == [
        "submit",
        "start_appraisal",
        "return",
        "explain",
        "finalise",
    ]


def test_return_needs_every_leaf_appraised(assessment, editor_a, head_a, staff, english):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    with pytest.raises(WorkflowError, match="1.1: not appraised yet"):
        assessment_return(assessment=assessment, actor=staff)


def test_replies_close_with_the_explanation_deadline(assessment, editor_a, head_a, staff):
    fill_in(assessment, editor_a)
    move_to(assessment, "returned", head=head_a, staff=staff)
    campaign = assessment.campaign
    campaign.explanation_deadline = timezone.now() - datetime.timedelta(seconds=1)
    campaign.save()
    score = assessment.scores.select_related("assessment__campaign").first()
    with pytest.raises(AssessmentError):
        score_reply(score=score, actor=editor_a, reply="Muộn")
    with pytest.raises(WorkflowError):
        assessment_explain(assessment=assessment, actor=head_a)


def test_staff_hear_of_a_submission_and_the_unit_of_its_return(
    assessment, editor_a, head_a, staff, django_capture_on_commit_callbacks
):
    staff.email, head_a.email = "snv@soctrang.gov.vn", "truongphong@sgddt.gov.vn"
    staff.save()
    head_a.save()
    fill_in(assessment, editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment, actor=head_a)
    assert [m.to for m in mail.outbox] == [["snv@soctrang.gov.vn"]]
    assert "Sở Giáo dục và Đào tạo" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assessment_start_appraisal(assessment=assessment, actor=staff)
        scores_accept(
            assessment=assessment,
            actor=staff,
            criterion_ids=list(assessment.framework.criteria.values_list("pk", flat=True)),
        )
        assessment_return(assessment=assessment, actor=staff)
    assert [m.to for m in mail.outbox[1:]] == [["truongphong@sgddt.gov.vn"]]


def test_no_withdrawal_or_reopening_after_the_deadline_strands_an_assessment(
    assessment, editor_a, head_a, staff, english
):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    campaign = assessment.campaign
    campaign.self_assessment_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    assessment.refresh_from_db()
    with pytest.raises(WorkflowError, match="extend this unit's deadline first"):
        assessment_withdraw(assessment=assessment, actor=head_a)
    with pytest.raises(WorkflowError, match="Extend the campaign's deadline first"):
        assessment_reopen(assessment=assessment, actor=staff, reason="Đơn vị đề nghị")
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED


def test_accepting_claims_after_the_explanation_makes_them_final(
    assessment, editor_a, head_a, staff
):
    fill_in(assessment, editor_a)
    move_to(assessment, "explained", head=head_a, staff=staff)
    score = assessment.scores.get(criterion__code="1.1")
    score_appraise(score=score, actor=staff, points=D("1"), note="Thiếu tài liệu")
    score.refresh_from_db()
    assert score.final_points == D("1")
    scores_accept(assessment=assessment, actor=staff, criterion_ids=[score.criterion_id])
    score.refresh_from_db()
    assert (score.appraised_points, score.final_points) == (D("2"), D("2"))


# -- publication and the answers of the workflow's functions ----------------------------


def test_campaign_publish_moves_only_the_appraised_with_an_event_each(assessment, unit_b, staff):
    other = Assessment.objects.create(
        campaign=assessment.campaign, unit=unit_b, framework=assessment.framework
    )
    Assessment.objects.filter(pk=assessment.pk).update(state=State.APPRAISED)

    moved = campaign_publish(campaign=assessment.campaign, actor=staff, reason="Quyết định 12")

    assert moved == 1
    assessment.refresh_from_db()
    other.refresh_from_db()
    assert (assessment.state, other.state) == (State.PUBLISHED, State.DRAFT)
    events = AssessmentEvent.objects.filter(action="publish").values_list(
        "assessment_id", "from_state", "to_state", "actor_id", "reason"
    )
    assert list(events) == [(assessment.pk, "appraised", "published", staff.pk, "Quyết định 12")]
    assessment.campaign.refresh_from_db()
    assessment.framework.refresh_from_db()
    assert assessment.campaign.status == Campaign.Status.PUBLISHED
    assert assessment.framework.locked


def test_campaign_publish_is_refused_to_a_unit_head(assessment, head_a):
    Assessment.objects.filter(pk=assessment.pk).update(state=State.APPRAISED)
    with pytest.raises(WorkflowError):
        campaign_publish(campaign=assessment.campaign, actor=head_a, reason="x")
    assessment.refresh_from_db()
    assert assessment.state == State.APPRAISED


def test_a_transition_answers_with_the_assessment_as_it_now_stands(assessment, staff):
    moved = assessment_transition(
        assessment=assessment,
        action="appraise_unsubmitted",
        actor=staff,
        reason="Quá hạn",
        waive_deadlines=True,
    )
    assert moved.pk == assessment.pk
    assert moved.state == assessment.state == State.IN_APPRAISAL


def test_the_buttons_offer_the_transitions_of_the_state_and_the_role(assessment, staff, head_a):
    def offered(user):
        return sorted(t.action for t in available_transitions(user, assessment))

    assert offered(head_a) == ["submit"]
    assert offered(staff) == ["appraise_unsubmitted", "submit_for"]
    Assessment.objects.filter(pk=assessment.pk).update(state=State.SUBMITTED)
    assessment.refresh_from_db()
    assert offered(head_a) == ["withdraw"]
    assert offered(staff) == ["reopen", "start_appraisal"]
