"""The appraisal screens: who may open them, what each post does or refuses, and their cost.

Personas: staff; the appraiser assigned to unit A and one who is not; the editor
and head of unit A; the editor and head of unit B; an anonymous visitor.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scoring.models import (
    AppraiserAssignment,
    Assessment,
    AssessmentEvent,
    Criterion,
    Score,
)
from scoring.services.appraisal import (
    appraiser_assign,
    assessment_return,
    score_appraise,
    scores_accept,
)
from scoring.services.explanation import assessment_explain, score_reply
from scoring.services.score_changes import AssessmentError
from scoring.services.self_assessment import assessment_submit
from tests.factories import (
    APPRAISER_GROUP,
    make_assessment,
    make_block,
    make_campaign,
    make_framework,
    make_unit,
    make_user,
)
from tests.scoring.conftest import fill_in, leaf, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State
PERSONAS = (
    "staff",
    "assigned",
    "unassigned",
    "editor_a",
    "head_a",
    "editor_b",
    "head_b",
    "anonymous",
)


@pytest.fixture
def in_appraisal(assessment, editor_a, head_a, staff, assigned):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    return assessment


@pytest.fixture
def returned(in_appraisal, assigned):
    """1.1 lowered from 2 to 1 with a note; 1.2 and 1.3 accepted; back with the unit."""
    assessment = in_appraisal
    score_appraise(
        score=assessment.scores.get(criterion__code="1.1"),
        actor=assigned,
        points=D("1"),
        note="Kế hoạch ban hành chậm",
    )
    scores_accept(
        assessment=assessment,
        actor=assigned,
        criterion_ids=[leaf(assessment, "1.2").pk, leaf(assessment, "1.3").pk],
    )
    assessment_return(assessment=assessment, actor=assigned)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def explained(returned, editor_a, head_a):
    score_reply(
        score=returned.scores.get(criterion__code="1.1"),
        actor=editor_a,
        reply="Kế hoạch số 12/KH ban hành đúng hạn",
    )
    assessment_explain(assessment=returned, actor=head_a)
    returned.refresh_from_db()
    return returned


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


def score_of(assessment, code: str) -> Score:
    return assessment.scores.get(criterion__code=code)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def check(response, expected):
    if expected == "login":
        assert_login_redirect(response)
    else:
        assert response.status_code == expected


# -- the access matrix ------------------------------------------------------------------

APPRAISE = {
    "staff": 200,
    "assigned": 200,
    "unassigned": 404,
    "editor_a": 403,
    "head_a": 403,
    "editor_b": 404,
    "head_b": 404,
    "anonymous": "login",
}
EXPLAIN = {**APPRAISE, "staff": 403, "assigned": 403, "editor_a": 200, "head_a": 200}
HISTORY = {**APPRAISE, "editor_a": 200, "head_a": 200}
WORKLIST = {**APPRAISE, "unassigned": 200, "editor_b": 403, "head_b": 403}
STAFF_ONLY = {persona: 403 for persona in PERSONAS} | {"staff": 200, "anonymous": "login"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_appraisal_page(as_persona, in_appraisal, persona):
    check(as_persona(persona).get(url("appraise", in_appraisal.pk)), APPRAISE[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_explanation_page(as_persona, returned, persona):
    check(as_persona(persona).get(url("explain", returned.pk)), EXPLAIN[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_history_page(as_persona, returned, persona):
    response = as_persona(persona).get(
        url("score_history", returned.pk, score_of(returned, "1.1").pk)
    )
    check(response, HISTORY[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_worklist(as_persona, in_appraisal, persona, unit_b):
    check(as_persona(persona).get(url("appraisal_list")), WORKLIST[persona])


@pytest.mark.parametrize("page", ["campaign_appraisers", "campaign_dashboard"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_campaign_pages_are_for_staff(as_persona, in_appraisal, unassigned, persona, page):
    response = as_persona(persona).get(reverse(f"campaigns:{page}", args=[2016]))
    check(response, STAFF_ONLY[persona])


# Every post of the appraisal page answers like the page: 403 to the unit, 404 to others.
APPRAISAL_POSTS = [
    ("appraise_score", True),
    ("appraise_accept", False),
    ("appraise_accept_reply", True),
    ("appraisal_start", False),
    ("appraisal_return", False),
    ("appraisal_finalise", False),
]


@pytest.mark.parametrize("name,per_score", APPRAISAL_POSTS)
@pytest.mark.parametrize("persona", ["unassigned", "editor_a", "head_a", "head_b", "anonymous"])
def test_appraisal_posts_refuse_whoever_may_not_appraise(
    as_persona, in_appraisal, persona, name, per_score
):
    args = [in_appraisal.pk] + ([score_of(in_appraisal, "1.1").pk] if per_score else [])
    check(as_persona(persona).post(url(name, *args)), APPRAISE[persona])
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == State.IN_APPRAISAL
    assert score_of(in_appraisal, "1.1").appraised_points is None


@pytest.mark.parametrize(
    "name,per_score",
    [("explain_reply", True), ("explain_evidence", True), ("explain_send", False)],
)
@pytest.mark.parametrize("persona", ["staff", "assigned", "unassigned", "editor_b", "anonymous"])
def test_explanation_posts_refuse_whoever_is_not_of_the_unit(
    as_persona, returned, persona, name, per_score
):
    args = [returned.pk] + ([score_of(returned, "1.1").pk] if per_score else [])
    check(as_persona(persona).post(url(name, *args), {"s1-reply": "x"}), EXPLAIN[persona])
    returned.refresh_from_db()
    assert returned.state == State.RETURNED


@pytest.mark.parametrize(
    "name,per_score",
    [(name, per_score) for name, per_score in APPRAISAL_POSTS]
    + [("explain_reply", True), ("explain_evidence", True), ("explain_send", False)],
)
def test_a_post_only_address_refuses_get(client, staff, head_a, returned, name, per_score):
    client.force_login(head_a if name.startswith("explain") else staff)
    args = [returned.pk] + ([score_of(returned, "1.1").pk] if per_score else [])
    assert client.get(url(name, *args)).status_code == 405


@pytest.mark.parametrize("name", ["appraise", "score_history", "explain", "appraisal_list"])
def test_a_page_refuses_post(client, staff, head_a, returned, name):
    client.force_login(head_a if name == "explain" else staff)
    args = {
        "appraise": [returned.pk],
        "score_history": [returned.pk, score_of(returned, "1.1").pk],
        "explain": [returned.pk],
        "appraisal_list": [],
    }[name]
    assert client.post(url(name, *args)).status_code == 405


def test_the_campaign_post_only_addresses_refuse_get(client, staff, in_appraisal, assigned):
    client.force_login(staff)
    assignment = AppraiserAssignment.objects.get()
    remove = reverse("campaigns:campaign_appraiser_remove", args=[2016, assignment.pk])
    assert client.get(remove).status_code == 405
    assert client.post(reverse("campaigns:campaign_dashboard", args=[2016])).status_code == 405
    assert client.put(reverse("campaigns:campaign_appraisers", args=[2016])).status_code == 405


def test_unknown_ids_are_404(client, staff, head_a, returned, explained_other_unit):
    client.force_login(staff)
    assert client.get(url("appraise", 999_999)).status_code == 404
    assert client.get(url("score_history", returned.pk, 999_999)).status_code == 404
    # A score of another assessment is not reached through this one.
    foreign = explained_other_unit.scores.first()
    assert client.get(url("score_history", returned.pk, foreign.pk)).status_code == 404
    assert client.post(url("appraise_score", returned.pk, foreign.pk)).status_code == 404
    assert client.get(reverse("campaigns:campaign_dashboard", args=[1999])).status_code == 404
    assert client.get(reverse("campaigns:campaign_appraisers", args=[1999])).status_code == 404
    client.force_login(head_a)
    assert client.post(url("explain_reply", returned.pk, foreign.pk)).status_code == 404


@pytest.fixture
def explained_other_unit(assessment, unit_b, editor_b):
    """An assessment of unit B (another block's framework is not needed: same block)."""
    other = Assessment.objects.create(
        campaign=assessment.campaign, unit=unit_b, framework=assessment.framework
    )
    other.scores.create(criterion=leaf(other, "1.1"), self_points=D("1"))
    return other


def test_the_unit_sees_no_explanation_page_before_the_return(client, head_a, in_appraisal):
    client.force_login(head_a)
    assert client.get(url("explain", in_appraisal.pk)).status_code == 403


# -- the worklist -----------------------------------------------------------------------


def test_the_worklist_shows_assigned_assessments_with_their_progress(
    english_client, assigned, in_appraisal, unit_b, staff
):
    other = Assessment.objects.create(
        campaign=in_appraisal.campaign,
        unit=unit_b,
        framework=in_appraisal.framework,
        state=State.SUBMITTED,
    )
    score_appraise(score=score_of(in_appraisal, "1.1"), actor=assigned, points=D("2"))
    english_client.force_login(assigned)
    response = english_client.get(url("appraisal_list"))
    rows = response.context["rows"]
    assert [row.assessment for row in rows] == [in_appraisal]
    assert (rows[0].progress.done, rows[0].progress.total) == (1, 3)
    assert "1 of 3" in response.content.decode()
    english_client.force_login(staff)
    staff_rows = english_client.get(url("appraisal_list")).context["rows"]
    assert {row.assessment for row in staff_rows} == {in_appraisal, other}


def test_an_appraiser_of_one_area_sees_it_named(client, in_appraisal, unassigned, staff):
    appraiser_assign(
        campaign=in_appraisal.campaign,
        unit=in_appraisal.unit,
        appraiser=unassigned,
        area_code="1",
        actor=staff,
    )
    client.force_login(unassigned)
    assert client.get(url("appraisal_list")).context["rows"][0].areas == ("1",)


def worklist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("appraisal_list")).status_code == 200
    return len(queries)


