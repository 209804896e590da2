"""The one rule of a leaf's points (scoring.points_rules), without HTTP or database."""

from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.utils import translation

from scoring.points_rules import PointsError, checked_points, listed_points, points_hint, snapped


@dataclass
class Leaf:
    code: str = "3.1"
    method: str = "direct"
    max_points: D = D("3.5")
    step: D | None = D("0.25")
    scale: object = ()


LEVELS = Leaf(
    code="4.1",
    method="levels",
    max_points=D("1.5"),
    step=None,
    scale=[
        {"label": "Đạt yêu cầu", "points": "1.5"},
        {"label": "Đạt một phần", "points": "0.75"},
        {"label": "Không đạt", "points": "0"},
    ],
)
RATIO = Leaf(
    code="6.3",
    method="ratio",
    max_points=D("4"),
    step=None,
    scale=[{"min_percent": "95", "points": "4"}, {"min_percent": "80", "points": "2"}],
)


def refusal(leaf, value) -> str:
    with pytest.raises(PointsError) as caught:
        checked_points(leaf, value)
    return str(caught.value)


def test_typed_points_within_range_and_step_are_accepted():
    assert checked_points(Leaf(), D("2.5")) == D("2.5")
    assert checked_points(Leaf(), "2,75") == D("2.75")
    assert checked_points(Leaf(), 0) == 0
    assert checked_points(Leaf(), "3.5") == D("3.5")


def test_points_outside_the_range_are_refused_with_the_maximum_written_in_vietnamese():
    assert refusal(Leaf(), D("3.75")) == "Điểm phải từ 0 đến 3,5."
    assert refusal(Leaf(), D("-0.25")) == "Điểm phải từ 0 đến 3,5."


def test_points_off_the_step_are_refused_with_the_step_written_in_vietnamese():
    assert refusal(Leaf(), D("1.1")) == "Điểm được chấm theo bước điểm 0,25."


def test_the_messages_write_numbers_the_english_way_in_english():
    with translation.override("en"):
        assert refusal(Leaf(), D("1.1")) == "Points go in steps of 0.25."
        assert refusal(Leaf(), D("9")) == "Points must be between 0 and 3.5."


def test_a_leaf_without_a_step_takes_two_decimals_at_most():
    leaf = Leaf(step=None)
    assert checked_points(leaf, D("1.13")) == D("1.13")
    assert refusal(leaf, D("1.125")) == "“1,125” có quá hai chữ số thập phân."


def test_a_levels_leaf_takes_only_its_levels_points():
    assert checked_points(LEVELS, D("0.75")) == D("0.75")
    assert checked_points(LEVELS, "1,5") == D("1.5")
    assert refusal(LEVELS, D("1.13")) == (
        "Tiêu chí 4.1 chỉ nhận một trong các mức điểm: 1,5; 0,75; 0."
    )
    # Within its maximum and on a hundredth, yet no level gives it.
    assert refusal(LEVELS, D("1")).startswith("Tiêu chí 4.1 chỉ nhận")


def test_a_ratio_leaf_takes_its_thresholds_points_or_zero_below_them():
    assert listed_points(RATIO) == [D("4"), D("2"), D("0")]
    assert checked_points(RATIO, 0) == 0
    assert checked_points(RATIO, D("2")) == D("2")
    assert refusal(RATIO, D("3")).startswith("Tiêu chí 6.3 chỉ nhận")


def test_a_survey_leaf_takes_no_points_at_all():
    leaf = Leaf(method="survey", step=None)
    assert refusal(leaf, D("1")) == (
        "Tiêu chí điều tra xã hội học được chấm điểm theo kết quả điều tra xã hội học."
    )


def test_float_noise_from_a_spreadsheet_is_the_value_it_displays():
    # =0,1*3 in Excel: stored as 0.30000000000000004, shown as 0,3.
    noisy = 0.1 * 3
    assert checked_points(Leaf(step=D("0.1")), noisy) == D("0.3")
    assert checked_points(Leaf(step=None), noisy) == D("0.3")
    assert checked_points(LEVELS, 0.75 + 1e-12) == D("0.75")
    assert checked_points(Leaf(), 2.4999999999999996) == D("2.5")


def test_a_value_further_than_noise_from_the_step_is_still_refused():
    assert refusal(Leaf(step=D("0.1")), D("0.3001")) == "Điểm được chấm theo bước điểm 0,1."
    assert refusal(LEVELS, D("0.7500001")).startswith("Tiêu chí 4.1 chỉ nhận")


def test_snapped_moves_only_values_within_the_tolerance():
    assert snapped(D("0.30000000000000004"), D("0.01")) == D("0.30")
    assert snapped(D("0.305"), D("0.01")) == D("0.305")


def test_the_hint_says_what_the_leaf_accepts():
    assert points_hint(Leaf()) == "Từ 0 đến 3,5, bước điểm 0,25."
    assert points_hint(Leaf(step=None)) == "Từ 0 đến 3,5."
    assert points_hint(LEVELS) == "Một trong các mức: 1,5; 0,75; 0."


def test_a_non_number_is_refused():
    assert refusal(Leaf(), "abc") == "Nhập một số, ví dụ 2,5."
