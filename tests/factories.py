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


def make_unit(*, name: str | None = None, block: Block | None = None, code: str | None = None,
              **fields) -> Unit:
    n = next(_serial)
    return Unit.objects.create(
        code=code or f"unit-{n}",
        name=name or f"Sở Thử nghiệm {n}",
        block=block or make_block(),
        **fields,
    )


def make_user(*, username: str | None = None, groups: tuple[str, ...] = (),
              unit: Unit | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username or f"user{next(_serial)}", password="pw")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role or Membership.Role.EDITOR)
    return user


def make_framework(*, year: int = 2015, block: Block | None = None, leaves: int = 2,
                   leaf_max: str = "5", **fields) -> Framework:
    """A framework with one area holding `leaves` direct-point leaves of `leaf_max` each."""
    framework = Framework.objects.create(
        year=year, block=block or make_block(), name=fields.pop("name", f"Bộ tiêu chí {year}"),
        **fields,
    )
    area = Criterion.objects.create(
        framework=framework, code="1", title="Công tác chỉ đạo, điều hành CCHC",
        max_points=Decimal(leaf_max) * leaves,
    )
    for i in range(1, leaves + 1):
        Criterion.objects.create(
            framework=framework, parent=area, code=f"1.{i}", title=f"Tiêu chí {i}",
            max_points=Decimal(leaf_max), step=Decimal("0.25"),
        )
    return framework


def make_campaign(*, year: int = 2015, frameworks: tuple[Framework, ...] = (),
                  tiers: tuple[tuple[str, str], ...] = (("Tốt", "80"), ("Khá", "65")),
                  **fields) -> Campaign:
    campaign = Campaign.objects.create(year=year, name=fields.pop("name", f"Chỉ số CCHC năm {year}"),
                                       **fields)
    for framework in frameworks:
        campaign_block = CampaignBlock.objects.create(
            campaign=campaign, block=framework.block, framework=framework
        )
        for name, minimum in tiers:
            TierBand.objects.create(campaign_block=campaign_block, name=name,
                                    min_index=Decimal(minimum))
    return campaign


def make_assessment(*, campaign: Campaign, unit: Unit, **fields) -> Assessment:
    framework = campaign.blocks.get(block=unit.block).framework
    return Assessment.objects.create(campaign=campaign, unit=unit, framework=framework, **fields)


__all__ = [
    "APPRAISER_GROUP", "STAFF_GROUP", "make_assessment", "make_block", "make_campaign",
    "make_framework", "make_unit", "make_user",
]
