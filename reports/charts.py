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
# Share of the width (%) the 0–100 scale takes; the rest, on the right, holds the values.
PLOT_WIDTH = Decimal("84")
LEGEND_HEIGHT = 30
LEGEND_BASELINE = 16
ROW_HEIGHT = 44
LABEL_BASELINE = 14  # from a row's top
BAR_TOP = 20
BAR_HEIGHT = 14
MARKER_OVERHANG = 4  # how far the average and best markers reach above and below a bar
AXIS_HEIGHT = 24
TICKS = (0, 25, 50, 75, 100)
LABEL_LENGTH = 46  # characters of a label: what a phone-width line holds at 13 px


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
        axis_y=axis_y,
        axis_label_y=axis_y + 16,
        grid_y1=LEGEND_HEIGHT + BAR_TOP - MARKER_OVERHANG,
        grid_y2=axis_y,
    )
