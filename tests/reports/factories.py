"""Published decisions built directly (not through the publication service), for public pages."""

from datetime import date, datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from reports.models import Decision, PublishedResult
from scoring.models import Campaign
from tests.factories import make_block, make_campaign, make_framework, make_unit
from units.models import Unit

_serial = count(1)


def make_decision(
    *,
    campaign: Campaign,
    status: str = Decision.Status.PUBLISHED,
    published_at: datetime | None = None,
    **fields,
) -> Decision:
    """A decision saved once in its final status (a published row can no longer be saved)."""
    n = next(_serial)
    defaults = {
        "number": f"{2400 + n}/QĐ-UBND",
        "signed_on": date(campaign.year + 1, 10, min(n, 28)),
        "place": "Sóc Trăng",
        "issuing_body": "Ủy ban nhân dân tỉnh Sóc Trăng",
        "subject": f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {campaign.year}",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lê Văn Hiểu",
    }
    if status == Decision.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    return Decision.objects.create(
        campaign=campaign, status=status, published_at=published_at, **(defaults | fields)
    )


def make_row(
    *,
    decision: Decision,
    unit: Unit,
    rank: int,
    index: str,
    block_code: str = "so",
    block_name: str = "Sở, ban, ngành",
    block_position: int = 1,
    position: int | None = None,
    tier: str = "Khá",
    previous_rank: int | None = None,
    previous_index: str | None = None,
    name: str | None = None,
) -> PublishedResult:
    """A row whose numbers add up: maximum 100, area 1 = index − 20, survey 20."""
    total = Decimal(index)
    return PublishedResult.objects.create(
        decision=decision,
        block_code=block_code,
        block_name=block_name,
        block_position=block_position,
        position=position or rank,
        unit=unit,
        unit_code=unit.code,
        unit_name=name or unit.name,
        areas=[
            {
                "code": "1",
                "title": "Công tác chỉ đạo, điều hành CCHC",
                "points": str(total - 20),
                "max": "80",
            },
        ],
        survey_points=Decimal("20"),
        deductions=Decimal("0"),
        bonus=Decimal("0"),
        total=total,
        applicable_max=Decimal("100"),
        index=total,
        rank=rank,
        tier=tier,
        previous_rank=previous_rank,
        previous_index=Decimal(previous_index) if previous_index else None,
    )


def make_published_years() -> dict:
    """Two published years (2014, 2015) × two blocks (so, huyen), with a rename and a merger.

    Departments: "so-gd" keeps its name; "so-nv-2015" is "so-nv-2014" renamed in 2015.
    Districts: "tx-moi" merges "huyen-a" and "huyen-b" in 2015; "huyen-c" stays.
    """
    so = make_block(code="so", name="Sở, ban, ngành", position=1)
    huyen = make_block(code="huyen", name="UBND cấp huyện", position=2)
    campaigns = {}
    for year in (2014, 2015):
        campaigns[year] = make_campaign(
            year=year,
            frameworks=(
                make_framework(year=year, block=so),
                make_framework(year=year, block=huyen),
            ),
        )
    gd = make_unit(code="so-gd", name="Sở Giáo dục và Đào tạo", block=so)
    nv_old = make_unit(code="so-nv-2014", name="Sở Nội vụ cũ", block=so, active_to=2014)
    nv_new = make_unit(code="so-nv-2015", name="Sở Nội vụ", block=so, active_from=2015)
    nv_new.predecessors.add(nv_old)
    huyen_a = make_unit(code="huyen-a", name="Huyện An Lạc", block=huyen, active_to=2014)
    huyen_b = make_unit(code="huyen-b", name="Huyện Bình Yên", block=huyen, active_to=2014)
    huyen_c = make_unit(code="huyen-c", name="Huyện Châu Giang", block=huyen)
    merged = make_unit(code="tx-moi", name="Thị xã Mới", block=huyen, active_from=2015)
    merged.predecessors.add(huyen_a, huyen_b)

    d2014 = make_decision(campaign=campaigns[2014], summary="Năm 2014: mở đầu.")
    make_row(decision=d2014, unit=gd, rank=2, index="78.5", tier="Khá")
    make_row(decision=d2014, unit=nv_old, rank=1, index="84.25", tier="Tốt")
    district = {"block_code": "huyen", "block_name": "UBND cấp huyện", "block_position": 2}
    make_row(decision=d2014, unit=huyen_a, rank=1, index="81", tier="Tốt", **district)
    make_row(decision=d2014, unit=huyen_b, rank=2, index="75", **district)
    make_row(decision=d2014, unit=huyen_c, rank=3, index="70", **district)

    d2015 = make_decision(
        campaign=campaigns[2015],
        summary="Năm 2015 có 1 đơn vị tăng hạng.\n\nĐoạn thứ hai.",
    )
    make_row(
        decision=d2015,
        unit=gd,
        rank=1,
        index="88.125",
        tier="Tốt",
        previous_rank=2,
        previous_index="78.5",
    )
    make_row(
        decision=d2015,
        unit=nv_new,
        rank=2,
        index="80.5",
        tier="Tốt",
        previous_rank=1,
        previous_index="84.25",
    )
    make_row(
        decision=d2015,
        unit=huyen_c,
        rank=1,
        index="83",
        tier="Tốt",
        previous_rank=3,
        previous_index="70",
        **district,
    )
    make_row(decision=d2015, unit=merged, rank=2, index="79", **district)
    return {
        "campaigns": campaigns,
        "decisions": {2014: d2014, 2015: d2015},
        "units": {
            "gd": gd,
            "nv_old": nv_old,
            "nv_new": nv_new,
            "huyen_a": huyen_a,
            "huyen_b": huyen_b,
            "huyen_c": huyen_c,
            "merged": merged,
        },
    }


def add_units(*, decisions: list[Decision], block_code: str, count: int, start_rank: int) -> None:
    """More units with rows in each decision (bulk): a page's queries must not grow with them."""
    block = make_block(code=block_code)
    units = Unit.objects.bulk_create(
        Unit(
            code=f"extra-{block_code}-{start_rank + i}",
            name=f"Đơn vị {start_rank + i}",
            block=block,
            search_text=f"don vi {start_rank + i}",
        )
        for i in range(count)
    )
    PublishedResult.objects.bulk_create(
        PublishedResult(
            decision=decision,
            block_code=block_code,
            block_name=block.name,
            block_position=1,
            position=start_rank + i,
            unit=unit,
            unit_code=unit.code,
            unit_name=unit.name,
            areas=[{"code": "1", "title": "Chỉ đạo", "points": "40", "max": "80"}],
            survey_points=Decimal("10"),
            deductions=Decimal("0"),
            bonus=Decimal("0"),
            total=Decimal("50"),
            applicable_max=Decimal("100"),
            index=Decimal("50"),
            rank=start_rank + i,
            tier="Trung bình",
            previous_rank=start_rank + i,
            previous_index=Decimal("49"),
        )
        for decision in decisions
        for i, unit in enumerate(units)
    )
