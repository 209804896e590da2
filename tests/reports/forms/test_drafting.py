"""The decision form refuses a half-written decision, each reason on its own field."""

import datetime as dt

import pytest

from reports.forms.drafting import DecisionForm
from reports.models import Decision
from tests.reports.publication_data import finalised_on

pytestmark = pytest.mark.django_db

PLACEHOLDER_FORMS = ["…", "...", "___", "[số]", "xx"]
TEXT_FIELDS = ["number", "place", "issuing_body", "subject", "signer_title", "signer_name"]
LIST_FIELDS = ["legal_bases", "articles", "recipients"]


def form_data(**overrides) -> dict:
    data = {
        "number": "2491/QĐ-UBND",
        "signed_on": "17/10/2016",
        "place": "Sóc Trăng",
        "issuing_body": "Ủy ban nhân dân tỉnh Sóc Trăng",
        "subject": "Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        "signing_mode": "KT",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lê Thành Trí",
        "legal_bases": (
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "Căn cứ Kế hoạch số 23/KH-UBND ngày 9 tháng 3 năm 2015 của Ủy ban nhân dân tỉnh;\n"
            "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 1386/TTr-SNV ngày 05/10/2016."
        ),
        "articles": "Phê duyệt.\nKhắc phục.\nThi hành./.",
        "recipients": "Như Điều 3;\nLưu: VT, NC.",
    }
    return data | overrides


def bound(campaign, **overrides) -> DecisionForm:
    return DecisionForm(form_data(**overrides), instance=Decision(campaign=campaign))


def test_a_complete_decision_is_valid(campaign):
    form = bound(campaign)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("mark", PLACEHOLDER_FORMS)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_placeholder_is_refused_on_its_field(campaign, field, mark):
    text = f"{mark}/QĐ-UBND" if field == "number" else f"Lê Văn {mark}"
    form = bound(campaign, **{field: text})

    assert not form.is_valid()
    assert list(form.errors) == [field]
    [message] = form.errors[field]
    assert f"“{text}”" in message and "chỗ trống chưa điền" in message


@pytest.mark.parametrize("mark", PLACEHOLDER_FORMS)
@pytest.mark.parametrize("field", LIST_FIELDS)
def test_a_placeholder_in_a_list_is_refused_with_its_line(campaign, field, mark):
    form = bound(campaign, **{field: f"Như Điều 3;\n\nTờ trình số {mark}/TTr-SNV;"})

    assert not form.is_valid()
    assert list(form.errors) == [field]
    [message] = form.errors[field]
    # Blank lines are dropped, so the line is the second item.
    assert ", dòng 2: “Tờ trình số " in message


def test_the_testers_decision_is_refused_on_each_line(campaign):
    form = bound(
        campaign,
        legal_bases=(
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "Căn cứ Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh Sóc Trăng;\n"
            "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …/TTr-SNV ngày …."
        ),
    )
    assert not form.is_valid()
    assert [m.split(":")[0] for m in form.errors["legal_bases"]] == [
        "Căn cứ pháp lý, dòng 2",
        "Căn cứ pháp lý, dòng 3",
    ]


def test_a_cited_law_later_than_the_decision_is_refused(campaign):
    form = bound(campaign, signed_on="20/05/2015")
    assert not form.is_valid()
    law, submission = form.errors["legal_bases"]
    assert law.startswith("Căn cứ pháp lý, dòng 1: “Luật Tổ chức chính quyền địa phương")
    assert "ghi ngày 19/06/2015, sau ngày của chính Quyết định (20/05/2015)" in law
    assert submission.startswith("Căn cứ pháp lý, dòng 3: ")
    assert "Tờ trình số 1386/TTr-SNV ngày 05/10/2016” ghi ngày 05/10/2016" in submission


def test_a_decision_dated_before_the_last_appraisal_finalised_is_refused(campaign):
    finalised_on(campaign.assessments.first(), dt.datetime(2016, 10, 18, 9, tzinfo=dt.UTC))
    form = bound(campaign)

    assert not form.is_valid()
    assert list(form.errors) == ["signed_on"]
    assert "(18/10/2016, ngày hoàn tất thẩm định cuối cùng)" in form.errors["signed_on"][0]
    assert bound(campaign, signed_on="18/10/2016").is_valid()


def test_an_empty_field_is_refused_once_as_required(campaign):
    form = bound(campaign, signer_name="", legal_bases="\n \n")
    assert not form.is_valid()
    assert set(form.errors) == {"signer_name", "legal_bases"}
    assert all(len(messages) == 1 for messages in form.errors.values())
