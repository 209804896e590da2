from decimal import Decimal
from types import SimpleNamespace

import pytest

from scoring.calculations import (
    AreaTotal,
    Tier,
    display_round,
    index_percent,
    leaf_points,
    level_points,
    pool_answer_counts,
    ranks,
    ratio_points,
    survey_points,
    tier_for,
    unit_total,
)

D = Decimal
WEIGHTS = {"A": D("100"), "B": D("60"), "C": D("20"), "D": D("0")}
ON_TIME = [
    {"label": "Đúng thời hạn", "points": "1"},
    {"label": "Chậm", "points": "0.5"},
    {"label": "Không thực hiện", "points": "0"},
]
ON_TIME_SHARE = [
    {"min_percent": "100", "points": "2"},
    {"min_percent": "90", "points": "1.5"},
    {"min_percent": "70", "points": "0.75"},
]


def test_level_points_reads_the_chosen_level():
    assert level_points(ON_TIME, "Chậm") == D("0.5")
    assert level_points(ON_TIME, "Không thực hiện") == D("0")


def test_level_points_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        level_points(ON_TIME, "Sớm")


@pytest.mark.parametrize(
    ("numerator", "denominator", "points"),
    [
        (250, 250, "2"),  # 100 %
        (231, 250, "1.5"),  # 92.4 %: the highest threshold reached is 90
        (225, 250, "1.5"),  # exactly 90 % reaches 90
        (224, 250, "0.75"),  # 89.6 %
        (174, 250, "0"),  # 69.6 %: below every threshold
        ("17,5", "25", "0.75"),  # 70 %, with a Vietnamese decimal comma
        (1, 1, "2"),  # a denominator of one is a ratio like any other: 100 %
    ],
)
def test_ratio_points_takes_the_highest_threshold_reached(numerator, denominator, points):
    assert ratio_points(ON_TIME_SHARE, numerator, denominator) == D(points)


def test_ratio_points_does_not_depend_on_the_order_of_the_scale():
    assert ratio_points(list(reversed(ON_TIME_SHARE)), 95, 100) == D("1.5")


@pytest.mark.parametrize(
    ("compute", "named"),
    [
        (lambda: level_points([{"label": "A", "points": "x"}], "A"), "level points"),
        (lambda: ratio_points(ON_TIME_SHARE, 1, "x"), "denominator"),
        (lambda: ratio_points(ON_TIME_SHARE, "x", 1), "numerator"),
        (lambda: ratio_points([{"min_percent": "x", "points": "1"}], 1, 1), "threshold"),
        (lambda: ratio_points([{"min_percent": "0", "points": "x"}], 1, 1), "threshold points"),
    ],
)
def test_a_value_that_is_no_number_is_named_in_the_refusal(compute, named):
    with pytest.raises(ValueError, match=f"^{named} is not a number: 'x'$"):
        compute()


def test_a_ratio_over_nothing_is_refused():
    with pytest.raises(ValueError):
        ratio_points(ON_TIME_SHARE, 0, 0)


def test_survey_points_weights_the_answers():
    # 3 × 100 + 1 × 60 + 1 × 20 + 0 = 380 over 5 answers: 76 % of 5 points.
    counts = {"A": 3, "B": 1, "C": 1, "D": 0}
    assert survey_points(D("5"), counts, WEIGHTS) == D("3.8")


def test_survey_points_keep_ten_decimal_places():
    # 2 × 100 + 1 × 60 = 260 over 3 answers of 100 %: 86.666…% of 3 points = 2.6.
    assert survey_points(D("3"), {"A": 2, "B": 1}, WEIGHTS) == D("2.6")
    points = survey_points(D("2"), {"A": 2, "C": 1}, WEIGHTS)  # 2 × 220 / 300
    assert points == D("1.4666666667")
    assert points != display_round(points)


def test_sums_of_divided_values_do_not_depend_on_the_order_of_addition():
    values = [survey_points(D("2"), {"A": a, "C": 3}, WEIGHTS) for a in range(1, 30)]
    assert sum(values, D(0)) == sum(reversed(values), D(0))


def test_survey_points_pool_the_respondent_groups():
    citizens = {"A": 10, "B": 5, "C": 3, "D": 2}
    leaders = {"A": 4, "B": 1}
    pooled = pool_answer_counts([citizens, leaders])
    assert pooled == {"A": 14, "B": 6, "C": 3, "D": 2}
    # (1400 + 360 + 60) / 25 answers = 72.8 % of 4 points
    assert survey_points(D("4"), pooled, WEIGHTS) == D("2.912")


def test_survey_points_are_zero_without_answers():
    assert survey_points(D("4"), {}, WEIGHTS) == D("0")
    assert survey_points(D("4"), {"A": 0, "B": 0}, WEIGHTS) == D("0")


