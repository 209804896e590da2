"""Which year a campaign compares with, and from what: the portal's published results, an
imported published table, or the portal's own preview (whose ranks count for a whole block)."""

import datetime
from decimal import Decimal as D

import pytest

from scoring.models import Assessment, Campaign, ImportedResult, Result
from scoring.selectors.previous_year import (
    COMPUTED,
    IMPORTED,
    PUBLISHED,
    previous_table,
    previous_year_of,
)
from scoring.services.results import results_compute
from tests.factories import make_block, make_unit
from tests.scoring.services.test_results import assess, build_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def block():
    return make_block(code="so")


def imported(unit, *, year: int, rank: int, index: str) -> ImportedResult:
    return ImportedResult.objects.create(
        year=year,
        unit=unit,
        block=unit.block,
        unit_name=unit.name,
        index=D(index),
        rank=rank,
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(year + 1, 1, 20),
        imported_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
    )


def result_of(unit, campaign) -> Result:
    return Result.objects.get(unit=unit, campaign=campaign)


def test_a_standing_start_compares_with_the_imported_table(block):
    """2025 is the portal's first campaign; 2024 exists only as its published table."""
    campaign = build_campaign(year=2025, blocks=[block])
    a, b = make_unit(block=block, code="a"), make_unit(block=block, code="b")
    imported(a, year=2024, rank=17, index="61.5")
    imported(b, year=2024, rank=3, index="88.25")
    assess(campaign, a, points={"1.1": "5", "1.2": "5"})
    assess(campaign, b, points={"1.1": "1"})
    results_compute(campaign=campaign)
    assert (result_of(a, campaign).previous_rank, result_of(a, campaign).previous_index) == (
        17,
        D("61.5"),
    )
    assert result_of(b, campaign).rank_change == 3 - 2
    source = previous_year_of(campaign)
    assert (source.year, source.kind) == (2024, IMPORTED)
    coverage = previous_table(source).blocks[block.pk]
    assert (coverage.rows, coverage.complete) == (2, False)  # ranks 3 and 17: part of it


def test_the_imported_table_wins_over_a_campaign_of_the_same_year_not_published(block):
    earlier = build_campaign(year=2024, blocks=[block])
    a = make_unit(block=block, code="a")
    assess(earlier, a, points={"1.1": "5"})
    imported(a, year=2024, rank=1, index="90.5")
    later = build_campaign(year=2025, blocks=[block])
    assess(later, a, points={"1.1": "4"})
    results_compute(campaign=later)
    assert result_of(a, later).previous_index == D("90.5")
    assert previous_year_of(later).kind == IMPORTED
    assert not Result.objects.filter(campaign=earlier).exists()  # no preview computed for it


def test_the_portals_own_publication_wins_over_an_imported_table(block):
    earlier = build_campaign(year=2024, blocks=[block])
    a = make_unit(block=block, code="a")
    assess(earlier, a, points={"1.1": "5"})
    results_compute(campaign=earlier)
    Campaign.objects.filter(pk=earlier.pk).update(status=Campaign.Status.PUBLISHED)
    imported(a, year=2024, rank=1, index="90.5")
    later = build_campaign(year=2025, blocks=[block])
    assess(later, a, points={"1.1": "4"})
    results_compute(campaign=later)
    assert result_of(a, later).previous_index == result_of(a, earlier).index == D("25")
    assert previous_year_of(later).kind == PUBLISHED


def test_a_later_imported_year_wins_over_an_older_campaign(block):
    build_campaign(year=2023, blocks=[block])
    a = make_unit(block=block, code="a")
    imported(a, year=2024, rank=1, index="90.5")
    later = build_campaign(year=2025, blocks=[block])
    assert (previous_year_of(later).year, previous_year_of(later).kind) == (2024, IMPORTED)


def test_ranks_among_part_of_a_block_are_not_kept_from_a_preview(block):
    """The 2024 campaign holds 5 of the block's units: their ranks among 5 are not the
    places the block published, so a unit 3rd of 5 must not read as falling 16 places."""
    earlier = build_campaign(year=2024, blocks=[block])
    units = [make_unit(block=block, code=f"u{n}") for n in range(20)]
    for n, unit in enumerate(units[:5]):
        assess(earlier, unit, points={"1.1": str(5 - n)})
    later = build_campaign(year=2025, blocks=[block])
    for n, unit in enumerate(units):
        assess(later, unit, points={"1.1": str(5 - n % 6)})
    results_compute(campaign=later)
    third = result_of(units[2], later)
    assert (third.previous_rank, third.previous_index) == (None, D("15"))
    assert previous_year_of(later).kind == COMPUTED
    assert previous_table(previous_year_of(later)).blocks[block.pk].complete is False


def test_a_preview_of_the_whole_block_keeps_its_ranks(block):
    earlier = build_campaign(year=2024, blocks=[block])
    a, b = make_unit(block=block, code="a"), make_unit(block=block, code="b")
    assess(earlier, a, points={"1.1": "5"})
    assess(earlier, b, points={"1.1": "4"}, state=Assessment.State.DRAFT, field="self_points")
    later = build_campaign(year=2025, blocks=[block])
    assess(later, a, points={"1.1": "4"})
    assess(later, b, points={"1.1": "5"})
    results_compute(campaign=later)
    # b's 2024 result is not final: the block is not whole, and b has no previous value.
    assert result_of(a, later).previous_rank is None
    assert result_of(b, later).previous_index is None
    Assessment.objects.filter(campaign=earlier).update(state=Assessment.State.APPRAISED)
    results_compute(campaign=earlier)
    results_compute(campaign=later)
    assert (result_of(a, later).previous_rank, result_of(b, later).previous_rank) == (1, 2)


def test_a_table_cut_short_is_part_of_the_block_though_its_ranks_have_no_gap(block):
    """The first three rows of a five-unit block's table: ranks 1, 2, 3 and nothing after."""
    units = [make_unit(block=block, code=f"u{n}") for n in range(5)]
    for rank, unit in enumerate(units[:3], start=1):
        imported(unit, year=2024, rank=rank, index=str(90 - rank))
    campaign = build_campaign(year=2025, blocks=[block])
    coverage = previous_table(previous_year_of(campaign)).blocks[block.pk]
    assert (coverage.rows, coverage.complete) == (3, False)
    for rank, unit in enumerate(units[3:], start=4):
        imported(unit, year=2024, rank=rank, index=str(90 - rank))
    assert previous_table(previous_year_of(campaign)).blocks[block.pk].complete
