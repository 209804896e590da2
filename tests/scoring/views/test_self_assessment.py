"""The unit's assessment screens: access for every persona, each method's input, evidence,
review and submission, deadlines, and a fixed number of queries for the sheet."""

import datetime
import hashlib
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, AssessmentEvent, Campaign, Criterion, Evidence, Score
from scoring.services.evidence import evidence_attach
from scoring.services.self_assessment import SelfInput, assessment_submit, score_self_assess
from tests.factories import (
    make_assessment,
    make_block,
    make_campaign,
    make_framework,
    make_framework_tree,
)
from tests.scoring.conftest import fill_in, leaf, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


def sheet_url(assessment) -> str:
    return url("self_assessment", assessment.pk)


def upload(name: str = "Ke hoach CCHC 2016.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def attach(assessment, editor, code="1.1", data=PDF, name="ke-hoach.pdf", **metadata) -> Evidence:
    return evidence_attach(
        assessment=assessment,
        criterion=leaf(assessment, code),
        actor=editor,
        file=SimpleUploadedFile(name, data),
        name=name,
        **metadata,
    )


def complete(assessment, editor):
    """Everything submission needs: every leaf scored, 1.1's evidence explained."""
    fill_in(assessment, editor)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- access matrix ------------------------------------------------------------------------

VIEWERS = {"staff": 200, "assigned": 200, "editor_a": 200, "head_a": 200}
OUTSIDERS = ("unassigned", "editor_b", "head_b")
EVERYONE = (*VIEWERS, *OUTSIDERS, "anonymous")


@pytest.mark.parametrize("page", ["assessment_detail", "self_assessment", "submit"])
@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_see_each_page(as_persona, assessment, page, who):
    response = as_persona(who).get(url(page, assessment.pk))
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert "Sở GD&amp;ĐT" in response.content.decode()


@pytest.mark.parametrize("page", ["assessment_detail", "self_assessment", "submit"])
def test_an_unknown_assessment_is_404(client, staff, page):
    client.force_login(staff)
    assert client.get(url(page, 999999)).status_code == 404


@pytest.mark.parametrize(
    "page,method",
    [
        ("assessment_detail", "post"),
        ("self_assessment", "post"),
        ("submit", "put"),
        ("withdraw", "get"),
        ("reopen", "get"),
    ],
)
def test_a_wrong_method_is_405(client, assessment, head_a, page, method):
    client.force_login(head_a)
    assert getattr(client, method)(url(page, assessment.pk)).status_code == 405


def post_score(client, assessment, code, **fields):
    criterion = leaf(assessment, code)
    data = {f"s{criterion.pk}-{name}": value for name, value in fields.items()}
    return client.post(url("score_self", assessment.pk, criterion.pk), data)


# Who may post a score, attach or remove evidence: the unit's officers (head included).
ACTORS = {"editor_a": 302, "head_a": 302, "staff": 403, "assigned": 403}


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_score_a_leaf(as_persona, assessment, who):
    response = post_score(as_persona(who), assessment, "1.1", points="1.5")
    score = assessment.scores.filter(criterion__code="1.1").first()
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == ACTORS[who]
    assert (score is not None) == (ACTORS.get(who) == 302)


def test_scoring_bad_ids_and_methods(client, assessment, editor_a):
    client.force_login(editor_a)
    criterion = leaf(assessment, "1.1")
    assert client.get(url("score_self", assessment.pk, criterion.pk)).status_code == 405
    assert client.post(url("score_self", 999999, criterion.pk)).status_code == 404
    assert client.post(url("score_self", assessment.pk, 999999)).status_code == 404
    area = assessment.framework.criteria.get(code="1")  # not a leaf
    assert client.post(url("score_self", assessment.pk, area.pk)).status_code == 404
    districts = make_block(code="huyen", name="UBND cấp huyện", position=2)
    other = make_framework(year=2016, block=districts, name="Khác", leaves=1)
    foreign = other.criteria.get(code="1.1")
    assert client.post(url("score_self", assessment.pk, foreign.pk)).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_attach_evidence(as_persona, assessment, who):
    criterion = leaf(assessment, "1.1")
    response = as_persona(who).post(
        url("evidence_upload", assessment.pk, criterion.pk), {f"e{criterion.pk}-file": upload()}
    )
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == ACTORS[who]
    assert Evidence.objects.exists() == (ACTORS.get(who) == 302)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_remove_evidence(as_persona, assessment, editor_a, who):
    evidence = attach(assessment, editor_a)
    response = as_persona(who).post(url("evidence_remove", evidence.pk))
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == ACTORS[who]
    assert Evidence.objects.exists() != (ACTORS.get(who) == 302)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_download_evidence(as_persona, assessment, editor_a, who):
    evidence = attach(assessment, editor_a, name="Kế hoạch 12.pdf")
    response = as_persona(who).get(url("evidence_download", evidence.pk))
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert (
            "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%2012.pdf"
            in (response["Content-Disposition"])
        )


def test_evidence_bad_ids_and_methods(client, assessment, editor_a):
    client.force_login(editor_a)
    evidence = attach(assessment, editor_a)
    assert client.get(url("evidence_download", 999999)).status_code == 404
    assert client.post(url("evidence_remove", 999999)).status_code == 404
    assert client.post(url("evidence_download", evidence.pk)).status_code == 405
    assert client.get(url("evidence_remove", evidence.pk)).status_code == 405
    upload_url = url("evidence_upload", assessment.pk, leaf(assessment, "1.1").pk)
    assert client.get(upload_url).status_code == 405


def test_evidence_files_are_never_served_under_media(client, assessment, editor_a):
    evidence = attach(assessment, editor_a)
    client.force_login(editor_a)
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_a_missing_file_is_404_not_a_crash(client, assessment, editor_a, media_root):
    evidence = attach(assessment, editor_a)
    (media_root / evidence.file.name).unlink()
    client.force_login(editor_a)
    assert client.get(url("evidence_download", evidence.pk)).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_head_submits(as_persona, assessment, editor_a, head_a, who):
    complete(assessment, editor_a)
    response = as_persona(who).post(url("submit", assessment.pk))
    assessment.refresh_from_db()
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    elif who == "head_a":
        assert response.status_code == 302
        assert response["Location"] == url("assessment_detail", assessment.pk)
    else:
        assert response.status_code == 403
    assert (assessment.state == State.SUBMITTED) == (who == "head_a")


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_head_withdraws(as_persona, assessment, editor_a, head_a, who):
    complete(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    response = as_persona(who).post(url("withdraw", assessment.pk))
    assessment.refresh_from_db()
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    elif who == "head_a":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert (assessment.state == State.DRAFT) == (who == "head_a")


@pytest.mark.parametrize("who", EVERYONE)
def test_only_staff_reopen(as_persona, assessment, editor_a, head_a, who):
    complete(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    response = as_persona(who).post(
        url("reopen", assessment.pk), {"reason": "Đơn vị đề nghị bổ sung hồ sơ"}
    )
    assessment.refresh_from_db()
    if who == "anonymous":
        assert_login_redirect(response)
    elif who in OUTSIDERS:
        assert response.status_code == 404
    elif who == "staff":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert (assessment.state == State.DRAFT) == (who == "staff")


@pytest.mark.parametrize("action", ["submit", "withdraw", "reopen"])
def test_workflow_steps_on_an_unknown_assessment_are_404(client, staff, head_a, action):
    client.force_login(staff if action == "reopen" else head_a)
    assert client.post(url(action, 999999), {"reason": "x"}).status_code == 404


# -- the detail page ----------------------------------------------------------------------


def test_the_detail_page_shows_facts_progress_and_buttons(english_client, assessment, head_a):
    assessment.campaign.self_assessment_deadline = timezone.make_aware(
        datetime.datetime(2030, 11, 30, 17, 0)
    )
    assessment.campaign.save()
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=head_a,
        entry=SelfInput(points=D("2")),
    )
    english_client.force_login(head_a)
    page = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "Sở Giáo dục và Đào tạo" in page and "Chỉ số CCHC năm 2016" in page
    assert "30/11/2030" in page  # day first in English too, as Vietnamese pages write it
    assert "Scored or not applicable: <strong>1</strong> of <strong>3</strong>" in page
    assert f'href="{sheet_url(assessment)}#leaf-1.1">1.1</a>' in page
    assert f'action="{url("submit", assessment.pk)}"' in page
    assert f'action="{url("withdraw", assessment.pk)}"' not in page
    assert f'action="{url("reopen", assessment.pk)}"' not in page


def test_the_detail_page_lists_the_workflow_events(
    english_client, assessment, editor_a, head_a, staff
):
    complete(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    english_client.force_login(staff)
    page = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert f'action="{url("reopen", assessment.pk)}"' in page
    response = english_client.post(url("reopen", assessment.pk), {"reason": "Thiếu hồ sơ 1.1"})
    assert response.status_code == 302
    page = english_client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "Draft → Submitted" in page and "Submitted → Draft" in page
    assert "Thiếu hồ sơ 1.1" in page and "head_a" in page and "staff" in page


def test_reopening_without_a_reason_keeps_the_state_and_says_why(
    english_client, assessment, editor_a, head_a, staff
):
    complete(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    english_client.force_login(staff)
    response = english_client.post(url("reopen", assessment.pk), {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED
    assert not AssessmentEvent.objects.filter(action="reopen").exists()


def test_a_step_refused_by_the_state_shows_the_message(english_client, assessment, head_a):
    english_client.force_login(head_a)
    response = english_client.post(url("withdraw", assessment.pk))
    assert response.status_code == 200
    assert "cannot be moved by" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT


# -- the sheet: each method, each leaf on its own --------------------------------------


def test_the_sheet_shows_the_tree_and_a_form_per_scorable_leaf(
    english_client, assessment, editor_a
):
    english_client.force_login(editor_a)
    page = english_client.get(sheet_url(assessment)).content.decode()
    pks = {c.code: c.pk for c in assessment.framework.criteria.all()}
    for code in ("1.1", "1.2", "1.3", "2.1"):
        assert f'id="leaf-{code}"' in page
    # 1.1 direct: a text input for a decimal comma or point, its bounds and step beside it
    assert f'name="s{pks["1.1"]}-points"' in page
    assert 'type="number"' not in page and 'inputmode="decimal"' in page
    assert "From 0 to 2, in steps of 0.25." in page
    # 1.2 levels: one radio per level, with its points; it may be not applicable
    assert page.count(f'name="s{pks["1.2"]}-level"') == 3
    assert "Chậm (0.5 points)" in page
    assert f'name="s{pks["1.2"]}-not_applicable"' in page
    assert f'name="s{pks["1.1"]}-not_applicable"' not in page
    # 1.3 ratio: two figures and the thresholds
    assert f'name="s{pks["1.3"]}-numerator"' in page and f'name="s{pks["1.3"]}-denominator"'
    assert "≥ 95%: 2; ≥ 80%: 1" in page
    # 2.1 survey: no input at all
    assert f'name="s{pks["2.1"]}-' not in page
    assert "scored from the survey" in page
    assert "Evidence required" in page and "May be not applicable" in page


@pytest.mark.parametrize(
    "code,fields,points,recorded",
    [
        ("1.1", {"points": "1.75", "explanation": "Kế hoạch 12/KH"}, D("1.75"), {}),
        ("1.2", {"level": "Chậm"}, D("0.5"), {"level": "Chậm"}),
        ("1.3", {"numerator": "90", "denominator": "100"}, D("1"), {"numerator": "90"}),
    ],
)
def test_each_method_saves_its_points_and_returns_to_the_leaf(
    english_client, assessment, editor_a, code, fields, points, recorded
):
    english_client.force_login(editor_a)
    response = post_score(english_client, assessment, code, **fields)
    assert response.status_code == 302
    assert response["Location"] == f"{sheet_url(assessment)}#leaf-{code}"
    score = assessment.scores.get(criterion__code=code)
    assert score.self_points == points
    assert recorded.items() <= score.self_input.items()
    assert score.updated_by == editor_a
    page = english_client.get(response["Location"]).content.decode()
    assert f"{code} saved: {points.normalize()} point" in page


def test_the_ratio_shows_its_percentage_and_points_after_saving(
    english_client, assessment, editor_a
):
    english_client.force_login(editor_a)
    post_score(english_client, assessment, "1.3", numerator="90", denominator="100")
    page = english_client.get(sheet_url(assessment)).content.decode()
    assert "Saved ratio: 90% → <strong>1 point</strong>" in page


@pytest.mark.parametrize("typed", ["1,75", "1.75", " 1,75 "])
def test_points_are_typed_with_a_decimal_comma_or_point(client, assessment, editor_a, typed):
    client.force_login(editor_a)
    response = post_score(client, assessment, "1.1", points=typed)
    assert response.status_code == 302
    assert assessment.scores.get(criterion__code="1.1").self_points == D("1.75")


def test_saved_points_are_shown_with_the_pages_decimal_separator(client, assessment, editor_a):
    client.force_login(editor_a)
    post_score(client, assessment, "1.1", points="1,75")
    post_score(client, assessment, "1.3", numerator="12,5", denominator="20")
    name = f"s{leaf(assessment, '1.1').pk}-points"
    html = client.get(sheet_url(assessment)).content.decode()
    assert f'name="{name}" value="1,75"' in html
    assert 'value="12,5"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(sheet_url(assessment)).content.decode()
    assert f'name="{name}" value="1.75"' in html


def test_a_refusal_writes_the_numbers_as_vietnamese_does(client, assessment, editor_a):
    client.force_login(editor_a)
    html = post_score(client, assessment, "1.1", points="1,1").content.decode()
    assert "Điểm được chấm theo bước điểm 0,25." in html
    assert 'value="1,1"' in html
    html = post_score(client, assessment, "1.1", points="2,5").content.decode()
    assert "Điểm phải từ 0 đến 2." in html
    assert not assessment.scores.exists()


def test_not_applicable_needs_a_reason_and_then_saves(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    response = post_score(english_client, assessment, "1.2", not_applicable="on")
    assert response.status_code == 200
    assert "Say why the criterion does not apply" in response.content.decode()
    assert not assessment.scores.exists()
    response = post_score(
        english_client, assessment, "1.2", not_applicable="on", na_reason="Không có chức năng"
    )
    assert response.status_code == 302
    score = assessment.scores.get(criterion__code="1.2")
    assert (score.not_applicable, score.self_points) == (True, None)


@pytest.mark.parametrize(
    "code,fields,message",
    [
        ("1.1", {"points": "1.1"}, "Points go in steps of 0.25."),
        ("1.1", {"points": "7"}, "Points must be between 0 and 2."),
        ("1.1", {"points": "abc"}, "Enter a number, e.g. 2.5."),
        ("1.2", {"level": "Sớm"}, "Select a valid choice."),
        ("1.3", {"numerator": "120", "denominator": "100"}, "0 ≤ numerator ≤ denominator"),
        ("1.3", {"numerator": "5"}, "Enter both figures of the ratio."),
        ("2.1", {"points": "3"}, "Survey criteria are scored from the survey results."),
    ],
)
def test_an_invalid_post_keeps_what_was_typed_and_writes_nothing(
    english_client, assessment, editor_a, code, fields, message
):
    english_client.force_login(editor_a)
    response = post_score(english_client, assessment, code, explanation="Đã nhập dở dang", **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if code != "2.1":
        assert "Đã nhập dở dang" in page  # the explanation typed is still there
        for name, value in fields.items():
            if name != "level":  # a level that does not exist has no radio to check
                assert f'value="{value}"' in page
    assert not Score.objects.exists()


def test_a_post_for_one_leaf_touches_nothing_else(english_client, assessment, editor_a):
    fill_in(assessment, editor_a)
    before = {s.criterion.code: (s.self_points, s.self_explanation) for s in Score.objects.all()}
    english_client.force_login(editor_a)
    other = leaf(assessment, "1.2")
    criterion = leaf(assessment, "1.1")
    response = english_client.post(
        url("score_self", assessment.pk, criterion.pk),
        {
            f"s{criterion.pk}-points": "1.5",
            f"s{other.pk}-level": "Không thực hiện",
            f"s{other.pk}-explanation": "không được đọc",
        },
    )
    assert response.status_code == 302
    after = {s.criterion.code: (s.self_points, s.self_explanation) for s in Score.objects.all()}
    assert after["1.1"][0] == D("1.5")
    assert after["1.2"] == before["1.2"] and after["1.3"] == before["1.3"]


def test_deductions_and_bonus_take_a_number_of_points(english_client, unit_a, editor_a):
    framework = make_framework_tree(year=2017, block=unit_a.block)
    campaign = make_campaign(year=2017, frameworks=(framework,))
    assessment = make_assessment(campaign=campaign, unit=unit_a)
    english_client.force_login(editor_a)
    page = english_client.get(sheet_url(assessment)).content.decode()
    assert "Points deducted" in page
    response = post_score(english_client, assessment, "3.1", points="0.5")
    assert response.status_code == 302
    assert assessment.scores.get(criterion__code="3.1").self_points == D("0.5")


# -- evidence -----------------------------------------------------------------------------


def post_upload(client, assessment, code, file, **metadata):
    criterion = leaf(assessment, code)
    data = {f"e{criterion.pk}-file": file}
    data.update({f"e{criterion.pk}-{name}": value for name, value in metadata.items()})
    return client.post(url("evidence_upload", assessment.pk, criterion.pk), data)


def test_an_uploaded_document_is_listed_with_its_metadata(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    response = post_upload(
        english_client,
        assessment,
        "1.1",
        upload(),
        document_number="12/KH-SGDĐT",
        document_date="05/01/2016",
        issuer="Sở Giáo dục và Đào tạo",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{sheet_url(assessment)}#leaf-1.1"
    evidence = Evidence.objects.get()
    assert evidence.document_date == datetime.date(2016, 1, 5)  # dd/mm/yyyy, even in English
    assert evidence.uploaded_by == editor_a
    page = english_client.get(response["Location"]).content.decode()
    assert "“Ke hoach CCHC 2016.pdf” attached to 1.1." in page
    assert "No. 12/KH-SGDĐT" in page and "05/01/2016" in page
    assert "Sở Giáo dục và Đào tạo ·" in page
    assert f"{len(PDF)}\xa0bytes" in page
    assert hashlib.sha256(PDF).hexdigest()[:12] in page
    assert url("evidence_download", evidence.pk) in page
    assert "dated outside" not in page


def test_a_document_dated_outside_the_year_is_flagged(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    post_upload(english_client, assessment, "1.1", upload(), document_date="20/12/2014")
    page = english_client.get(sheet_url(assessment)).content.decode()
    assert "dated outside 2016" in page


def test_evidence_can_be_attached_before_the_leaf_is_scored(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    post_upload(english_client, assessment, "1.2", upload())
    score = assessment.scores.get(criterion__code="1.2")
    assert score.self_points is None and score.evidence.count() == 1


@pytest.mark.parametrize(
    "name,content,setting,message",
    [
        ("ke-hoach.pdf", EXECUTABLE, None, "is not a PDF, an Office document"),
        ("lon.pdf", PDF, 50, "the largest accepted is 50"),
    ],
)
def test_a_refused_file_is_explained_and_nothing_is_written(
    english_client, assessment, editor_a, settings, media_root, name, content, setting, message
):
    if setting:
        settings.EVIDENCE_MAX_BYTES = setting
    english_client.force_login(editor_a)
    # The file is made here, not in the parameters: a posted file is closed after the
    # request, and a test must pass each time it runs in one process (tools/mutation.py).
    file = SimpleUploadedFile(name, content)
    response = post_upload(
        english_client, assessment, "1.2", file, document_number="99/BC", issuer="UBND"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="99/BC"' in page and 'value="UBND"' in page  # metadata kept
    assert not Evidence.objects.exists()
    assert not Score.objects.exists()  # the empty score made for the file is undone
    assert not (media_root / "evidence").exists()


def test_a_bad_date_is_refused_with_the_rest_kept(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    response = post_upload(english_client, assessment, "1.1", upload(), document_date="31/02/2016")
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not Evidence.objects.exists()


def test_removing_a_document(english_client, assessment, editor_a, media_root):
    evidence = attach(assessment, editor_a, name="cu.pdf")
    english_client.force_login(editor_a)
    response = english_client.post(url("evidence_remove", evidence.pk))
    assert response["Location"] == f"{sheet_url(assessment)}#leaf-1.1"
    assert not Evidence.objects.exists()
    page = english_client.get(response["Location"]).content.decode()
    assert "“cu.pdf” removed from 1.1." in page


def test_a_document_can_no_longer_be_removed_after_submission(
    english_client, assessment, editor_a, head_a
):
    evidence = attach(assessment, editor_a)
    complete(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    english_client.force_login(editor_a)
    response = english_client.post(url("evidence_remove", evidence.pk), follow=True)
    assert "can no longer be removed" in response.content.decode()
    assert Evidence.objects.exists()


# -- review, submission, deadlines --------------------------------------------------------


def test_the_review_shows_totals_per_area_and_what_is_missing(
    english_client, assessment, editor_a, head_a
):
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=editor_a,
        entry=SelfInput(points=D("1.5")),
    )
    english_client.force_login(head_a)
    page = english_client.get(url("submit", assessment.pk)).content.decode()
    assert "1.1: attach evidence or explain why there is none." in page
    assert "1.2: not scored yet." in page and "1.3: not scored yet." in page
    # Area 1: 1.5 of the 5 self-assessed points; area 2 is all survey (5).
    assert '<td class="num" data-label="Self-assessed points">1.5</td>' in page
    assert '<td class="num" data-label="Applicable maximum">5</td>' in page
    assert '<td class="num" data-label="From the survey (at most)">5</td>' in page
    assert "Submit the self-assessment" in page


def test_a_refused_submission_lists_what_is_missing_then_it_is_accepted(
    english_client, assessment, editor_a, head_a
):
    english_client.force_login(head_a)
    response = english_client.post(url("submit", assessment.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The self-assessment was not submitted." in page
    assert "1.1: not scored yet." in page
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT

    complete(assessment, editor_a)
    response = english_client.post(url("submit", assessment.pk), follow=True)
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED
    page = response.content.decode()
    assert "The self-assessment was submitted." in page
    assert f'action="{url("withdraw", assessment.pk)}"' in page


def test_a_submitted_assessment_is_read_only(english_client, assessment, editor_a, head_a):
    complete(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    english_client.force_login(editor_a)
    page = english_client.get(sheet_url(assessment)).content.decode()
    assert "has been submitted" in page
    assert 'name="s' not in page and "evidence_upload" not in page
    assert "Kế hoạch số 12/KH ngày 05/01" in page  # values are shown, read-only
    response = post_score(english_client, assessment, "1.1", points="1")
    assert response.status_code == 200
    assert "The self-assessment is closed" in response.content.decode()
    assert assessment.scores.get(criterion__code="1.1").self_points == D("2")


def test_the_deadline_closes_editing(english_client, assessment, editor_a, head_a):
    fill_in(assessment, editor_a)
    campaign = assessment.campaign
    campaign.self_assessment_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    english_client.force_login(editor_a)
    page = english_client.get(sheet_url(assessment)).content.decode()
    assert "deadline has passed" in page
    assert 'type="number"' not in page and 'type="file"' not in page
    response = post_score(english_client, assessment, "1.1", points="0.5")
    assert response.status_code == 200
    assert "The self-assessment is closed" in response.content.decode()
    assert assessment.scores.get(criterion__code="1.1").self_points == D("2")
    response = post_upload(english_client, assessment, "1.1", upload())
    assert "Evidence can be added during self-assessment or explanation only." in (
        response.content.decode()
    )
    english_client.force_login(head_a)
    response = english_client.post(url("submit", assessment.pk))
    assert "The self-assessment deadline has passed." in response.content.decode()


def test_staff_see_the_sheet_read_only(english_client, assessment, editor_a, staff):
    fill_in(assessment, editor_a)
    english_client.force_login(staff)
    page = english_client.get(sheet_url(assessment)).content.decode()
    assert "Only the unit's officers fill in its self-assessment" in page
    assert 'type="number"' not in page
    assert "90 / 100 = 90%" in page


def test_an_appraised_assessment_is_still_readable_by_its_unit(
    client, assessment, editor_a, head_a, staff
):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    client.force_login(editor_a)
    assert client.get(sheet_url(assessment)).status_code == 200


# -- entry points and queries -------------------------------------------------------------


def test_unit_members_find_their_open_assessment_on_home_and_in_the_menu(
    client, assessment, editor_a, editor_b
):
    Campaign.objects.filter(pk=assessment.campaign_id).update(
        status=Campaign.Status.SELF_ASSESSMENT
    )
    link = f'href="{url("assessment_detail", assessment.pk)}"'
    client.force_login(editor_a)
    page = client.get(reverse("home")).content.decode()
    assert page.count(link) == 3  # the menu, "to do" (its next step) and "your work"
    client.force_login(editor_b)
    assert link not in client.get(reverse("home")).content.decode()


def test_a_campaign_not_open_gives_no_link(client, assessment, editor_a):
    Campaign.objects.filter(pk=assessment.campaign_id).update(status=Campaign.Status.PUBLISHED)
    client.force_login(editor_a)
    page = client.get(reverse("home")).content.decode()
    assert url("assessment_detail", assessment.pk) not in page


def sized_assessment(unit, editor, leaves: int) -> Assessment:
    """An assessment of `leaves` direct leaves, every one scored with one document."""
    framework = make_framework(year=2016, block=unit.block, leaves=leaves)
    campaign = make_campaign(year=2016, frameworks=(framework,))
    assessment = make_assessment(campaign=campaign, unit=unit)
    criteria = Criterion.objects.filter(framework=framework, children__isnull=True)
    scores = Score.objects.bulk_create(
        Score(assessment=assessment, criterion=criterion, self_points=D("1"))
        for criterion in criteria
    )
    Evidence.objects.bulk_create(
        Evidence(
            score=score,
            file=f"evidence/2016/{i:064x}",
            original_name=f"tai-lieu-{i}.pdf",
            content_type="application/pdf",
            size=1024,
            sha256=f"{i:064x}",
            document_date=datetime.date(2015 if i % 2 else 2016, 3, 1),
            uploaded_by=editor,
        )
        for i, score in enumerate(scores)
    )
    return assessment


@pytest.mark.parametrize("leaves", [10, 100])
@pytest.mark.parametrize("who", ["editor_a", "staff"])
def test_the_sheet_takes_a_fixed_number_of_queries(
    client, unit_a, editor_a, staff, django_assert_max_num_queries, leaves, who
):
    assessment = sized_assessment(unit_a, editor_a, leaves)
    client.force_login(editor_a if who == "editor_a" else staff)
    # session, user, assessment, roles (2), criteria, scores, evidence, and the page's
    # shell: province, the member's units and open assessments (none for staff).
    with django_assert_max_num_queries(11):
        response = client.get(sheet_url(assessment))
    assert response.status_code == 200
    assert response.content.decode().count('class="evidence-name"') == leaves


@pytest.mark.parametrize("leaves", [10, 100])
@pytest.mark.parametrize("page,queries", [("assessment_detail", 14), ("submit", 14)])
def test_the_other_pages_take_a_fixed_number_of_queries(
    client, unit_a, head_a, django_assert_max_num_queries, leaves, page, queries
):
    assessment = sized_assessment(unit_a, head_a, leaves)
    client.force_login(head_a)
    # The sheet's queries plus the events (detail) or submission_problems' own (review);
    # the overview also asks the submit button's checks (submission_problems' two).
    with django_assert_max_num_queries(queries):
        assert client.get(url(page, assessment.pk)).status_code == 200
