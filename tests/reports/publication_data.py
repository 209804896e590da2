"""An appraised two-block campaign, small enough to publish in every test."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reports.models import Decision
from reports.services.drafting import decision_draft_defaults
from scoring.models import Assessment, Campaign, Criterion, Score
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


def draft_decision(
    campaign: Campaign, *, number: str = "2491/QĐ-UBND", signed_on=None, **fields
) -> Decision:
    values = decision_draft_defaults(campaign=campaign)
    values.update(fields)
    return Decision.objects.create(
        campaign=campaign,
        number=number,
        signed_on=signed_on or dt.date(2016, 10, 17),
        signer_name="Lê Thành Trí",
        **values,
    )
