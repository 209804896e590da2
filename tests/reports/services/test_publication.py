"""Publication: all or nothing, frozen rows, a stored PDF with its digest, corrections."""

import datetime as dt
import hashlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.errors import PublicationError
from reports.models import Decision, PublishedDecisionError, PublishedResult
from reports.selectors.freshness import latest_published_at
from reports.services import publication
from reports.services.drafting import decision_correct, decision_draft_defaults
from reports.services.publication import decision_publish, decision_rows_preview
from scoring.models import Assessment, AssessmentEvent, Campaign, Score
from scoring.services.results import results_compute
from tests.reports.publication_data import (
    DEPARTMENTS,
    DISTRICTS,
    appraised_campaign,
    draft_decision,
    finalised_on,
)

CITED = (
    "--plan=23/KH-UBND",
    "--plan-date=2015-03-09",
    "--submission=1386/TTr-SNV",
    "--submission-date=2016-10-05",
)


@pytest.fixture
def story(db):
    return appraised_campaign()


def test_draft_defaults_follow_the_decree(story):
    defaults = decision_draft_defaults(campaign=story.campaign)

    assert defaults["subject"] == (
        "Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015 của các sở, ban, ngành "
        "và Ủy ban nhân dân các huyện, thị xã, thành phố"
    )
    assert defaults["place"] == "Sóc Trăng"
    assert defaults["issuing_body"] == "Ủy ban nhân dân tỉnh Sóc Trăng"
    assert defaults["legal_bases"][0].startswith("Căn cứ Luật Tổ chức chính quyền địa phương")
    assert defaults["legal_bases"][-1].startswith("Theo đề nghị của Giám đốc Sở Nội vụ")
    assert len(defaults["articles"]) == 3
    assert defaults["articles"][2].endswith("./.")
    assert defaults["recipients"] == [
        "Như Điều 3;",
        "TT. Tỉnh ủy, TT. HĐND tỉnh (b/c);",
        "CT, các PCT UBND tỉnh;",
        "Lưu: VT, NC.",
    ]


def test_publish_freezes_rows_stores_the_pdf_and_publishes_the_campaign(story, staff, media_root):
    decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)

    decision.refresh_from_db()
    assert decision.status == Decision.Status.PUBLISHED
    assert decision.published_by == staff and decision.published_at is not None
    rows = list(decision.rows.all())
    assert [r.unit_name for r in rows] == [
        "Sở Giáo dục và Đào tạo",
        "Sở Đào tạo Thử nghiệm",
        "Sở Giao thông vận tải",
        "Huyện Long Phú",
        "Thị xã Ngã Năm",
    ]
    assert [(r.block_code, r.position, r.rank) for r in rows] == [
        ("so", 1, 1),
        ("so", 2, 2),
        ("so", 3, 2),  # a shared rank; STT by folded name puts "Đào" before "Giao"
        ("huyen", 1, 1),
        ("huyen", 2, 2),
    ]
    first = rows[0]
    assert first.index == Decimal("100") and first.applicable_max == Decimal("10")
    [area] = first.areas
    assert (area["code"], area["title"]) == ("1", "Công tác chỉ đạo, điều hành CCHC")
    assert Decimal(area["points"]) == Decimal(area["max"]) == Decimal("10")
    assert decision.pdf.name == "decisions/2015/2491-qd-ubnd-2016-10-17.pdf"
    stored = (media_root / decision.pdf.name).read_bytes()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == decision.pdf_sha256
    assert decision.summary  # reports.summary wrote it
    assert set(
        Assessment.objects.filter(campaign=story.campaign).values_list("state", flat=True)
    ) == {Assessment.State.PUBLISHED}
    events = AssessmentEvent.objects.filter(action="publish")
    assert events.count() == 5 and {e.actor for e in events} == {staff}
    story.campaign.refresh_from_db()
    assert story.campaign.status == Campaign.Status.PUBLISHED


def test_public_pages_see_a_publication_as_soon_as_it_commits(
    story, staff, django_capture_on_commit_callbacks
):
    # A public page read before publishing: this process remembers "nothing published".
    assert latest_published_at() is None
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)
    assert latest_published_at() == decision.published_at


