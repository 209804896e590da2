"""Named builders for test data: keyword arguments, sensible defaults, no magic keys."""

from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group, User

from scoring.models import Assessment, Campaign, CampaignBlock, Criterion, Framework, TierBand
from units.models import APPRAISER_GROUP, STAFF_GROUP, Block, Membership, Unit

_serial = count(1)


def make_block(*, code: str = "so", name: str = "Sở, ban, ngành", position: int = 1) -> Block:
    block, _ = Block.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    return block


def make_unit(
    *, name: str | None = None, block: Block | None = None, code: str | None = None, **fields
) -> Unit:
    n = next(_serial)
    return Unit.objects.create(
        code=code or f"unit-{n}",
        name=name or f"Sở Thử nghiệm {n}",
        block=block or make_block(),
        **fields,
    )


def make_user(
    *,
    username: str | None = None,
    groups: tuple[str, ...] = (),
    unit: Unit | None = None,
    role: str | None = None,
) -> User:
    user = User.objects.create_user(username=username or f"user{next(_serial)}", password="pw")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role or Membership.Role.EDITOR)
    return user


def make_framework(
    *, year: int = 2015, block: Block | None = None, leaves: int = 2, leaf_max: str = "5", **fields
) -> Framework:
    """A framework with one area holding `leaves` direct-point leaves of `leaf_max` each."""
    framework = Framework.objects.create(
        year=year,
        block=block or make_block(),
        name=fields.pop("name", f"Bộ tiêu chí {year}"),
        **fields,
    )
    area = Criterion.objects.create(
        framework=framework,
        code="1",
        title="Công tác chỉ đạo, điều hành CCHC",
        max_points=Decimal(leaf_max) * leaves,
    )
    for i in range(1, leaves + 1):
        Criterion.objects.create(
            framework=framework,
            parent=area,
            code=f"1.{i}",
            title=f"Tiêu chí {i}",
            max_points=Decimal(leaf_max),
            step=Decimal("0.25"),
        )
    return framework


def make_framework_tree(*, year: int = 2015, block: Block | None = None, **fields) -> Framework:
    """Three areas, three levels, every scoring method, and codes that sort as numbers (2.10).

    Areas: 1 (max 3, with a levels scale, a ratio scale and sub-criteria), 2 (max 2.5,
    leaves 2.1, 2.2, 2.10) and 3 (a deduction of at most 2): maximum 5.5.
    """
    framework = Framework.objects.create(
        year=year,
        block=block or make_block(),
        name=fields.pop("name", f"Bộ tiêu chí sở {year}"),
        **fields,
    )

    def node(code: str, title: str, max_points: str, parent=None, **extra) -> Criterion:
        return Criterion.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            title=title,
            max_points=Decimal(max_points),
            **extra,
        )

    area1 = node("1", "Công tác chỉ đạo, điều hành CCHC", "3")
    node(
        "1.1",
        "Ban hành kế hoạch CCHC năm",
        "1",
        area1,
        method="levels",
        evidence_required=True,
        guidance="Kế hoạch ban hành trước ngày 15/12.",
        scale=[
            {"label": "Đúng hạn", "points": "1"},
            {"label": "Trễ hạn", "points": "0.5"},
            {"label": "Không ban hành", "points": "0"},
        ],
    )
    c12 = node("1.2", "Thực hiện kế hoạch", "2", area1)
    node("1.2.1", "Mức độ hoàn thành", "1.5", c12, step=Decimal("0.25"), na_allowed=True)
    node(
        "1.2.2",
        "Tỷ lệ nhiệm vụ đúng hạn",
        "0.5",
        c12,
        method="ratio",
        scale=[{"min_percent": "90", "points": "0.5"}, {"min_percent": "0", "points": "0"}],
    )
    area2 = node("2", "Cải cách thủ tục hành chính", "2.5")
    node("2.1", "Công khai thủ tục", "1", area2, method="survey")
    node("2.2", "Tiếp nhận hồ sơ", "1", area2)
    node("2.10", "Trả kết quả đúng hạn", "0.5", area2)
    area3 = node("3", "Điểm trừ", "2", method="deduction")
    node("3.1", "Vi phạm kỷ luật", "2", area3, method="deduction")
    return framework


def make_campaign(
    *,
    year: int = 2015,
    frameworks: tuple[Framework, ...] = (),
    tiers: tuple[tuple[str, str], ...] = (("Tốt", "80"), ("Khá", "65")),
    **fields,
) -> Campaign:
    campaign = Campaign.objects.create(
        year=year, name=fields.pop("name", f"Chỉ số CCHC năm {year}"), **fields
    )
    for framework in frameworks:
        campaign_block = CampaignBlock.objects.create(
            campaign=campaign, block=framework.block, framework=framework
        )
        for name, minimum in tiers:
            TierBand.objects.create(
                campaign_block=campaign_block, name=name, min_index=Decimal(minimum)
            )
    return campaign


def make_assessment(*, campaign: Campaign, unit: Unit, **fields) -> Assessment:
    framework = campaign.blocks.get(block=unit.block).framework
    return Assessment.objects.create(campaign=campaign, unit=unit, framework=framework, **fields)


__all__ = [
    "APPRAISER_GROUP",
    "STAFF_GROUP",
    "make_assessment",
    "make_block",
    "make_campaign",
    "make_framework",
    "make_framework_tree",
    "make_unit",
    "make_user",
]
