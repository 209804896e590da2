"""Geometry of the public charts: pure functions, no database."""

from decimal import Decimal

from reports.charts import ColumnValue, SlopeValue, index_columns, slope_chart


def test_slope_chart_places_ranks_and_directions():
    chart = slope_chart(
        [
            SlopeValue("A", "A", 2, 1),
            SlopeValue("B", "B", 1, 2),
            SlopeValue("C", "C", 3, 3),
            SlopeValue("", "New", None, 4),
        ],
        count_a=3,
        count_b=4,
    )
    up, down, same, new = chart.slopes
    assert (up.direction, down.direction, same.direction, new.direction) == (
        "up",
        "down",
        "same",
        "",
    )
    assert up.y_a == down.y_b and up.y_b == down.y_a
    assert up.y_b < up.y_a
    assert not new.has_line and new.y_b is not None
    assert chart.height > new.y_b


def test_index_columns_scale_to_100_and_mark_predecessors():
    chart = index_columns(
        [
            ColumnValue("2014", "Huyện An Lạc", Decimal("50")),
            ColumnValue("2015", "", Decimal("100")),
        ]
    )
    half, full = chart.columns
    assert full.height == 2 * half.height
    assert half.is_predecessor and not full.is_predecessor
    assert full.y + full.height == chart.baseline_y


def test_the_block_s_areas_are_bars_of_their_mean_index_without_markers():
    from reports.charts import block_area_bars
    from scoring.block_statistics import AreaAverage

    areas = [
        AreaAverage("1", "Chỉ đạo", Decimal("8"), Decimal("10"), Decimal("80.5"), 3),
        AreaAverage("2", "Thể chế", Decimal("0"), Decimal("0"), None, 0),  # applies to none
        AreaAverage("3", "Thủ tục", Decimal("5"), Decimal("10"), Decimal("50"), 3),
    ]
    chart = block_area_bars(areas)
    assert [(bar.code, bar.value, bar.width) for bar in chart.bars] == [
        ("1", Decimal("80.5"), "60.38%"),
        ("3", Decimal("50"), "37.50%"),
    ]
    assert all(bar.average is None and bar.best is None for bar in chart.bars)