def test_survey_points_refuse_an_answer_without_weight():
    with pytest.raises(ValueError):
        survey_points(D("4"), {"E": 1}, WEIGHTS)


def test_an_answer_nobody_gave_needs_no_weight_and_stops_nothing():
    # The survey form lists an answer the campaign does not weigh; nobody chose it.
    assert survey_points(D("5"), {"E": 0, "A": 3, "B": 1}, WEIGHTS) == D("4.5")
    assert survey_points(D("5"), {"A": 0, "B": 2}, WEIGHTS) == D("3")


def test_a_weight_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^weight is not a number: 'sáu mươi'$"):
        survey_points(D("4"), {"A": 1}, {"A": "sáu mươi"})


def test_index_of_thanh_hoa_ban_dan_toc_2023():
    # 68.32 points of an applicable maximum of 84 (16 points not applicable).
    index = index_percent(D("68.32"), D("84"))
    assert index == D("81.3333333333")
    assert display_round(index) == D("81.33")


def test_index_is_zero_when_nothing_applies():
    assert index_percent(D("0"), D("0")) == D("0")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("81.325", "81.33"), ("81.324999", "81.32"), ("92.175", "92.18"), ("90", "90.00")],
)
def test_display_round_is_half_up_to_two_places(value, shown):
    assert str(display_round(D(value))) == shown


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    values = {"a": D("91.5"), "b": D("88.25"), "c": D("88.250"), "d": D("80")}
    assert ranks(values) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_ranks_use_unrounded_values():
    # Both show as 90,02 %, yet they are different: Thanh Hóa 2024 ranked them 2nd and 3rd.
    values = {"first": D("95.1"), "x": D("90.018"), "y": D("90.024")}
    assert display_round(values["x"]) == display_round(values["y"])
    assert ranks(values) == {"first": 1, "y": 2, "x": 3}


def test_ranks_of_nothing_is_empty():
    assert ranks({}) == {}


# -- tiers, totals and the points a leaf counts for ------------------------------------

NATIONAL = [Tier("Nhóm A", D("90")), Tier("Nhóm B", D("80")), Tier("Nhóm C", D("70"))]


def test_a_tier_is_the_highest_band_reached():
    assert tier_for(D("90"), NATIONAL) == "Nhóm A"
    assert tier_for(D("89.9999"), NATIONAL) == "Nhóm B"
    assert tier_for(D("70"), NATIONAL) == "Nhóm C"
    assert tier_for(D("69.99"), NATIONAL) == ""


def test_a_strict_band_excludes_its_threshold():
    # Tây Ninh 2021: Tốt above 80 %, Khá below.
    tay_ninh = [Tier("Tốt", D("80"), inclusive=False), Tier("Khá", D("0"))]
    assert tier_for(D("80.01"), tay_ninh) == "Tốt"
    assert tier_for(D("80"), tay_ninh) == "Khá"
    assert tier_for(D("63.40"), tay_ninh) == "Khá"


def test_at_a_shared_threshold_the_strict_band_is_above_the_inclusive_one():
    # "Xuất sắc" above 90 %, "Tốt" from 90 % on: 90 itself is Tốt, anything above it Xuất sắc.
    bands = [Tier("Tốt", D("90")), Tier("Xuất sắc", D("90"), inclusive=False)]
    assert tier_for(D("90.01"), bands) == "Xuất sắc"
    assert tier_for(D("90"), bands) == "Tốt"
    assert tier_for(D("90.01"), list(reversed(bands))) == "Xuất sắc"


def test_a_unit_total_caps_adjustments_and_never_falls_below_zero():
    total = unit_total(
        scored=[AreaTotal("1", D("6"), D("10"))],
        survey=[AreaTotal("1", D("2.5"), D("5"))],
        deductions=[AreaTotal("9", D("4"), D("3"))],
        bonus=[AreaTotal("10", D("1"), D("2"))],
    )
    assert (total.deductions, total.bonus, total.applicable_max) == (D("3"), D("1"), D("15"))
    assert total.total == D("6.5") and display_round(total.index) == D("43.33")
    broke = unit_total(
        scored=[AreaTotal("1", D("1"), D("10"))],
        survey=[],
        deductions=[AreaTotal("9", D("3"), D("3"))],
        bonus=[],
    )
    assert broke.total == D("0") and broke.index == D("0")


def test_a_leaf_counts_final_then_appraised_then_claimed_points():
    def leaf(final, appraised, claimed):
        return SimpleNamespace(final_points=final, appraised_points=appraised, self_points=claimed)

    assert leaf_points(leaf(D("1"), D("0.5"), D("2"))) == D("1")
    assert leaf_points(leaf(None, D("0.5"), D("2"))) == D("0.5")
    assert leaf_points(leaf(None, None, D("2"))) == D("2")
    assert leaf_points(leaf(None, None, None)) == D("0")
    assert leaf_points(leaf(D("0"), D("1"), D("2"))) == D("0")
