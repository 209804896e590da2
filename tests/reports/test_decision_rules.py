"""The rules of a decision's text: placeholders, blanks and dates, each refusal naming its field."""

import datetime as dt
import unicodedata

import pytest
from django.utils import translation

from reports.decision_rules import cited_dates, decision_problems, placeholders
from tests.reports.publication_data import complete_values

DECIDED = dt.date(2016, 10, 17)

# Every field a drafter writes, with its Vietnamese label as a refusal names it.
TEXT_FIELDS = {
    "number": "Số, ký hiệu",
    "place": "Địa danh",
    "issuing_body": "Cơ quan ban hành",
    "subject": "Trích yếu",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ và tên người ký",
}
LIST_FIELDS = {"legal_bases": "Căn cứ pháp lý", "articles": "Các điều", "recipients": "Nơi nhận"}
PLACEHOLDER_FORMS = ["…", "...", "___", "[tên]", "xx", "XX"]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def messages(values: dict, **kwargs) -> list[str]:
    return [problem.message for problem in decision_problems(values, **kwargs)]


def test_complete_values_pass():
    assert decision_problems(complete_values()) == []


@pytest.mark.parametrize("mark", PLACEHOLDER_FORMS)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_placeholder_in_a_text_field_is_refused_naming_the_field_and_the_text(field, mark):
    text = f"Số {mark}/QĐ-UBND" if field == "number" else f"Lê Văn {mark}"
    [problem] = decision_problems(complete_values(**{field: text}))

    assert problem.field == field and problem.line is None
    assert problem.message.startswith(f"{TEXT_FIELDS[field]}:")
    assert f"“{text}”" in problem.message
    assert "chỗ trống chưa điền" in problem.message


@pytest.mark.parametrize("mark", PLACEHOLDER_FORMS)
@pytest.mark.parametrize("field", LIST_FIELDS)
def test_a_placeholder_in_a_list_field_is_refused_naming_the_field_and_the_line(field, mark):
    lines = ["Như Điều 3;", f"Căn cứ Kế hoạch số {mark}/KH-UBND của Ủy ban;"]
    [problem] = decision_problems(complete_values(**{field: lines}))

    assert (problem.field, problem.line) == (field, 2)
    assert problem.message.startswith(f"{LIST_FIELDS[field]}, dòng 2:")
    assert f"“Kế hoạch số {mark}/KH-UBND”" in problem.message


def test_the_testers_legal_bases_are_refused_on_every_placeholder_line():
    found = decision_problems(
        complete_values(
            legal_bases=[
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                "Căn cứ Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh Sóc Trăng;",
                "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …/TTr-SNV ngày ….",
            ]
        )
    )
    assert [(p.field, p.line) for p in found] == [("legal_bases", 2), ("legal_bases", 3)]
    assert "“Kế hoạch số …/KH-UBND ngày …”" in found[0].message
    assert "“Tờ trình số …/TTr-SNV ngày ….”" in found[1].message


@pytest.mark.parametrize(
    "text",
    [
        "Luxxury",  # inside a word
        "Thế kỷ XXI",  # a Roman numeral longer than the placeholder
        "Chương trình số 2/CTr-UBND; điểm a, b khoản 1",
        "Lưu: VT, NC.",
        "Thi hành kể từ ngày ký./.",
    ],
)
def test_real_text_is_not_a_placeholder(text):
    assert placeholders(text) == []


def test_xx_counts_beside_digits_and_signs():
    assert placeholders("ngày xx/xx/20xx") == ["ngày xx/xx/20xx"]


@pytest.mark.parametrize("field", [*TEXT_FIELDS, *LIST_FIELDS, "signed_on"])
@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_field_is_refused_as_required_not_as_a_placeholder(field, empty):
    value = [empty] if field in LIST_FIELDS and empty is not None else empty
    if field == "signed_on":
        value = None
    [problem] = decision_problems(complete_values(**{field: value}))

    assert problem.field == field
    assert "bắt buộc" in problem.message and "chỗ trống" not in problem.message


def test_a_number_without_its_digits_is_refused_as_missing():
    [problem] = decision_problems(complete_values(number="/QĐ-UBND"))
    assert problem.field == "number"
    assert problem.message == "Số, ký hiệu: “/QĐ-UBND” thiếu số trước dấu gạch chéo."


def test_a_blank_cited_number_is_refused_in_any_field_naming_that_field():
    [problem] = decision_problems(complete_values(subject="Sửa đổi Quyết định số /QĐ-UBND"))
    assert problem.field == "subject"
    assert problem.message == (
        "Trích yếu: thiếu số của văn bản được dẫn trong “Quyết định số /QĐ-UBND”."
    )


