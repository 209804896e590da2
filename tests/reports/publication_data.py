"""An appraised two-block campaign, small enough to publish in every test."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reports.models import Decision
from reports.services.drafting import CitedDocument, decision_draft_defaults
from scoring.models import Assessment, AssessmentEvent, Campaign, Criterion, Score
from tests.factories import make_assessment, make_block, make_campaign, make_framework, make_unit
from units.models import Province, Unit

DEPARTMENTS = ("Sở Giáo dục và Đào tạo", "Sở Giao thông vận tải", "Sở Đào tạo Thử nghiệm")
DISTRICTS = ("Huyện Long Phú", "Thị xã Ngã Năm")


@dataclass
class Published:
    campaign: Campaign
    units: dict[str, Unit]
    assessments: dict[str, Assessment]


def appraised_campaign(*, year: int = 2015) -> Published:
    Province.objects.get_or_create(
        name="Sóc Trăng", defaults={"issuing_body": "Ủy ban nhân dân tỉnh Sóc Trăng"}
    )
    so = make_block(code="so", name="Sở, ban, ngành", position=1)
    huyen = make_block(code="huyen", name="UBND cấp huyện", position=2)
    frameworks = (
        make_framework(year=year, block=so, leaves=2, leaf_max="5"),
        make_framework(year=year, block=huyen, leaves=2, leaf_max="5"),
    )
    campaign = make_campaign(year=year, frameworks=frameworks)
    units, assessments = {}, {}
    points = ["10", "7.5", "7.5", "9", "3"]
    for name, block, total in zip(
        DEPARTMENTS + DISTRICTS, [so] * 3 + [huyen] * 2, points, strict=True
    ):
        unit = make_unit(name=name, block=block)
        assessment = make_assessment(campaign=campaign, unit=unit, state=Assessment.State.APPRAISED)
        half = Decimal(total) / 2
        for code in ("1.1", "1.2"):
            criterion = Criterion.objects.get(framework=assessment.framework, code=code)
            Score.objects.create(assessment=assessment, criterion=criterion, final_points=half)
        units[name], assessments[name] = unit, assessment
    return Published(campaign, units, assessments)


# The documents a complete draft cites, dated before the decision (17/10/2016).
PLAN = CitedDocument("23/KH-UBND", dt.date(2015, 3, 9))
SUBMISSION = CitedDocument("1386/TTr-SNV", dt.date(2016, 10, 5))


def draft_decision(
    campaign: Campaign, *, number: str = "2491/QĐ-UBND", signed_on=None, **fields
) -> Decision:
    """A complete draft from the drafting defaults, saved as is (no rules applied)."""
    signed_on = signed_on or dt.date(2016, 10, 17)
    values = decision_draft_defaults(
        campaign=campaign, signed_on=signed_on, plan=PLAN, submission=SUBMISSION
    )
    values.update({"signer_name": "Lê Thành Trí", **fields})
    return Decision.objects.create(campaign=campaign, number=number, signed_on=signed_on, **values)


def complete_values(**overrides) -> dict:
    """Every text field of a decision (Decision field names) as the rules accept them."""
    values = {
        "number": "2491/QĐ-UBND",
        "signed_on": dt.date(2016, 10, 17),
        "place": "Sóc Trăng",
        "issuing_body": "Ủy ban nhân dân tỉnh Sóc Trăng",
        "subject": "Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        "signing_mode": Decision.SigningMode.KT,
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lê Thành Trí",
        "legal_bases": [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 1386/TTr-SNV ngày 05/10/2016.",
        ],
        "articles": ["Phê duyệt.", "Khắc phục.", "Thi hành./."],
        "recipients": ["Như Điều 3;", "Lưu: VT, NC."],
    }
    return values | overrides


def finalised_on(assessment: Assessment, when: dt.datetime) -> AssessmentEvent:
    """A "finalise" workflow event of the assessment, at the given time."""
    event = AssessmentEvent.objects.create(
        assessment=assessment,
        action="finalise",
        from_state=Assessment.State.IN_APPRAISAL,
        to_state=Assessment.State.APPRAISED,
    )
    # `at` is set on creation: move it to the day the test needs.
    AssessmentEvent.objects.filter(pk=event.pk).update(at=when)
    return event
