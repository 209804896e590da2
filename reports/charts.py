"""Charts as plain data for SVG templates: the geometry here, the markup and wording there.

DESIGN.md wants charts rendered on the server as SVG, so the page and the PDF show
the same chart without JavaScript. This module is pure (no Django, no database):
it turns values into positions, and the template writes the elements, with the
numbers formatted and escaped as everywhere else.

Positions along the value axis are percentages of the chart's width, and vertical
positions are pixels: the chart stretches to its column, while its text keeps a
readable size on a phone instead of shrinking with a scaled viewBox.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

HUNDRED = Decimal("100")
# Share of the width (%) the 0–100 scale takes; the rest, on the right, holds the values:
# 25 % of a 320 px phone's chart (262 px) still holds "100,00%" clear of the best marker.
PLOT_WIDTH = Decimal("75")
# The legend takes two rows, so that its three items never overlap on a phone.
LEGEND_HEIGHT = 48
LEGEND_BASELINE = 16
LEGEND_ROW = 18
ROW_HEIGHT = 44
LABEL_BASELINE = 14  # from a row's top
BAR_TOP = 20
BAR_HEIGHT = 14
MARKER_OVERHANG = 4  # how far the average and best markers reach above and below a bar
AXIS_HEIGHT = 24
TICKS = (0, 25, 50, 75, 100)
LABEL_LENGTH = 40  # characters of a label: what a 320 px phone's line holds at 12 px


class AreaValues(Protocol):
    """What a bar is drawn from: an area's index and the block's average and best."""

    code: str
    title: str
    index: Decimal
    block_average: Decimal | None
    block_best: Decimal | None


@dataclass(frozen=True)
class Bar:
    code: str
    title: str  # in full, for the tooltip and the description
    label: str  # code and title, shortened to fit a line
    value: Decimal
    average: Decimal | None
    best: Decimal | None
    top: int  # of the row
    label_y: int
    bar_y: int
    value_y: int  # baseline of the value written right of the bar
    marker_y1: int
    marker_y2: int
    width: str  # of the bar, e.g. "46.51%"
    average_x: str | None
    best_x: str | None


@dataclass(frozen=True)
class Tick:
    value: int
    x: str
    anchor: str  # text-anchor of its label


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[Tick]
    height: int
    plot_width: str
    bar_height: int
    legend_y: int  # baseline of the legend's text
    legend_swatch_y: int
    legend_line_y1: int
    legend_line_y2: int
    legend2_y: int  # the legend's second row
    legend2_line_y1: int
    legend2_line_y2: int
    axis_y: int  # the axis line, below the last bar
    axis_label_y: int
    grid_y1: int
    grid_y2: int

    @property
    def has_markers(self) -> bool:
        return any(bar.average is not None or bar.best is not None for bar in self.bars)


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    """The text cut at a word boundary to at most `length` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return f"{cut}…"


