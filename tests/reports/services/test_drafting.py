"""Drafting services: defaults without placeholders, and no half-written decision saved."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.decision_rules import PLACEHOLDER, decision_problems
from reports.errors import PublicationError
from reports.models import Decision
from reports.services.drafting import (
    CitedDocument,
    decision_create,
    decision_draft_defaults,
    decision_draft_update,
    local_government_law,
)
from tests.reports.publication_data import appraised_campaign, complete_values, finalised_on

pytestmark = pytest.mark.django_db

PLACEHOLDER_FORMS = ["…", "...", "___", "[", "xx"]
FIELDS = ["number", "place", "issuing_body", "subject", "signer_title", "signer_name"]


@pytest.fixture
def story(db):
    return appraised_campaign()


def all_text(values: dict) -> list[str]:
    return [
        line
        for value in values.values()
        for line in (value if isinstance(value, list) else [str(value)])
    ]


def test_the_defaults_hold_no_placeholder_and_leave_the_unknown_numbers_blank(story):
    defaults = decision_draft_defaults(campaign=story.campaign, signed_on=dt.date(2016, 10, 17))

    assert not [text for text in all_text(defaults) if PLACEHOLDER.search(text)]
    law, plan, submission = defaults["legal_bases"]
    assert "Kế hoạch số /KH-UBND ngày tháng năm của Ủy ban nhân dân tỉnh Sóc Trăng" in plan
    assert submission == (
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số /TTr-SNV ngày tháng năm."
    )
    # Refused as missing, never as a placeholder.
    values = defaults | {"number": "", "signed_on": dt.date(2016, 10, 17), "signer_name": ""}
    messages = [problem.message for problem in decision_problems(values)]
    assert messages == [
        "Số, ký hiệu: bắt buộc phải điền.",
        "Họ và tên người ký: bắt buộc phải điền.",
        "Căn cứ pháp lý, dòng 2: thiếu số của văn bản được dẫn trong “Kế hoạch số /KH-UBND”.",
        "Căn cứ pháp lý, dòng 2: thiếu ngày ban hành của văn bản được dẫn trong "
        "“số /KH-UBND ngày tháng năm”.",
        "Căn cứ pháp lý, dòng 3: thiếu số của văn bản được dẫn trong “Tờ trình số /TTr-SNV”.",
        "Căn cứ pháp lý, dòng 3: thiếu ngày ban hành của văn bản được dẫn trong "
        "“số /TTr-SNV ngày tháng năm”.",
    ]


def test_the_defaults_cite_the_plan_and_the_submission_when_given(story):
    defaults = decision_draft_defaults(
        campaign=story.campaign,
        signed_on=dt.date(2016, 10, 17),
        plan=CitedDocument("23/KH-UBND", dt.date(2015, 3, 9)),
        submission=CitedDocument("1386/TTr-SNV", dt.date(2016, 10, 5)),
    )
    law, plan, submission = defaults["legal_bases"]
    assert law == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    assert plan.startswith("Căn cứ Kế hoạch số 23/KH-UBND ngày 9 tháng 3 năm 2015 của ")
    assert submission.endswith("Tờ trình số 1386/TTr-SNV ngày 5 tháng 10 năm 2016.")
    values = defaults | {"number": "1/QĐ-UBND", "signed_on": dt.date(2016, 10, 17)}
    assert decision_problems(values | {"signer_name": "Lê Thành Trí"}) == []


@pytest.mark.parametrize(
    ("day", "law"),
    [
        (
            dt.date(2015, 5, 20),
            "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11",
        ),
        # Adopted on 19/06/2015, in force from 01/01/2016.
        (
            dt.date(2015, 12, 31),
            "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11",
        ),
        (dt.date(2016, 1, 1), "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"),
        (dt.date(2020, 7, 1), "ngày 22 tháng 11 năm 2019;"),
        (dt.date(2025, 7, 1), "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"),
    ],
)
def test_the_law_cited_is_the_one_in_force_on_the_decisions_date(day, law):
    cited = local_government_law(day)
    assert law in cited
    assert decision_problems(complete_values(signed_on=day, legal_bases=[cited])) == []


def test_a_new_draft_without_a_date_cites_the_law_in_force_today(story):
    defaults = decision_draft_defaults(campaign=story.campaign)
    assert defaults["legal_bases"][0] == local_government_law(timezone.localdate())


@pytest.mark.parametrize("mark", PLACEHOLDER_FORMS)
@pytest.mark.parametrize("field", FIELDS)
def test_creating_a_draft_with_a_placeholder_is_refused_and_writes_nothing(
    story, staff, field, mark
):
    values = complete_values(**{field: f"Lê Văn {mark}"})
    with pytest.raises(PublicationError) as refused:
        decision_create(campaign=story.campaign, actor=staff, values=values)

    assert refused.value.message.startswith(
        str(Decision._meta.get_field(field).verbose_name).capitalize()
    )
    assert f"“Lê Văn {mark}”" in refused.value.message
    assert not Decision.objects.exists()


@pytest.mark.parametrize("field", ["legal_bases", "articles", "recipients"])
def test_editing_a_draft_into_a_placeholder_is_refused_and_keeps_the_row(story, staff, field):
    draft = decision_create(campaign=story.campaign, actor=staff, values=complete_values())
    before = getattr(draft, field)
    with pytest.raises(PublicationError, match=r", dòng 2: “Tờ trình số …/TTr-SNV”"):
        decision_draft_update(
            decision=draft, actor=staff, changes={field: ["Như Điều 3;", "Tờ trình số …/TTr-SNV"]}
        )
    draft.refresh_from_db()
    assert getattr(draft, field) == before


def test_a_draft_dated_before_the_appraisal_ended_is_refused(story, staff):
    finalised_on(story.assessments["Huyện Long Phú"], dt.datetime(2016, 10, 20, 9, tzinfo=dt.UTC))
    with pytest.raises(PublicationError, match="trước ngày kết thúc thẩm định"):
        decision_create(campaign=story.campaign, actor=staff, values=complete_values())
    draft = decision_create(
        campaign=story.campaign,
        actor=staff,
        values=complete_values(signed_on=dt.date(2016, 10, 20)),
    )
    with pytest.raises(PublicationError, match="20/10/2016"):
        decision_draft_update(
            decision=draft, actor=staff, changes={"signed_on": dt.date(2016, 10, 19)}
        )
    draft.refresh_from_db()
    assert draft.signed_on == dt.date(2016, 10, 20)
