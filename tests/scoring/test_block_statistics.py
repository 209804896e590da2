"""A block's statistics on hand-built blocks: means of unrounded values, medians, tiers, areas."""

from decimal import Decimal as D

from scoring.block_statistics import (
    AreaAverage,
    TierCount,
    UnitFigures,
    block_statistics,
    is_complete_ranking,
    median,
)
from scoring.calculations import AreaTotal, display_round


def unit(index: str, tier: str = "", *areas: tuple[str, str, str]) -> UnitFigures:
    return UnitFigures(
        index=D(index),
        tier=tier,
        total=D(index),
        survey_points=D("20"),
        areas=[AreaTotal(code, D(points), D(maximum)) for code, points, maximum in areas],
    )


def test_the_mean_is_of_the_unrounded_indexes_not_of_the_two_decimals_shown():
    # Shown as 80,00, 80,00 and 80,01, whose mean reads 80,00; the unrounded mean reads 80,01.
    stats = block_statistics([unit("80.0049"), unit("80.0049"), unit("80.0099")])
    assert stats.mean == D("80.0065666667")
    assert display_round(stats.mean) == D("80.01")
    shown = [display_round(index) for index in (D("80.0049"), D("80.0049"), D("80.0099"))]
    assert display_round(sum(shown) / 3) == D("80.00")


def test_median_of_an_odd_count_is_the_middle_value():
    stats = block_statistics([unit("70"), unit("95.5"), unit("81.25")])
    assert stats.median == D("81.25")
    assert (stats.minimum, stats.maximum) == (D("70"), D("95.5"))
    assert stats.spread == D("25.5")


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert median([D("70"), D("95"), D("80.5"), D("81.25")]) == D("80.875")
    assert median([D("1"), D("2")]) == D("1.5")


def test_tier_counts_keep_the_blocks_order_and_an_empty_tier():
    stats = block_statistics(
        [unit("92", "Tốt"), unit("85", "Khá"), unit("84", "Khá"), unit("40")],
        tier_names=["Tốt", "Khá", "Trung bình", "Yếu"],
    )
    assert stats.tiers == (
        TierCount("Tốt", 1),
        TierCount("Khá", 2),
        TierCount("Trung bình", 0),
        TierCount("Yếu", 0),
        TierCount("", 1),  # below every tier
    )


def test_a_tier_no_longer_among_the_bands_is_still_counted():
    stats = block_statistics([unit("92", "Xuất sắc")], tier_names=["Tốt"])
    assert stats.tiers == (TierCount("Tốt", 0), TierCount("Xuất sắc", 1))


def test_area_averages_mean_points_and_the_units_area_indexes():
    stats = block_statistics(
        [
            unit("80", "", ("1", "8", "10"), ("2", "3", "4")),
            unit("60", "", ("1", "4", "8"), ("2", "0", "0")),  # area 2 does not apply
        ],
        area_titles={"1": "Chỉ đạo", "2": "Thể chế"},
    )
    assert stats.areas == (
        AreaAverage("1", "Chỉ đạo", D("6"), D("9"), D("65"), 2),  # (80 % + 50 %) / 2
        AreaAverage("2", "Thể chế", D("1.5"), D("2"), D("75"), 2),  # only the first applies
    )
    assert (stats.mean_total, stats.mean_survey_points) == (D("70"), D("20"))


def test_an_empty_block_has_no_figures():
    stats = block_statistics([], tier_names=["Tốt"])
    assert (stats.units, stats.mean, stats.median, stats.minimum, stats.spread) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert stats.tiers == (TierCount("Tốt", 0),)


def test_a_complete_ranking_has_no_gap_but_ties():
    assert is_complete_ranking([1, 2, 3])
    assert is_complete_ranking([4, 1, 2, 2])  # in any order
    assert not is_complete_ranking([1, 2, 2, 3])  # after a tie at 2 comes 4, never 3
    assert is_complete_ranking([1, 2, 2, 4])
    assert not is_complete_ranking([1, 5, 9])  # part of a block
    assert not is_complete_ranking([2, 3])  # the first place is missing
    assert not is_complete_ranking([])
