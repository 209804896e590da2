"""A form posted after someone else saved the same leaf: refused, nothing lost.

The score, appraisal, accept-reply and reply forms carry the version they were opened
on; the bulk accept carries each ticked leaf's. The second writer is told who changed
the leaf and when, sees the saved values beside what they typed (still in the form),
and saves again, knowingly, to replace them.
"""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.services.appraisal import assessment_return, score_appraise, scores_accept
from scoring.services.explanation import assessment_explain, score_reply
from scoring.services.self_assessment import SelfInput, score_self_assess
from tests.scoring.conftest import fill_in, leaf, move_to

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


def opened_version(html: str, name: str) -> str:
    """The version a page's form carries, read as the browser would post it back."""
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)"', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def changed_by(html: str, code: str, who: str) -> bool:
    return bool(
        re.search(rf"{re.escape(code)} was changed by {who} at \d\d:\d\d since you opened it", html)
    )


@pytest.fixture
def in_appraisal(assessment, editor_a, head_a, staff, assigned):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    return assessment


@pytest.fixture
def returned(in_appraisal, assigned):
    score_appraise(
        score=in_appraisal.scores.get(criterion__code="1.1"),
        actor=assigned,
        points=D("1"),
        note="Kế hoạch ban hành chậm",
    )
    scores_accept(
        assessment=in_appraisal,
        actor=assigned,
        criterion_ids=[leaf(in_appraisal, "1.2").pk, leaf(in_appraisal, "1.3").pk],
    )
    assessment_return(assessment=in_appraisal, actor=assigned)
    in_appraisal.refresh_from_db()
    return in_appraisal


# -- the unit's score form ---------------------------------------------------------------------