def test_the_worklist_takes_a_fixed_number_of_queries(client, assigned, in_appraisal, staff):
    client.force_login(assigned)
    few = worklist_queries(client)
    for _ in range(15):
        unit = make_unit(block=in_appraisal.unit.block)
        Assessment.objects.create(
            campaign=in_appraisal.campaign,
            unit=unit,
            framework=in_appraisal.framework,
            state=State.IN_APPRAISAL,
        )
        appraiser_assign(campaign=in_appraisal.campaign, unit=unit, appraiser=assigned, actor=staff)
    client.force_login(assigned)
    many = worklist_queries(client)
    assert len(client.get(url("appraisal_list")).context["rows"]) == 16
    assert few == many


# -- appraising -------------------------------------------------------------------------


def test_the_page_shows_the_claim_beside_the_appraisal(
    english_client, assigned, in_appraisal, editor_a
):
    english_client.force_login(assigned)
    response = english_client.get(url("appraise", in_appraisal.pk))
    html = response.content.decode()
    assert "Kế hoạch số 12/KH ngày 05/01" in html  # the unit's explanation
    assert "Level: Đúng hạn" in html
    assert "90 of 100 (90.00%)" in html  # the ratio's figures
    assert "From the survey results" in html
    assert "Appraised: <strong>0</strong> of <strong>3</strong>" in html
    assert url("appraise_score", in_appraisal.pk, score_of(in_appraisal, "1.1").pk) in html
    assert 'form="accept-selected"' in html
    # One button accepts every leaf not appraised yet: its form lists them.
    assert response.context["sheet"].unappraised_acceptable == [
        leaf(in_appraisal, code).pk for code in ("1.1", "1.2", "1.3")
    ]
    assert html.count('<input type="hidden" name="criteria"') == 3
    buttons = [step.label for step in response.context["sheet"].steps]
    assert [str(label) for label in buttons] == ["Return for explanation", "Finalise the appraisal"]