def test_publishing_twice_is_refused(story, staff, english):
    decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)

    with pytest.raises(PublicationError, match="not a draft"):
        decision_publish(decision=decision, actor=staff)
    other = draft_decision(story.campaign, number="2500/QĐ-UBND")
    with pytest.raises(PublicationError, match="2491/QĐ-UBND already publishes"):
        decision_publish(decision=other, actor=staff)
    assert PublishedResult.objects.count() == 5


def test_an_unappraised_assessment_refuses_publication_and_writes_nothing(story, staff, media_root):
    story.assessments["Thị xã Ngã Năm"].state = Assessment.State.IN_APPRAISAL
    story.assessments["Thị xã Ngã Năm"].save()
    draft = draft_decision(story.campaign)

    with pytest.raises(PublicationError) as refusal:
        decision_publish(decision=draft, actor=staff)

    assert "Thị xã Ngã Năm" in refusal.value.message
    assert "Sở Giáo dục" not in refusal.value.message
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and not draft.pdf and not draft.pdf_sha256
    assert not PublishedResult.objects.exists()
    assert not AssessmentEvent.objects.exists()
    assert not list(media_root.rglob("*.pdf"))
    story.campaign.refresh_from_db()
    assert story.campaign.status != Campaign.Status.PUBLISHED


def test_a_failure_after_the_pdf_is_stored_removes_the_file_and_publishes_nothing(
    story, staff, media_root, monkeypatch
):
    def failing_publish(**kwargs):
        raise RuntimeError("the database went away")

    # The PDF is rendered, signed and stored before the campaign's assessments move.
    monkeypatch.setattr(publication, "campaign_publish", failing_publish)
    draft = draft_decision(story.campaign)

    with pytest.raises(RuntimeError):
        decision_publish(decision=draft, actor=staff)

    assert not list(media_root.rglob("*.pdf"))  # the rollback cannot take a file back
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and not draft.pdf and not draft.rows.exists()


def test_publishing_clears_the_reason_an_earlier_attempt_was_refused(story, staff):
    draft = draft_decision(story.campaign, publication_error="Huyện Long Phú chưa thẩm định.")

    decision_publish(decision=draft, actor=staff)

    draft.refresh_from_db()
    assert draft.is_published and draft.publication_error == ""


def test_a_score_changed_after_publication_changes_no_published_row(story, staff):
    decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)
    before = list(decision.rows.values_list("unit_name", "total", "index", "rank"))

    Score.objects.filter(assessment=story.assessments["Sở Giao thông vận tải"]).update(
        final_points=Decimal("5")
    )

    results_compute(campaign=story.campaign)

    assert list(decision.rows.values_list("unit_name", "total", "index", "rank")) == before
    live = {row.unit_name: row.rank for row in decision_rows_preview(decision=decision)}
    assert live["Sở Giao thông vận tải"] == 1  # the live results moved; the rows did not


def test_a_published_decision_and_its_rows_cannot_be_saved(story, staff):
    decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)

    decision.subject = "Sửa"
    with pytest.raises(PublishedDecisionError):
        decision.save()
    row = decision.rows.first()
    row.total = Decimal("0")
    with pytest.raises(PublishedDecisionError):
        row.save()


def test_a_published_decision_cannot_be_deleted_but_a_draft_can(story, staff, media_root):
    decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)
    with pytest.raises(PublishedDecisionError, match="không thể xóa"):
        decision.delete()
    assert Decision.objects.filter(pk=decision.pk, status=Decision.Status.PUBLISHED).exists()
    assert decision.rows.count() == len(DEPARTMENTS) + len(DISTRICTS)
    assert (media_root / decision.pdf.name).exists()

    draft = draft_decision(story.campaign, number="3/QĐ-UBND")
    draft.delete()
    assert not Decision.objects.filter(pk=draft.pk).exists()