def test_a_blank_cited_number_and_date_are_refused_as_missing():
    line = "Căn cứ Kế hoạch số /KH-UBND ngày tháng năm của Ủy ban nhân dân tỉnh Sóc Trăng;"
    found = messages(complete_values(legal_bases=[line]))

    assert found == [
        "Căn cứ pháp lý, dòng 1: thiếu số của văn bản được dẫn trong “Kế hoạch số /KH-UBND”.",
        "Căn cứ pháp lý, dòng 1: thiếu ngày ban hành của văn bản được dẫn trong "
        "“số /KH-UBND ngày tháng năm”.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", (2015, 6, 19)),
        ("Căn cứ Luật ngày 19/6/2015;", (2015, 6, 19)),
        ("Căn cứ Luật ngày 19/06/2015;", (2015, 6, 19)),
        ("Căn cứ Luật ngày 19-6-2015;", (2015, 6, 19)),
        ("Căn cứ Luật ngày 19.6.2015;", (2015, 6, 19)),
        ("Căn cứ Luật Ngày 05 tháng 02 năm 2016;", (2016, 2, 5)),
    ],
)
def test_vietnamese_dates_are_read_from_a_legal_basis(text, expected):
    [cited] = cited_dates(text)
    assert cited.day == dt.date(*expected)


def test_dates_typed_decomposed_are_read_too():
    text = unicodedata.normalize("NFD", "Căn cứ Luật ngày 19 tháng 6 năm 2015;")
    assert [cited.day for cited in cited_dates(text)] == [dt.date(2015, 6, 19)]


def test_each_citation_of_a_line_is_quoted_up_to_its_own_date():
    line = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
        "bổ sung một số điều ngày 22 tháng 11 năm 2019;"
    )
    assert [cited.text for cited in cited_dates(line)] == [
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
        "Luật sửa đổi, bổ sung một số điều ngày 22 tháng 11 năm 2019",
    ]


def test_a_document_dated_after_the_decision_is_refused():
    law = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    found = decision_problems(
        complete_values(signed_on=dt.date(2015, 5, 20), legal_bases=["Căn cứ Luật A;", law])
    )

    [problem] = found
    assert (problem.field, problem.line) == ("legal_bases", 2)
    assert problem.message == (
        "Căn cứ pháp lý, dòng 2: “Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm "
        "2015” ghi ngày 19/06/2015, sau ngày của chính Quyết định (20/05/2015): Quyết định "
        "không thể căn cứ vào văn bản ban hành sau nó."
    )


def test_a_document_of_the_decisions_own_day_or_before_is_accepted():
    for day in ("ngày 17/10/2016", "ngày 16 tháng 10 năm 2016"):
        values = complete_values(legal_bases=[f"Theo Tờ trình số 1/TTr-SNV {day}."])
        assert decision_problems(values) == [], day


def test_an_impossible_date_is_refused():
    [problem] = decision_problems(
        complete_values(legal_bases=["Căn cứ Kế hoạch số 3/KH-UBND ngày 31/02/2016;"])
    )
    assert problem.message == (
        "Căn cứ pháp lý, dòng 1: “Kế hoạch số 3/KH-UBND ngày 31/02/2016” không phải là một "
        "ngày có thật."
    )


def test_dates_outside_the_legal_bases_are_not_judged():
    values = complete_values(
        articles=["Quyết định có hiệu lực kể từ ngày 01 tháng 01 năm 2030./."],
        recipients=["Như Điều 3;", "Lưu: VT, NC."],
    )
    assert decision_problems(values) == []


def test_a_decision_dated_before_the_appraisal_ended_is_refused():
    values = complete_values(signed_on=dt.date(2016, 10, 17))

    assert decision_problems(values, appraisal_ended=dt.date(2016, 10, 17)) == []
    [problem] = decision_problems(values, appraisal_ended=dt.date(2016, 10, 18))
    assert problem.field == "signed_on"
    assert problem.message.startswith(
        "Ngày ban hành: Quyết định ghi ngày 17/10/2016, trước ngày kết thúc thẩm định "
        "của đợt đánh giá (18/10/2016"
    )


def test_fields_not_given_are_not_judged():
    assert decision_problems({"subject": "Phê duyệt …"})[0].field == "subject"
    assert decision_problems({"number": "2491/QĐ-UBND"}) == []