def position(value: Decimal | None) -> str | None:
    """Where a value of 0–100 sits on the scale, as an SVG percentage ("37.20%")."""
    if value is None:
        return None
    clamped = min(max(Decimal(value), Decimal(0)), HUNDRED)
    share = (clamped * PLOT_WIDTH / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{share}%"


def area_bars(areas: Iterable[AreaValues]) -> BarChart:
    """A horizontal bar per area: the unit's index, with the block's average and best marked."""
    bars = []
    for number, area in enumerate(areas):
        top = LEGEND_HEIGHT + number * ROW_HEIGHT
        bar_y = top + BAR_TOP
        bars.append(
            Bar(
                code=area.code,
                title=area.title,
                label=shorten(f"{area.code}. {area.title}"),
                value=area.index,
                average=area.block_average,
                best=area.block_best,
                top=top,
                label_y=top + LABEL_BASELINE,
                bar_y=bar_y,
                value_y=bar_y + BAR_HEIGHT - 2,
                marker_y1=bar_y - MARKER_OVERHANG,
                marker_y2=bar_y + BAR_HEIGHT + MARKER_OVERHANG,
                width=position(area.index),
                average_x=position(area.block_average),
                best_x=position(area.block_best),
            )
        )
    axis_y = LEGEND_HEIGHT + len(bars) * ROW_HEIGHT + 4
    ticks = [
        Tick(
            value=value,
            x=position(Decimal(value)),
            anchor="start" if value == TICKS[0] else "middle",
        )
        for value in TICKS
    ]
    return BarChart(
        bars=bars,
        ticks=ticks,
        height=axis_y + AXIS_HEIGHT,
        plot_width=f"{PLOT_WIDTH}%",
        bar_height=BAR_HEIGHT,
        legend_y=LEGEND_BASELINE,
        legend_swatch_y=LEGEND_BASELINE - 10,
        legend_line_y1=LEGEND_BASELINE - 12,
        legend_line_y2=LEGEND_BASELINE + 3,
        legend2_y=LEGEND_BASELINE + LEGEND_ROW,
        legend2_line_y1=LEGEND_BASELINE + LEGEND_ROW - 12,
        legend2_line_y2=LEGEND_BASELINE + LEGEND_ROW + 3,
        axis_y=axis_y,
        axis_label_y=axis_y + 16,
        grid_y1=LEGEND_HEIGHT + BAR_TOP - MARKER_OVERHANG,
        grid_y2=axis_y,
    )


@dataclass(frozen=True)
class BlockArea:
    """An area of a block as a bar: the mean of its units' area indexes, no markers."""

    code: str
    title: str
    index: Decimal
    block_average: Decimal | None = None
    block_best: Decimal | None = None


def block_area_bars(areas: Iterable) -> BarChart:
    """The block's areas at a glance (PAPI, PCI style): a bar per area, its mean index.

    `areas` are scoring.block_statistics.AreaAverage; an area that applies to no unit
    (no mean) is left out.
    """
    return area_bars(
        BlockArea(code=area.code, title=area.title, index=area.index)
        for area in areas
        if area.index is not None
    )


# ---------------------------------------------------------------------------
# A unit's index over the years: one column per published year

COLUMN_PLOT_TOP = 22  # room for the value written above the tallest column
COLUMN_PLOT_HEIGHT = 160
COLUMN_LABEL_HEIGHT = 40  # the year and, for a predecessor, its name below
COLUMN_GAP = Decimal("0.3")  # share of a slot left empty between columns


@dataclass(frozen=True)
class ColumnValue:
    label: str  # the year
    sublabel: str  # a predecessor's name, or ""
    value: Decimal


@dataclass(frozen=True)
class Column:
    label: str
    sublabel: str
    short_sublabel: str
    value: Decimal
    x: str  # left edge, percent of the width
    width: str
    centre: str
    y: int  # top of the column
    height: int
    value_y: int
    label_y: int
    sublabel_y: int
    is_predecessor: bool


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    height: int
    baseline_y: int
    ticks: list[tuple[int, int]]  # (value, y) of the 0, 50 and 100 % lines


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def index_columns(values: Iterable[ColumnValue]) -> ColumnChart:
    """Vertical columns of an index (0–100 %) per year, equally spaced across the width."""
    values = list(values)
    slot = HUNDRED / max(len(values), 1)
    # Few years would give absurdly wide columns: a column takes at most a fifth.
    width = min(slot * (1 - COLUMN_GAP), Decimal("20"))
    baseline = COLUMN_PLOT_TOP + COLUMN_PLOT_HEIGHT
    columns = []
    for number, item in enumerate(values):
        clamped = min(max(Decimal(item.value), Decimal(0)), HUNDRED)
        height = int((clamped * COLUMN_PLOT_HEIGHT / HUNDRED).to_integral_value(ROUND_HALF_UP))
        centre = slot * number + slot / 2
        columns.append(
            Column(
                label=item.label,
                sublabel=item.sublabel,
                short_sublabel=shorten(item.sublabel, 18),
                value=item.value,
                x=_percent(centre - width / 2),
                width=_percent(width),
                centre=_percent(centre),
                y=baseline - height,
                height=height,
                value_y=baseline - height - 6,
                label_y=baseline + 16,
                sublabel_y=baseline + 32,
                is_predecessor=bool(item.sublabel),
            )
        )
    ticks = [(value, baseline - COLUMN_PLOT_HEIGHT * value // 100) for value in (0, 50, 100)]
    return ColumnChart(
        columns=columns,
        height=baseline + COLUMN_LABEL_HEIGHT,
        baseline_y=baseline,
        ticks=ticks,
    )


# ---------------------------------------------------------------------------
# Rank movements between two years: a slope chart

SLOPE_TOP = 28  # room for the two years' headings
SLOPE_ROW = 22  # pixels per rank
# Year A's axis carries ranks only, year B's the ranks and names: the names need the
# room on the right, which a 320 px phone's chart (262 px) still gives them.
SLOPE_LEFT = Decimal("12")  # x of year A's axis, percent of the width
SLOPE_RIGHT = Decimal("38")
SLOPE_LABEL = 22  # characters of a name beside year B's axis


@dataclass(frozen=True)
class SlopeValue:
    name_a: str
    name_b: str
    rank_a: int | None
    rank_b: int | None


@dataclass(frozen=True)
class Slope:
    name_a: str
    name_b: str
    label_a: str
    label_b: str
    rank_a: int | None
    rank_b: int | None
    y_a: int | None
    y_b: int | None
    direction: str  # "up", "down", "same" or "" when one end is missing

    @property
    def has_line(self) -> bool:
        return self.y_a is not None and self.y_b is not None


@dataclass(frozen=True)
class SlopeChart:
    slopes: list[Slope]
    height: int
    left_x: str
    right_x: str
    heading_y: int
    axis_y1: int
    axis_y2: int


def _rank_y(rank: int | None) -> int | None:
    return None if rank is None else SLOPE_TOP + (rank - 1) * SLOPE_ROW + SLOPE_ROW // 2


def slope_chart(values: Iterable[SlopeValue], *, count_a: int, count_b: int) -> SlopeChart:
    """A line per unit from its rank in year A (left) to its rank in year B (right).

    Ranks sit at fixed heights, so tied units share a point; their names are still
    listed in the table beside the chart.
    """
    slopes = []
    for item in values:
        if item.rank_a is None or item.rank_b is None:
            direction = ""
        elif item.rank_b < item.rank_a:
            direction = "up"
        elif item.rank_b > item.rank_a:
            direction = "down"
        else:
            direction = "same"
        slopes.append(
            Slope(
                name_a=item.name_a,
                name_b=item.name_b,
                label_a=shorten(item.name_a, SLOPE_LABEL) if item.rank_a else "",
                label_b=shorten(item.name_b, SLOPE_LABEL) if item.rank_b else "",
                rank_a=item.rank_a,
                rank_b=item.rank_b,
                y_a=_rank_y(item.rank_a),
                y_b=_rank_y(item.rank_b),
                direction=direction,
            )
        )
    rows = max(count_a, count_b, 1)
    return SlopeChart(
        slopes=slopes,
        height=SLOPE_TOP + rows * SLOPE_ROW + 8,
        left_x=f"{SLOPE_LEFT}%",
        right_x=f"{SLOPE_RIGHT}%",
        heading_y=16,
        axis_y1=SLOPE_TOP,
        axis_y2=SLOPE_TOP + rows * SLOPE_ROW,
    )
