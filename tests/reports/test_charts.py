"""The server-rendered bar chart: geometry as plain data, and the SVG its template writes."""

import re
from dataclasses import dataclass
from decimal import Decimal as D

from django.template.loader import render_to_string
from django.utils import translation

from reports import charts


@dataclass
class Area:
    code: str
    title: str
    index: D
    block_average: D | None = None
    block_best: D | None = None


AREAS = [
    Area("1", "Công tác chỉ đạo, điều hành CCHC", D("58.1333333333"), D("77.8"), D("94.72")),
    Area("2", "Cải cách thủ tục hành chính", D("100"), D("80"), D("100")),
    Area("3", "Hiện đại hóa <hành chính> & “số”", D("0"), None, None),
]


def render(chart: charts.BarChart, *, title: str = "Chỉ số theo lĩnh vực") -> str:
    return render_to_string(
        "reports/charts/_area_bars.svg.html",
        {"chart": chart, "chart_id": "c1", "chart_title": title},
    )


def test_values_become_positions_on_the_scale():
    assert charts.position(D("0")) == "0.00%"
    assert charts.position(D("100")) == f"{charts.PLOT_WIDTH}.00%"
    assert charts.position(D("50")) == f"{charts.PLOT_WIDTH / 2:.2f}%"
    # Out-of-range values are drawn at the ends, never outside the plot.
    assert charts.position(D("-3")) == "0.00%"
    assert charts.position(D("120")) == charts.position(D("100"))
    assert charts.position(None) is None


def test_one_bar_per_area_one_row_below_the_other():
    chart = charts.area_bars(AREAS)
    assert [bar.code for bar in chart.bars] == ["1", "2", "3"]
    tops = [bar.top for bar in chart.bars]
    assert tops == [charts.LEGEND_HEIGHT + i * charts.ROW_HEIGHT for i in range(3)]
    first = chart.bars[0]
    assert first.label_y < first.bar_y < first.value_y <= first.bar_y + charts.BAR_HEIGHT
    assert first.marker_y1 < first.bar_y and first.marker_y2 > first.bar_y + charts.BAR_HEIGHT
    assert chart.axis_y > chart.bars[-1].bar_y + charts.BAR_HEIGHT
    assert chart.height > chart.axis_y
    assert chart.bars[2].average_x is None and chart.bars[2].best_x is None
    assert [tick.value for tick in chart.ticks] == [0, 25, 50, 75, 100]
    assert chart.has_markers
    assert not charts.area_bars([AREAS[2]]).has_markers


def test_long_titles_are_shortened_at_a_word():
    title = "Đổi mới cơ chế quản lý tài chính đối với cơ quan hành chính và đơn vị sự nghiệp"
    short = charts.shorten(title, 30)
    assert len(short) <= 30 and short.endswith("…")
    assert title.startswith(short[:-1])
    assert charts.shorten("Ngắn", 30) == "Ngắn"


def test_the_svg_is_an_accessible_image_with_its_numbers():
    svg = render(charts.area_bars(AREAS))
    assert svg.lstrip().startswith("<svg")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Chỉ số theo lĩnh vực</title>' in svg
    description = re.search(r'<desc id="c1-desc">(.*?)</desc>', svg, re.S).group(1)
    # Vietnamese decimal commas in the labels, and every value in the description.
    assert "58,13%" in description and "77,80%" in description and "94,72%" in description
    assert "58,13%</text>" in svg
    # Geometry keeps dots whatever the language.
    assert 'width="43.60%"' in svg
    assert "<script" not in svg


def test_text_in_the_svg_is_escaped():
    svg = render(charts.area_bars(AREAS), title="A <b> & B")
    assert "Hiện đại hóa &lt;hành chính&gt; &amp; “số”" in svg
    assert "<hành chính>" not in svg
    assert "A &lt;b&gt; &amp; B" in svg


def test_english_labels_use_decimal_points():
    with translation.override("en"):
        svg = render(charts.area_bars(AREAS))
    assert "58.13%</text>" in svg and "Block average" in svg
