"""A file's overview: its next step, buttons that say why before a click, and the steps
staff take for a late unit (on its behalf, or giving it more time)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, AssessmentEvent, Campaign, DeadlineExtension, Score
from tests.scoring.conftest import fill_in, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


def hours(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=n)


def set_campaign(assessment, **fields) -> None:
    Campaign.objects.filter(pk=assessment.campaign_id).update(**fields)


def button(html: str, label: str) -> str:
    """The <button> tag holding `label`."""
    match = re.search(r"<button[^>]*>\s*" + re.escape(label), html)
    assert match, f"no button {label!r}"
    return match.group(0)


# -- the unit's next step and its buttons ------------------------------------------------------


def test_an_incomplete_file_shows_what_stops_the_submission_beside_the_button(
    english_client, assessment, editor_a, head_a
):
    fill_in(assessment, editor_a)
    Score.objects.filter(assessment=assessment, criterion__code="1.3").delete()
    english_client.force_login(head_a)
    html = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "disabled" in button(html, "Submit")
    assert 'id="why-submit"' in html and "1.3: not scored yet." in html
    assert "Fill in the self-assessment: 2 of 3 criteria scored." in html


def test_a_complete_file_offers_the_head_to_submit(english_client, assessment, editor_a, head_a):
    fill_in(assessment, editor_a)
    english_client.force_login(head_a)
    html = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "disabled" not in button(html, "Submit")
    assert "Every criterion is scored: review the self-assessment and submit it." in html
    assert url("submit", assessment.pk) in html


def test_after_the_deadline_the_unit_is_told_to_ask_for_more_time(
    english_client, assessment, editor_a, head_a
):
    fill_in(assessment, editor_a)
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    english_client.force_login(head_a)
    html = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "disabled" in button(html, "Submit")
    assert "The self-assessment deadline has passed." in html
    assert "ask the Interior Department for an extension" in html


def test_a_returned_file_tells_the_unit_to_reply(
    english_client, assessment, editor_a, head_a, staff
):
    """Issue 13: the overview said there was nothing to do when the file came back."""
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    score = assessment.scores.get(criterion__code="1.1")
    Score.objects.filter(assessment=assessment).update(appraised_points=0)
    Score.objects.filter(pk=score.pk).update(appraisal_note="Thiếu kế hoạch")
    Assessment.objects.filter(pk=assessment.pk).update(state=State.RETURNED)
    english_client.force_login(editor_a)
    html = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "The appraisal came back: reply to 3 criteria." in html
    assert url("explain", assessment.pk) in html


# -- staff and a late unit ----------------------------------------------------------------


def test_staff_see_the_late_unit_steps_disabled_while_the_unit_has_time(
    english_client, assessment, staff
):
    set_campaign(assessment, self_assessment_deadline=hours(5))
    english_client.force_login(staff)
    html = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "disabled" in button(html, "Submit on the unit&#x27;s behalf")
    assert "disabled" in button(html, "Appraise without a submission")
    assert "The unit can still submit itself until" in html


def test_staff_submit_for_a_late_unit_with_a_reason_the_unit_then_reads(
    client, assessment, editor_a, staff
):
    fill_in(assessment, editor_a)
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    client.force_login(staff)
    html = client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "disabled" not in button(html, "Nộp thay đơn vị")
    refused = client.post(url("submit_for", assessment.pk), {"submit_for-reason": ""})
    assert refused.status_code == 200
    assert refused.context["staff_steps"][0][1].errors["reason"]
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
    response = client.post(
        url("submit_for", assessment.pk), {"submit_for-reason": "Quá hạn 5 ngày, đã nhắc 2 lần"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED
    client.force_login(editor_a)
    html = client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert html.count("Quá hạn 5 ngày, đã nhắc 2 lần") == 2  # the notice and the history


def test_staff_give_a_unit_more_time_from_its_page(client, assessment, staff, editor_a):
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    client.force_login(staff)
    local = timezone.localtime(hours(48)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url("extend", assessment.pk),
        {"phase": "self_assessment", "deadline": local, "reason": "Công văn số 15/CV"},
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    assert (extension.granted_by, extension.reason) == (staff, "Công văn số 15/CV")
    client.force_login(editor_a)
    html = client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "Công văn số 15/CV" in html
    assert "mở cho cán bộ của đơn vị" in html  # editing is open again


def test_a_refused_extension_keeps_what_was_typed(english_client, assessment, staff):
    english_client.force_login(staff)
    response = english_client.post(
        url("extend", assessment.pk),
        {"phase": "self_assessment", "deadline": "2030-01-01T08:00", "reason": "Lũ lụt"},
    )
    assert response.status_code == 200
    assert "The campaign has no self-assessment deadline" in response.content.decode()
    assert "Lũ lụt" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize(
    "name", ["submit_for", "appraise_unsubmitted", "close_explanation", "extend"]
)
def test_only_staff_act_for_a_unit(client, assessment, head_a, assigned, head_b, name):
    set_campaign(assessment, self_assessment_deadline=hours(-1))
    for user, status in ((head_a, 403), (assigned, 403), (head_b, 404)):
        client.force_login(user)
        assert client.post(url(name, assessment.pk), {f"{name}-reason": "x"}).status_code == status
        assert client.get(url(name, assessment.pk)).status_code == 405
    assert not AssessmentEvent.objects.exists() and not DeadlineExtension.objects.exists()


# -- the appraisal page's buttons ------------------------------------------------------------


def test_returning_is_disabled_with_the_criteria_not_yet_appraised(
    english_client, assessment, editor_a, head_a, staff
):
    """Issue 12: "Return for explanation" listed 28 unappraised criteria only after a click."""
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    english_client.force_login(staff)
    html = english_client.get(url("appraise", assessment.pk)).content.decode()
    assert "disabled" in button(html, "Return for explanation")
    assert 'aria-describedby="why-return"' in html
    assert "1.1: not appraised yet." in html
    Score.objects.filter(assessment=assessment).update(appraised_points=0, appraisal_note="x")
    html = english_client.get(url("appraise", assessment.pk)).content.decode()
    assert "disabled" not in button(html, "Return for explanation")


def test_staff_go_back_from_a_file_to_its_campaigns_dashboard(client, assessment, staff, editor_a):
    dashboard = reverse("campaigns:campaign_dashboard", args=[assessment.campaign.year])
    client.force_login(staff)
    crumbs = client.get(url("assessment_detail", assessment.pk)).content.decode().split("</nav>")
    assert f'href="{dashboard}"' in next(part for part in crumbs if "breadcrumb" in part)
    client.force_login(editor_a)  # the unit's officers have no dashboard to go back to
    assert dashboard not in client.get(url("assessment_detail", assessment.pk)).content.decode()