def test_a_correction_supersedes_and_both_stay_readable(story, staff, english):
    original = decision_publish(decision=draft_decision(story.campaign), actor=staff)
    Score.objects.filter(assessment=story.assessments["Huyện Long Phú"]).update(
        final_points=Decimal("1")
    )

    draft = decision_correct(decision=original, actor=staff, reason="Sai điểm huyện Long Phú")
    assert draft.status == Decision.Status.DRAFT and draft.supersedes == original
    assert draft.articles == original.articles
    with pytest.raises(PublicationError, match="already has a correction"):
        decision_correct(decision=original, actor=staff, reason="Lần hai")
    with pytest.raises(PublicationError, match="Only a published decision"):
        decision_correct(decision=draft, actor=staff, reason="Nháp")

    draft.number, draft.signed_on = "2600/QĐ-UBND", dt.date(2016, 11, 2)
    draft.save()
    corrected = decision_publish(decision=draft, actor=staff)

    original.refresh_from_db()
    assert original.is_published and corrected.is_published
    assert original.superseded_by == corrected
    old = {r.unit_name: r.rank for r in original.rows.all()}
    new = {r.unit_name: r.rank for r in corrected.rows.all()}
    assert old["Huyện Long Phú"] == 1 and new["Huyện Long Phú"] == 2
    assert original.pdf_sha256 != corrected.pdf_sha256
    assert original.pdf.storage.exists(original.pdf.name)


def test_publish_decision_command(story, staff):
    out = StringIO()
    call_command(
        "publish_decision",
        "2015",
        "--actor=staff",
        "--number=2491/QĐ-UBND",
        "--date=2016-10-17",
        "--signer=Lê Thành Trí",
        *CITED,
        stdout=out,
    )

    decision = Decision.objects.get()
    assert decision.is_published and decision.signer_title == "PHÓ CHỦ TỊCH"
    assert decision.pdf_sha256 in out.getvalue()
    assert " s\n" in out.getvalue()
    assert decision.rows.count() == len(DEPARTMENTS) + len(DISTRICTS)


def test_publish_decision_command_refusal_leaves_no_draft(story, staff):
    Assessment.objects.filter(unit=story.units["Huyện Long Phú"]).update(
        state=Assessment.State.SUBMITTED
    )
    with pytest.raises(CommandError, match="Huyện Long Phú"):
        call_command(
            "publish_decision",
            "2015",
            "--actor=staff",
            "--number=1/QĐ-UBND",
            "--date=2016-10-17",
            "--signer=X",
            *CITED,
            stdout=StringIO(),
        )
    assert not Decision.objects.exists()


def test_the_publish_decision_command_refuses_the_blanks_of_a_draft_without_its_citations(
    story, staff
):
    with pytest.raises(CommandError) as refused:
        call_command(
            "publish_decision",
            "2015",
            "--actor=staff",
            "--number=2491/QĐ-UBND",
            "--date=2016-10-17",
            "--signer=Lê Thành Trí",
            stdout=StringIO(),
        )
    message = str(refused.value)
    assert "Kế hoạch số /KH-UBND" in message and "Tờ trình số /TTr-SNV" in message
    assert "…" not in message  # blanks, refused as missing: the defaults hold no placeholder
    assert not Decision.objects.exists()


def test_the_publish_decision_command_refuses_anyone_but_staff(story, editor_a):
    with pytest.raises(CommandError, match="staff"):
        call_command(
            "publish_decision",
            "2015",
            "--actor=editor_a",
            "--number=2491/QĐ-UBND",
            "--date=2016-10-17",
            "--signer=Lê Thành Trí",
            stdout=StringIO(),
        )
    assert not Decision.objects.exists()


# -- the text of the decision ----------------------------------------------------------

PLACEHOLDER_FORMS = ["…", "...", "___", "[", "xx"]
LABELS = {
    "number": "Số, ký hiệu",
    "place": "Địa danh",
    "issuing_body": "Cơ quan ban hành",
    "subject": "Trích yếu",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ và tên người ký",
    "legal_bases": "Căn cứ pháp lý, dòng 2",
    "articles": "Các điều, dòng 2",
    "recipients": "Nơi nhận, dòng 2",
}


def with_placeholder(field: str, mark: str) -> str | list[str]:
    if field in ("legal_bases", "articles", "recipients"):
        return ["Như Điều 3;", f"Tờ trình số {mark}/TTr-SNV ngày 05/10/2016;"]
    return f"{mark}/QĐ-UBND" if field == "number" else f"Lê Văn {mark}"