def test_evidence_is_linked_when_downloads_exist(
    client, assigned, in_appraisal, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from scoring.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    score = score_of(in_appraisal, "1.1")
    evidence = Evidence(
        score=score,
        original_name="ke-hoach-12.pdf",
        content_type="application/pdf",
        size=4,
        sha256="a" * 64,
        document_number="12/KH-SGDĐT",
    )
    evidence.file.save("a" * 64, ContentFile(b"%PDF"), save=False)
    evidence.save()
    client.force_login(assigned)
    html = client.get(url("appraise", in_appraisal.pk)).content.decode()
    assert "ke-hoach-12.pdf" in html and "12/KH-SGDĐT" in html
    try:
        download = url("evidence_download", evidence.pk)
    except Exception:  # the download view belongs to the self-assessment screens
        download = None
    if download:
        assert f'href="{download}"' in html


def test_lowering_without_a_note_is_refused_and_keeps_what_was_typed(
    english_client, assigned, in_appraisal
):
    score = score_of(in_appraisal, "1.1")
    english_client.force_login(assigned)
    response = english_client.post(
        url("appraise_score", in_appraisal.pk, score.pk),
        {f"s{score.pk}-points": "1.25", f"s{score.pk}-note": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write a note saying why 1.1 gets fewer points" in html
    assert 'value="1.25"' in html
    score.refresh_from_db()
    assert score.appraised_points is None
    assert score.history.count() == 1  # only the self-assessment


def test_a_note_lets_the_appraiser_lower_the_claim(client, assigned, in_appraisal):
    score = score_of(in_appraisal, "1.1")
    client.force_login(assigned)
    response = client.post(
        url("appraise_score", in_appraisal.pk, score.pk),
        {f"s{score.pk}-points": "1,25".replace(",", "."), f"s{score.pk}-note": "Thiếu phụ lục"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(url("appraise", in_appraisal.pk) + "#leaf-1.1")
    score.refresh_from_db()
    assert (score.appraised_points, score.appraisal_note) == (D("1.25"), "Thiếu phụ lục")
    assert score.history.first().history_change_reason == "appraisal"


def test_points_above_the_maximum_are_refused(english_client, assigned, in_appraisal):
    score = score_of(in_appraisal, "1.1")
    english_client.force_login(assigned)
    response = english_client.post(
        url("appraise_score", in_appraisal.pk, score.pk), {f"s{score.pk}-points": "3"}
    )
    assert "Points must be between 0 and 2" in response.content.decode()
    score.refresh_from_db()
    assert score.appraised_points is None


def test_appraised_points_accept_the_decimal_comma_and_show_it_back(client, assigned, in_appraisal):
    score = score_of(in_appraisal, "1.1")
    client.force_login(assigned)
    response = client.post(
        url("appraise_score", in_appraisal.pk, score.pk),
        {f"s{score.pk}-points": "1,75", f"s{score.pk}-note": "Thiếu phụ lục"},
    )
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.appraised_points == D("1.75")
    html = client.get(url("appraise", in_appraisal.pk)).content.decode()
    assert f'name="s{score.pk}-points" value="1,75"' in html
    assert 'inputmode="decimal"' in html and 'type="number"' not in html


def test_appraised_points_off_the_step_are_refused_in_vietnamese(client, assigned, in_appraisal):
    score = score_of(in_appraisal, "1.1")
    client.force_login(assigned)
    response = client.post(
        url("appraise_score", in_appraisal.pk, score.pk),
        {f"s{score.pk}-points": "1,3", f"s{score.pk}-note": "Thiếu phụ lục"},
    )
    html = response.content.decode()
    assert "Điểm được chấm theo bước điểm 0,25." in html
    assert 'value="1,3"' in html  # what was typed stays in the field
    score.refresh_from_db()
    assert score.appraised_points is None


def test_a_levels_leaf_is_appraised_only_with_one_of_its_levels(assigned, in_appraisal):
    score = score_of(in_appraisal, "1.2")  # levels 1 / 0,5 / 0
    with pytest.raises(AssessmentError) as caught:
        score_appraise(score=score, actor=assigned, points=D("0.75"), note="Chậm một phần")
    assert str(caught.value) == "Tiêu chí 1.2 chỉ nhận một trong các mức điểm: 1; 0,5; 0."
    score_appraise(score=score, actor=assigned, points=D("0.5"), note="Báo cáo chậm")
    score.refresh_from_db()
    assert score.appraised_points == D("0.5")


def test_a_ratio_leaf_is_appraised_only_with_a_thresholds_points(assigned, in_appraisal):
    score = score_of(in_appraisal, "1.3")  # thresholds 2 / 1, and 0 below them
    with pytest.raises(AssessmentError):
        score_appraise(score=score, actor=assigned, points=D("1.5"), note="Thiếu số liệu")
    score_appraise(score=score, actor=assigned, points=D("0"), note="Không có số liệu")
    score.refresh_from_db()
    assert score.appraised_points == 0


def test_the_appraisal_field_says_what_the_leaf_accepts(client, assigned, in_appraisal):
    client.force_login(assigned)
    html = client.get(url("appraise", in_appraisal.pk)).content.decode()
    assert "Một trong các mức: 1; 0,5; 0." in html
    assert "Từ 0 đến 2, bước điểm 0,25." in html


def test_accepting_a_claim_the_leaf_no_longer_takes_is_refused(client, assigned, in_appraisal):
    # A claim saved before the rule held everywhere (an admin edit, an old import).
    Score.objects.filter(assessment=in_appraisal, criterion__code="1.2").update(
        self_points=D("0.75")
    )
    with pytest.raises(AssessmentError) as caught:
        scores_accept(
            assessment=in_appraisal, actor=assigned, criterion_ids=[leaf(in_appraisal, "1.2").pk]
        )
    assert str(caught.value).startswith("1.2: Tiêu chí 1.2 chỉ nhận")
    assert score_of(in_appraisal, "1.2").appraised_points is None


def test_accepting_the_selected_leaves_as_self_assessed(client, assigned, in_appraisal):
    client.force_login(assigned)
    response = client.post(
        url("appraise_accept", in_appraisal.pk),
        {"criteria": [leaf(in_appraisal, "1.2").pk, leaf(in_appraisal, "1.3").pk]},
    )
    assert response.status_code == 302
    appraised = dict(in_appraisal.scores.values_list("criterion__code", "appraised_points"))
    assert appraised == {"1.1": None, "1.2": D("1"), "1.3": D("1")}


def test_accepting_nothing_says_so(english_client, assigned, in_appraisal):
    english_client.force_login(assigned)
    response = english_client.post(url("appraise_accept", in_appraisal.pk), {})
    assert response.status_code == 200
    assert "Tick at least one criterion to accept." in response.content.decode()


def test_an_appraiser_of_another_area_sees_it_read_only_and_cannot_post(
    english_client, unassigned, in_appraisal, staff
):
    appraiser_assign(
        campaign=in_appraisal.campaign,
        unit=in_appraisal.unit,
        appraiser=unassigned,
        area_code="2",
        actor=staff,
    )
    english_client.force_login(unassigned)
    response = english_client.get(url("appraise", in_appraisal.pk))
    sheet = response.context["sheet"]
    assert not any(row.form for row in sheet.rows)
    assert sheet.acceptable_count == 0 and sheet.assigned_areas == ("2",)
    assert "Not in your areas" in response.content.decode()
    score = score_of(in_appraisal, "1.1")
    refused = english_client.post(
        url("appraise_score", in_appraisal.pk, score.pk), {f"s{score.pk}-points": "2"}
    )
    assert "not assigned to appraise this area" in refused.content.decode()
    score.refresh_from_db()
    assert score.appraised_points is None


def test_return_is_refused_while_leaves_are_unappraised(english_client, assigned, in_appraisal):
    english_client.force_login(assigned)
    response = english_client.post(url("appraisal_return", in_appraisal.pk))
    assert response.status_code == 200
    assert response.context["problems"] == [
        "1.1: not appraised yet.",
        "1.2: not appraised yet.",
        "1.3: not appraised yet.",
    ]
    assert "<li>1.2: not appraised yet.</li>" in response.content.decode()
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == State.IN_APPRAISAL


def test_start_return_and_finalise_move_the_workflow(
    client, assessment, editor_a, head_a, assigned
):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    client.force_login(assigned)
    assert client.post(url("appraisal_start", assessment.pk)).status_code == 302
    scores_accept(
        assessment=assessment,
        actor=assigned,
        criterion_ids=list(assessment.scores.values_list("criterion_id", flat=True)),
    )
    assert client.post(url("appraisal_return", assessment.pk)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == State.RETURNED
    # Returned: the appraiser waits for the unit; finalising now is refused.
    refused = client.post(url("appraisal_finalise", assessment.pk))
    assert refused.status_code == 200 and refused.context["problems"]
    assessment_explain(assessment=assessment, actor=head_a)
    assert client.post(url("appraisal_finalise", assessment.pk)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == State.APPRAISED
    assert [e.action for e in assessment.events.all()] == [
        "submit",
        "start_appraisal",
        "return",
        "explain",
        "finalise",
    ]


def test_accepting_an_explanation_gives_the_claimed_points(english_client, assigned, explained):
    score = score_of(explained, "1.1")
    english_client.force_login(assigned)
    page = english_client.get(url("appraise", explained.pk)).content.decode()
    assert "Kế hoạch số 12/KH ban hành đúng hạn" in page
    assert "If accepted:" in page
    response = english_client.post(
        url("appraise_accept_reply", explained.pk, score.pk),
        {f"r{score.pk}-note": "Chấp nhận giải trình"},
    )
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.final_points, score.appraisal_note) == (D("2"), "Chấp nhận giải trình")
    page = english_client.get(url("appraise", explained.pk)).content.decode()
    assert "Explanation accepted" in page


def test_an_explanation_cannot_be_accepted_where_there_is_none(english_client, assigned, explained):
    score = score_of(explained, "1.2")
    english_client.force_login(assigned)
    response = english_client.post(url("appraise_accept_reply", explained.pk, score.pk))
    assert "There is no explanation to accept" in response.content.decode()
    score.refresh_from_db()
    assert score.final_points is None


def test_the_whatif_line_without_computed_results(english_client, assigned, explained):
    english_client.force_login(assigned)
    response = english_client.get(url("appraise", explained.pk))
    whatif = response.context["sheet"].whatif
    # 1 + 1 + 1 appraised of 5 (the survey leaf has no answers yet, its 5 points count).
    assert whatif.result.now.total == D("3")
    change = whatif.result.per_leaf[leaf(explained, "1.1").pk]
    assert (change.total_change, change.after.rank) == (D("1"), None)
    assert "the rank is unknown" in response.content.decode()


def appraisal_queries(client, assessment) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("appraise", assessment.pk)).status_code == 200
    return len(queries)


def big_assessment(*, leaves: int, state: str, campaign, block) -> Assessment:
    """A unit with `leaves` leaves self-assessed, each with evidence-free explanation."""
    framework = make_framework(year=2017, block=block, leaves=leaves, name=f"Bộ {leaves}")
    campaign.blocks.create(block=block, framework=framework)
    assessment = make_assessment(campaign=campaign, unit=make_unit(block=block), state=state)
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=criterion,
            self_points=D("5"),
            appraised_points=D("4"),
            appraisal_note="Thiếu tài liệu",
            unit_reply="Đã bổ sung",
            self_explanation="Báo cáo số 1",
        )
        for criterion in framework.criteria.filter(children__isnull=True)
    )
    return assessment


@pytest.mark.parametrize("state", [State.IN_APPRAISAL, State.EXPLAINED])
def test_the_appraisal_page_takes_a_fixed_number_of_queries(client, staff, state):
    campaign = make_campaign(year=2017)
    small = big_assessment(
        leaves=10, state=state, campaign=campaign, block=make_block(code="a", position=1)
    )
    large = big_assessment(
        leaves=100, state=state, campaign=campaign, block=make_block(code="b", position=2)
    )
    client.force_login(staff)
    assert appraisal_queries(client, small) == appraisal_queries(client, large)
    rows = client.get(url("appraise", large.pk)).context["sheet"].rows
    assert sum(1 for row in rows if row.is_leaf) == 100


# -- the unit's explanation -------------------------------------------------------------


def test_the_unit_sees_the_lowered_leaf_with_the_note(english_client, editor_a, returned):
    english_client.force_login(editor_a)
    response = english_client.get(url("explain", returned.pk))
    sheet = response.context["sheet"]
    assert [row.criterion.code for row in sheet.rows] == ["1.1"]
    assert sheet.accepted_count == 2 and not sheet.may_send
    html = response.content.decode()
    assert "Kế hoạch ban hành chậm" in html
    assert "Send the explanation" not in html


def test_a_reply_is_saved_leaf_by_leaf(client, editor_a, returned):
    score = score_of(returned, "1.1")
    client.force_login(editor_a)
    response = client.post(
        url("explain_reply", returned.pk, score.pk),
        {f"s{score.pk}-reply": "Kế hoạch số 12/KH ban hành ngày 05/01"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#leaf-1.1")
    score.refresh_from_db()
    assert score.unit_reply == "Kế hoạch số 12/KH ban hành ngày 05/01"


def test_a_reply_after_the_deadline_is_refused_and_the_text_kept(
    english_client, editor_a, returned
):
    campaign = returned.campaign
    campaign.explanation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    score = score_of(returned, "1.1")
    english_client.force_login(editor_a)
    page = english_client.get(url("explain", returned.pk))
    assert "deadline has passed" in page.content.decode()
    response = english_client.post(
        url("explain_reply", returned.pk, score.pk), {f"s{score.pk}-reply": "Trễ mất rồi"}
    )
    assert response.status_code == 200
    # The page is closed: the refusal is said, and the typed text is still there.
    html = response.content.decode()
    assert "Replies are closed" in html and "Trễ mất rồi" in html
    score.refresh_from_db()
    assert score.unit_reply == ""


def test_a_refused_reply_keeps_the_typed_text(english_client, editor_a, returned):
    score = score_of(returned, "1.1")
    english_client.force_login(editor_a)
    response = english_client.post(
        url("explain_reply", returned.pk, score.pk), {f"s{score.pk}-reply": "x" * 5001}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "x" * 5001 in html
    assert "at most 5000 characters" in html


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_unit_adds_a_document_to_its_explanation(
    client, editor_a, returned, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    score = score_of(returned, "1.1")
    client.force_login(editor_a)
    response = client.post(
        url("explain_evidence", returned.pk, score.pk),
        {
            f"e{score.criterion_id}-file": SimpleUploadedFile("cong-van-45.pdf", PDF),
            f"e{score.criterion_id}-document_number": "45/GT-SGDĐT",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(url("explain", returned.pk) + "#leaf-1.1")
    evidence = score.evidence.get()
    assert (evidence.original_name, evidence.stage) == ("cong-van-45.pdf", "explanation")
    assert evidence.document_number == "45/GT-SGDĐT"


def test_a_file_that_is_no_document_is_refused_on_the_page(
    english_client, editor_a, returned, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    score = score_of(returned, "1.1")
    english_client.force_login(editor_a)
    response = english_client.post(
        url("explain_evidence", returned.pk, score.pk),
        {f"e{score.criterion_id}-file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a PDF, an Office document or an image" in html
    assert '<details class="evidence-upload mt-2" open>' in html
    assert not score.evidence.exists()


def test_the_head_sends_the_explanation(client, head_a, editor_a, returned):
    client.force_login(editor_a)
    assert client.post(url("explain_send", returned.pk)).status_code == 403
    client.force_login(head_a)
    page = client.get(url("explain", returned.pk))
    assert page.context["sheet"].may_send
    assert client.post(url("explain_send", returned.pk)).status_code == 302
    returned.refresh_from_db()
    assert returned.state == State.EXPLAINED
    assert AssessmentEvent.objects.filter(action="explain", actor=head_a).exists()


def test_sending_after_the_deadline_is_refused_with_the_reason(english_client, head_a, returned):
    campaign = returned.campaign
    campaign.explanation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    english_client.force_login(head_a)
    response = english_client.post(url("explain_send", returned.pk))
    assert response.status_code == 200
    assert response.context["problems"] == ["The explanation deadline has passed."]
    returned.refresh_from_db()
    assert returned.state == State.RETURNED


# -- the history of a leaf --------------------------------------------------------------


def test_the_history_lists_every_version_newest_first(english_client, assigned, explained):
    score = score_of(explained, "1.1")
    english_client.force_login(assigned)
    response = english_client.get(url("score_history", explained.pk, score.pk))
    versions = response.context["versions"]
    assert [v.reason for v in versions] == ["explanation", "appraisal", "self-assessment"]
    explanation, appraisal, _first = versions
    assert appraisal.fields["appraised_points"].changed
    assert appraisal.fields["appraised_points"].previous is None
    assert appraisal.fields["appraised_points"].value == D("1")
    assert not appraisal.fields["self_points"].changed
    assert explanation.fields["unit_reply"].changed
    html = response.content.decode()
    assert "Kế hoạch ban hành chậm" in html and "<ins>1</ins>" in html
    assert "appraiser" in html  # who: the appraiser has no name, so the username


def test_the_unit_sees_no_appraisal_in_the_history_before_the_return(
    english_client, head_a, returned
):
    Assessment.objects.filter(pk=returned.pk).update(state=State.IN_APPRAISAL)
    english_client.force_login(head_a)
    response = english_client.get(url("score_history", returned.pk, score_of(returned, "1.1").pk))
    assert not response.context["show_appraisal"]
    assert [v.reason for v in response.context["versions"]] == ["self-assessment"]
    assert "Kế hoạch ban hành chậm" not in response.content.decode()


# -- staff: appraisers ------------------------------------------------------------------


def appraisers_url(year: int = 2016) -> str:
    return reverse("campaigns:campaign_appraisers", args=[year])


def test_staff_assign_an_appraiser_to_an_area(client, staff, assessment, unassigned):
    client.force_login(staff)
    response = client.post(
        appraisers_url(),
        {"appraiser": unassigned.pk, "unit": assessment.unit.pk, "area_code": "1"},
    )
    assert response.status_code == 302
    assignment = AppraiserAssignment.objects.get()
    assert (assignment.appraiser, assignment.unit, assignment.area_code) == (
        unassigned,
        assessment.unit,
        "1",
    )
    page = client.get(appraisers_url()).content.decode()
    assert "1. Chỉ đạo" in page


def test_an_appraiser_working_for_the_unit_is_refused(english_client, staff, assessment, unit_a):
    insider = make_user(username="insider", groups=(APPRAISER_GROUP,), unit=unit_a)
    english_client.force_login(staff)
    response = english_client.post(
        appraisers_url(), {"appraiser": insider.pk, "unit": unit_a.pk, "area_code": ""}
    )
    assert response.status_code == 200
    assert "insider works for Sở Giáo dục và Đào tạo and cannot appraise it." in (
        response.content.decode()
    )
    assert not AppraiserAssignment.objects.exists()


def test_an_area_of_another_framework_is_refused(english_client, staff, assessment, unassigned):
    english_client.force_login(staff)
    response = english_client.post(
        appraisers_url(),
        {"appraiser": unassigned.pk, "unit": assessment.unit.pk, "area_code": "9"},
    )
    assert response.status_code == 200
    assert not AppraiserAssignment.objects.exists()


def test_only_appraisers_are_offered(client, staff, assessment, unassigned, editor_b):
    client.force_login(staff)
    form = client.get(appraisers_url()).context["form"]
    assert list(form.fields["appraiser"].queryset) == [unassigned]


def test_staff_remove_an_assignment(client, staff, assigned):
    client.force_login(staff)
    assignment = AppraiserAssignment.objects.get()
    response = client.post(
        reverse("campaigns:campaign_appraiser_remove", args=[2016, assignment.pk])
    )
    assert response.status_code == 302
    assert not AppraiserAssignment.objects.exists()
    # An assignment of another year is not reached through this one.
    assert (
        client.post(
            reverse("campaigns:campaign_appraiser_remove", args=[2015, assignment.pk])
        ).status_code
        == 404
    )


def test_the_appraisers_page_names_units_without_an_appraiser(client, staff, assessment):
    client.force_login(staff)
    response = client.get(appraisers_url())
    assert response.context["assignments"].unassigned_units == [assessment.unit]


# -- staff: the dashboard ---------------------------------------------------------------


def dashboard_url(year: int = 2016, **query) -> str:
    base = reverse("campaigns:campaign_dashboard", args=[year])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def campaign_2016(assessment, editor_a, head_a, staff, unit_b):
    """Unit A in appraisal (3 of 3 scored); unit B draft; a district returned."""
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    Assessment.objects.create(
        campaign=assessment.campaign, unit=unit_b, framework=assessment.framework
    )
    districts = make_block(code="huyen", name="UBND cấp huyện", position=2)
    district_framework = make_framework(year=2016, block=districts, leaves=4)
    assessment.campaign.blocks.create(block=districts, framework=district_framework)
    make_assessment(
        campaign=assessment.campaign, unit=make_unit(block=districts), state=State.RETURNED
    )
    return assessment.campaign


def test_the_dashboard_counts_and_lists_every_assessment(english_client, staff, campaign_2016):
    english_client.force_login(staff)
    response = english_client.get(dashboard_url())
    summary = response.context["summary"]
    assert summary.total == 3
    departments, districts = summary.blocks
    counts = {state: n for state, _label, n in departments.counts}
    assert counts["in_appraisal"] == 1 and counts["draft"] == 1 and departments.total == 2
    assert {state: n for state, _l, n in districts.counts}["returned"] == 1
    rows = {row.assessment.unit.code: row for row in response.context["rows"]}
    unit_a = rows["so-gddt"]
    assert (unit_a.self_progress.done, unit_a.self_progress.total) == (3, 3)
    assert (unit_a.appraisal_progress.done, unit_a.appraisal_progress.total) == (0, 3)
    assert unit_a.last_event.action == "start_appraisal"
    unit_b = rows["so-gtvt"]
    assert (unit_b.self_progress.done, unit_b.last_event, unit_b.appraisal_progress) == (
        0,
        None,
        None,
    )
    html = response.content.decode()
    assert url("appraise", unit_a.assessment.pk) in html


def test_the_dashboard_filters_by_block_and_state(client, staff, campaign_2016):
    client.force_login(staff)
    rows = client.get(dashboard_url(block="huyen")).context["rows"]
    assert [row.assessment.state for row in rows] == [State.RETURNED]
    rows = client.get(dashboard_url(state="draft")).context["rows"]
    assert [row.assessment.unit.code for row in rows] == ["so-gtvt"]


def test_the_dashboard_flags_overdue_assessments(english_client, staff, campaign_2016):
    past = timezone.now() - datetime.timedelta(days=1)
    campaign_2016.self_assessment_deadline = past - datetime.timedelta(days=10)
    campaign_2016.explanation_deadline = past
    campaign_2016.save()
    english_client.force_login(staff)
    response = english_client.get(dashboard_url())
    overdue = {row.assessment.state for row in response.context["rows"] if row.overdue}
    assert overdue == {State.DRAFT, State.RETURNED}
    assert "Overdue" in response.content.decode()
    only = english_client.get(dashboard_url(overdue="on")).context["rows"]
    assert {row.assessment.state for row in only} == {State.DRAFT, State.RETURNED}


def test_nothing_is_overdue_before_the_deadlines(client, staff, campaign_2016):
    campaign_2016.self_assessment_deadline = timezone.now() + datetime.timedelta(days=1)
    campaign_2016.save()
    client.force_login(staff)
    assert not any(row.overdue for row in client.get(dashboard_url()).context["rows"])


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(dashboard_url()).status_code == 200
    return len(queries)


def add_units(campaign, framework, count: int) -> None:
    for n in range(count):
        assessment = Assessment.objects.create(
            campaign=campaign,
            unit=make_unit(block=framework.block),
            framework=framework,
            state=State.IN_APPRAISAL if n % 2 else State.DRAFT,
        )
        criterion = Criterion.objects.filter(framework=framework, children__isnull=True).first()
        assessment.scores.create(criterion=criterion, self_points=D("1"))
        AssessmentEvent.objects.create(
            assessment=assessment, action="submit", from_state="draft", to_state="submitted"
        )


def test_the_dashboard_takes_a_fixed_number_of_queries(client, staff, assessment):
    campaign = assessment.campaign
    campaign.self_assessment_deadline = timezone.now() - datetime.timedelta(days=1)
    campaign.save()
    add_units(campaign, assessment.framework, 2)
    client.force_login(staff)
    three = dashboard_queries(client)
    add_units(campaign, assessment.framework, 27)
    thirty = dashboard_queries(client)
    assert len(client.get(dashboard_url()).context["rows"]) == 30
    assert three == thirty


def test_the_campaign_page_links_to_its_dashboard_and_appraisers(client, staff, assessment):
    client.force_login(staff)
    html = client.get(reverse("campaigns:campaign_detail", args=[2016])).content.decode()
    assert reverse("campaigns:campaign_dashboard", args=[2016]) in html
    assert reverse("campaigns:campaign_appraisers", args=[2016]) in html


def test_the_navigation_offers_appraisal_to_appraisers_only(client, appraiser, editor_a):
    client.force_login(appraiser)
    assert url("appraisal_list") in client.get(reverse("home")).content.decode()
    client.force_login(editor_a)
    assert url("appraisal_list") not in client.get(reverse("home")).content.decode()
