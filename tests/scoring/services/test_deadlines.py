"""Deadlines: the campaign's, one unit's extension, closing self-assessment now, reminders."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from scoring import access
from scoring.models import Assessment, Campaign, DeadlineExtension
from scoring.services.deadlines import (
    DeadlineError,
    campaign_deadlines_set,
    campaign_reminders_send,
    deadline_extend,
    self_assessment_close,
)
from tests.factories import make_assessment
from tests.scoring.conftest import fill_in, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State


def hours(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=n)


def open_campaign(assessment, **deadlines) -> Campaign:
    Campaign.objects.filter(pk=assessment.campaign_id).update(
        status=Campaign.Status.SELF_ASSESSMENT, **deadlines
    )
    assessment.campaign.refresh_from_db()
    return assessment.campaign


def test_the_campaigns_deadlines_follow_the_phases(assessment, staff):
    campaign = assessment.campaign
    campaign_deadlines_set(
        campaign=campaign,
        actor=staff,
        self_assessment=hours(24),
        appraisal=hours(48),
        explanation=hours(72),
    )
    campaign.refresh_from_db()
    assert campaign.appraisal_deadline is not None
    for order in ((hours(48), hours(24), hours(72)), (hours(24), hours(72), hours(48))):
        with pytest.raises(DeadlineError):
            campaign_deadlines_set(
                campaign=campaign,
                actor=staff,
                self_assessment=order[0],
                appraisal=order[1],
                explanation=order[2],
            )
    assert Campaign.objects.get(pk=campaign.pk).appraisal_deadline == campaign.appraisal_deadline


def test_only_staff_set_deadlines(assessment, head_a):
    with pytest.raises(DeadlineError):
        campaign_deadlines_set(
            campaign=assessment.campaign,
            actor=head_a,
            self_assessment=hours(1),
            appraisal=None,
            explanation=None,
        )


def test_closing_self_assessment_now_closes_it_for_all_but_extended_units(
    assessment, unit_b, staff, editor_a
):
    other = make_assessment(campaign=assessment.campaign, unit=unit_b)
    campaign = open_campaign(assessment, self_assessment_deadline=hours(72))
    deadline_extend(
        assessment=other, phase="self_assessment", deadline=hours(96), reason="Lụt", actor=staff
    )
    before = timezone.now()
    self_assessment_close(campaign=campaign, actor=staff)
    campaign.refresh_from_db()
    assert before <= campaign.self_assessment_deadline <= timezone.now()
    assert campaign.status == Campaign.Status.APPRAISAL
    assessment.refresh_from_db()
    other.refresh_from_db()
    assert not access.self_assessment_open(assessment)
    assert access.self_assessment_open(other)
    with pytest.raises(DeadlineError):
        self_assessment_close(campaign=campaign, actor=staff)


def test_a_campaign_in_preparation_cannot_be_closed(assessment, staff):
    with pytest.raises(DeadlineError):
        self_assessment_close(campaign=assessment.campaign, actor=staff)


def test_an_extension_is_kept_with_who_when_and_why(assessment, staff):
    open_campaign(assessment, self_assessment_deadline=hours(-1))
    extension = deadline_extend(
        assessment=assessment,
        phase="self_assessment",
        deadline=hours(30),
        reason="Đơn vị có văn bản xin gia hạn số 15/CV",
        actor=staff,
    )
    assessment.refresh_from_db()
    assert assessment.self_assessment_extended_to == extension.deadline
    assert (extension.granted_by, extension.reason) == (
        staff,
        "Đơn vị có văn bản xin gia hạn số 15/CV",
    )
    assert extension.granted_at is not None


@pytest.mark.parametrize(
    "case",
    ["unit member", "no reason", "past", "before the campaign's", "no campaign deadline"],
)
def test_an_extension_is_refused_with_the_reason(assessment, staff, head_a, case):
    open_campaign(
        assessment, self_assessment_deadline=None if case == "no campaign deadline" else hours(10)
    )
    values = {
        "assessment": assessment,
        "phase": "self_assessment",
        "deadline": hours(20),
        "reason": "Lý do",
        "actor": staff,
    }
    values.update(
        {
            "unit member": {"actor": head_a},
            "no reason": {"reason": " "},
            "past": {"deadline": hours(-1)},
            "before the campaign's": {"deadline": hours(5)},
            "no campaign deadline": {},
        }[case]
    )
    with pytest.raises(DeadlineError):
        deadline_extend(**values)
    assert not DeadlineExtension.objects.exists()
    assessment.refresh_from_db()
    assert assessment.self_assessment_extended_to is None


def test_a_final_appraisal_has_no_deadline_left_to_extend(assessment, editor_a, head_a, staff):
    fill_in(assessment, editor_a)
    move_to(assessment, "appraised", head=head_a, staff=staff)
    open_campaign(assessment, explanation_deadline=hours(-1))
    with pytest.raises(DeadlineError):
        deadline_extend(
            assessment=assessment,
            phase="explanation",
            deadline=hours(5),
            reason="Lý do",
            actor=staff,
        )


def test_reminding_now_reaches_each_unit_before_its_own_deadline(
    assessment, unit_b, staff, editor_a, editor_b
):
    editor_a.email, editor_b.email = "a@sgddt.gov.vn", "b@sgtvt.gov.vn"
    editor_a.save()
    editor_b.save()
    other = make_assessment(campaign=assessment.campaign, unit=unit_b)
    # Far beyond the daily command's horizon: reminding now takes any deadline still ahead.
    open_campaign(assessment, self_assessment_deadline=hours(24 * 20))
    sent = campaign_reminders_send(campaign=assessment.campaign, actor=staff)
    assert {r.assessment for r in sent.reminded} == {assessment, other}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@sgddt.gov.vn", "b@sgtvt.gov.vn"]
    # After the campaign's deadline only the unit with an extension is still reminded.
    mail.outbox.clear()
    open_campaign(assessment, self_assessment_deadline=hours(-1))
    deadline_extend(
        assessment=other, phase="self_assessment", deadline=hours(30), reason="Lý do", actor=staff
    )
    sent = campaign_reminders_send(campaign=assessment.campaign, actor=staff)
    assert [r.assessment for r in sent.reminded] == [other]
    assert [m.to for m in mail.outbox] == [["b@sgtvt.gov.vn"]]
    assert (
        sent.reminded[0].deadline == Assessment.objects.get(pk=other.pk).self_assessment_extended_to
    )


def test_only_staff_remind(assessment, head_a):
    with pytest.raises(DeadlineError):
        campaign_reminders_send(campaign=assessment.campaign, actor=head_a)