def test_a_score_saved_by_another_officer_since_the_form_opened_is_not_overwritten(
    english_client, assessment, editor_a, head_a
):
    criterion = leaf(assessment, "1.1")
    prefix = f"s{criterion.pk}"
    english_client.force_login(editor_a)
    opened = opened_version(
        english_client.get(url("self_assessment", assessment.pk)).content.decode(),
        f"{prefix}-version",
    )
    assert opened == "0"  # not scored yet
    score_self_assess(
        assessment=assessment,
        criterion=criterion,
        actor=head_a,
        entry=SelfInput(points=D("2"), explanation="Kế hoạch số 12/KH"),
    )

    mine = {f"{prefix}-points": "1.5", f"{prefix}-explanation": "Kế hoạch số 15/KH"}
    response = english_client.post(
        url("score_self", assessment.pk, criterion.pk), {**mine, f"{prefix}-version": opened}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert changed_by(html, "1.1", "head_a")
    saved = assessment.scores.get(criterion=criterion)
    assert (saved.self_points, saved.self_explanation) == (D("2"), "Kế hoạch số 12/KH")
    # Both values on the page: theirs in the form, the saved one beside it.
    form = next(
        p.score_form
        for p in response.context["panels"]
        if p.row.leaf and p.row.leaf.criterion == criterion
    )
    assert (form["points"].value(), form["explanation"].value()) == ("1.5", "Kế hoạch số 15/KH")
    assert "Saved now" in html and "Kế hoạch số 12/KH" in html
    # Saving again, having seen both, replaces the saved entry.
    rebased = opened_version(html, f"{prefix}-version")
    assert rebased == str(saved.version) == "1"
    again = english_client.post(
        url("score_self", assessment.pk, criterion.pk), {**mine, f"{prefix}-version": rebased}
    )
    assert again.status_code == 302
    saved.refresh_from_db()
    assert (saved.self_points, saved.version) == (D("1.5"), 2)


def test_the_conflict_is_told_in_vietnamese(client, assessment, editor_a, head_a):
    criterion = leaf(assessment, "1.1")
    score_self_assess(
        assessment=assessment, criterion=criterion, actor=head_a, entry=SelfInput(points=D("2"))
    )
    client.force_login(editor_a)
    response = client.post(
        url("score_self", assessment.pk, criterion.pk),
        {f"s{criterion.pk}-points": "1", f"s{criterion.pk}-version": "0"},
    )
    html = response.content.decode()
    assert re.search(r"1\.1 đã được head_a thay đổi lúc \d\d:\d\d, sau khi bạn mở trang", html)
    assert "Giá trị đã lưu" in html


def test_a_post_without_a_version_saves_as_before(client, assessment, editor_a, head_a):
    """A page opened before versions existed (no hidden field) is not refused."""
    criterion = leaf(assessment, "1.1")
    score_self_assess(
        assessment=assessment, criterion=criterion, actor=head_a, entry=SelfInput(points=D("2"))
    )
    client.force_login(editor_a)
    response = client.post(
        url("score_self", assessment.pk, criterion.pk), {f"s{criterion.pk}-points": "1"}
    )
    assert response.status_code == 302
    assert assessment.scores.get(criterion=criterion).self_points == D("1")


# -- the appraisal form ------------------------------------------------------------------------


def test_an_appraisal_saved_by_another_appraiser_since_the_page_opened_is_not_overwritten(
    english_client, in_appraisal, assigned, staff
):
    score = in_appraisal.scores.get(criterion__code="1.1")
    english_client.force_login(staff)
    page = english_client.get(url("appraise", in_appraisal.pk)).content.decode()
    opened = opened_version(page, f"s{score.pk}-version")
    score_appraise(score=score, actor=assigned, points=D("1.5"), note="Thiếu phụ lục")

    mine = {f"s{score.pk}-points": "1.25", f"s{score.pk}-note": "Ban hành chậm"}
    response = english_client.post(
        url("appraise_score", in_appraisal.pk, score.pk), {**mine, f"s{score.pk}-version": opened}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert changed_by(html, "1.1", "appraiser")
    score.refresh_from_db()
    assert (score.appraised_points, score.appraisal_note) == (D("1.5"), "Thiếu phụ lục")
    form = next(row.form for row in response.context["sheet"].rows if row.score == score)
    assert (form["points"].value(), form["note"].value()) == ("1.25", "Ban hành chậm")
    assert form.conflict.appraised_points == D("1.5") and "Thiếu phụ lục" in html
    assert form.fields["points"].widget.attrs.get("autofocus")  # not the hidden version
    again = english_client.post(
        url("appraise_score", in_appraisal.pk, score.pk),
        {**mine, f"s{score.pk}-version": opened_version(html, f"s{score.pk}-version")},
    )
    assert again.status_code == 302
    score.refresh_from_db()
    assert score.appraised_points == D("1.25")


def test_accepting_leaves_another_appraised_since_the_page_opened_accepts_none(
    english_client, in_appraisal, assigned, staff
):
    english_client.force_login(staff)
    page = english_client.get(url("appraise", in_appraisal.pk)).content.decode()
    ticked = [leaf(in_appraisal, "1.2").pk, leaf(in_appraisal, "1.3").pk]
    versions = {f"version-{pk}": opened_version(page, f"version-{pk}") for pk in ticked}
    score_appraise(
        score=in_appraisal.scores.get(criterion__code="1.2"),
        actor=assigned,
        points=D("0.5"),
        note="Báo cáo chậm",
    )

    response = english_client.post(
        url("appraise_accept", in_appraisal.pk), {"criteria": ticked, **versions}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"Changed since you opened the page: 1\.2 by appraiser at \d\d:\d\d", html)
    appraised = dict(in_appraisal.scores.values_list("criterion__code", "appraised_points"))
    assert appraised == {"1.1": None, "1.2": D("0.5"), "1.3": None}
    # The ticks stay, and the page now carries the saved versions: accepting again is knowing.
    for pk in ticked:
        assert re.search(rf'name="criteria" value="{pk}" id="accept-{pk}"[^>]* checked', html)
    again = english_client.post(
        url("appraise_accept", in_appraisal.pk),
        {"criteria": ticked, **{name: opened_version(html, name) for name in versions}},
    )
    assert again.status_code == 302
    appraised = dict(in_appraisal.scores.values_list("criterion__code", "appraised_points"))
    assert appraised == {"1.1": None, "1.2": D("1"), "1.3": D("1")}


def test_the_accept_all_button_carries_the_versions_it_was_shown(client, in_appraisal, assigned):
    client.force_login(assigned)
    html = client.get(url("appraise", in_appraisal.pk)).content.decode()
    form = re.search(r'<form id="accept-unappraised".*?</form>', html, re.S).group(0)
    for code in ("1.1", "1.2", "1.3"):
        score = in_appraisal.scores.get(criterion__code=code)
        pk = score.criterion_id
        assert f'name="criteria" value="{pk}"' in form
        assert f'name="version-{pk}" value="{score.version}"' in form


def test_accepting_a_reply_changed_since_the_page_opened_is_refused(
    english_client, returned, editor_a, head_a, assigned, staff
):
    score = returned.scores.get(criterion__code="1.1")
    score_reply(score=score, actor=editor_a, reply="Kế hoạch số 12/KH")
    assessment_explain(assessment=returned, actor=head_a)
    english_client.force_login(staff)
    page = english_client.get(url("appraise", returned.pk)).content.decode()
    opened = opened_version(page, f"r{score.pk}-version")
    score_appraise(score=score, actor=assigned, points=D("1.5"), note="Chấp nhận một phần")

    response = english_client.post(
        url("appraise_accept_reply", returned.pk, score.pk),
        {f"r{score.pk}-note": "Chấp nhận", f"r{score.pk}-version": opened},
    )

    assert response.status_code == 200
    assert changed_by(response.content.decode(), "1.1", "appraiser")
    score.refresh_from_db()
    assert (score.final_points, score.appraisal_note) == (D("1.5"), "Chấp nhận một phần")


# -- the unit's reply ----------------------------------------------------------------------------


def test_a_reply_saved_by_another_officer_since_the_page_opened_is_not_overwritten(
    english_client, returned, editor_a, head_a
):
    score = returned.scores.get(criterion__code="1.1")
    english_client.force_login(editor_a)
    page = english_client.get(url("explain", returned.pk)).content.decode()
    opened = opened_version(page, f"s{score.pk}-version")
    score_reply(score=score, actor=head_a, reply="Đã có Kế hoạch số 12/KH")

    response = english_client.post(
        url("explain_reply", returned.pk, score.pk),
        {f"s{score.pk}-reply": "Kế hoạch ban hành ngày 05/01", f"s{score.pk}-version": opened},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert changed_by(html, "1.1", "head_a")
    score.refresh_from_db()
    assert score.unit_reply == "Đã có Kế hoạch số 12/KH"
    form = next(row.reply_form for row in response.context["sheet"].rows if row.score == score)
    assert form["reply"].value() == "Kế hoạch ban hành ngày 05/01"
    assert "Saved now" in html and "Đã có Kế hoạch số 12/KH" in html