def assert_nothing_published(story, draft: Decision) -> None:
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and not draft.rows.exists() and not draft.pdf
    assert not AssessmentEvent.objects.filter(action="publish").exists()
    assert Campaign.objects.get().status != Campaign.Status.PUBLISHED


@pytest.mark.parametrize("mark", PLACEHOLDER_FORMS)
@pytest.mark.parametrize("field", LABELS)
def test_a_placeholder_refuses_publication_naming_the_field(story, staff, field, mark):
    # Saved as is, as a draft made before the rules, or through the admin, would be.
    draft = draft_decision(story.campaign, **{field: with_placeholder(field, mark)})

    with pytest.raises(PublicationError) as refused:
        decision_publish(decision=draft, actor=staff)

    [reason] = refused.value.message.splitlines()
    assert reason.startswith(f"{LABELS[field]}: “") and "chỗ trống chưa điền" in reason
    assert_nothing_published(story, draft)


def test_the_queued_publication_is_refused_at_once_with_every_reason(story, staff):
    from reports.services.publication_queue import decision_publication_request

    draft = draft_decision(
        story.campaign,
        legal_bases=[
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "Căn cứ Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh Sóc Trăng;",
            "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …/TTr-SNV ngày ….",
        ],
    )
    with pytest.raises(PublicationError) as refused:
        decision_publication_request(decision=draft, actor=staff)

    reasons = refused.value.message.splitlines()
    assert [reason.split(":")[0] for reason in reasons] == [
        "Căn cứ pháp lý, dòng 2",
        "Căn cứ pháp lý, dòng 3",
    ]
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


def test_a_correction_copying_placeholders_is_refused_until_they_are_filled(story, staff):
    original = decision_publish(decision=draft_decision(story.campaign), actor=staff)
    # As published before the rules existed (the demo's 2491 was).
    blanks = ["Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …/TTr-SNV ngày …."]
    Decision.objects.filter(pk=original.pk).update(legal_bases=blanks)
    original.refresh_from_db()

    draft = decision_correct(decision=original, actor=staff, reason="Sai điểm")
    Decision.objects.filter(pk=draft.pk).update(number="2600/QĐ-UBND")
    draft.refresh_from_db()
    with pytest.raises(PublicationError, match=r"^Căn cứ pháp lý, dòng 1: “Tờ trình số …"):
        decision_publish(decision=draft, actor=staff)
    assert Decision.objects.get(pk=draft.pk).status == Decision.Status.DRAFT

    filled = ["Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 1386/TTr-SNV ngày 05/10/2016."]
    Decision.objects.filter(pk=draft.pk).update(legal_bases=filled)
    draft.refresh_from_db()
    assert decision_publish(decision=draft, actor=staff).is_published


def test_a_cited_document_later_than_the_decision_refuses_publication(story, staff):
    draft = draft_decision(story.campaign, signed_on=dt.date(2016, 10, 4))
    with pytest.raises(PublicationError) as refused:
        decision_publish(decision=draft, actor=staff)
    [reason] = refused.value.message.splitlines()
    assert reason.startswith("Căn cứ pháp lý, dòng 3: “")
    assert "ghi ngày 05/10/2016, sau ngày của chính Quyết định (04/10/2016)" in reason
    assert_nothing_published(story, draft)


def test_a_decision_dated_before_the_last_finalisation_refuses_publication(story, staff):
    draft = draft_decision(story.campaign)
    finalised_on(story.assessments["Thị xã Ngã Năm"], dt.datetime(2016, 10, 18, 8, tzinfo=dt.UTC))
    with pytest.raises(PublicationError) as refused:
        decision_publish(decision=draft, actor=staff)
    [reason] = refused.value.message.splitlines()
    assert reason.startswith("Ngày ban hành: Quyết định ghi ngày 17/10/2016, trước ngày kết thúc")
    assert_nothing_published(story, draft)

    Decision.objects.filter(pk=draft.pk).update(signed_on=dt.date(2016, 10, 18))
    draft.refresh_from_db()
    assert decision_publish(decision=draft, actor=staff).is_published
