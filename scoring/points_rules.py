"""Which points a leaf accepts, stated once for every way points arrive.

The self-assessment screen, the appraisal screen, the unit's scoring sheet and the
staff's scores file all pass typed or imported points through `checked_points`, so
a value refused on one path is refused on all of them: a leaf of listed levels takes
only its levels' points, a ratio leaf only its thresholds' points (or 0, below every
threshold), and a leaf of typed points a value from 0 to its maximum in its step
(two decimals when it has none, as the database keeps points).

Spreadsheets store 0,1 × 3 as 0.30000000000000004 and show it as 0,3: a value within
TOLERANCE of an accepted one is that value (float noise), anything further is refused.
Pure functions over plain values; the messages speak the active language and write
numbers as it does (2,5 in Vietnamese).
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from units.numbers import localized, to_decimal

# Far below a hundredth, far above a double's noise on numbers of points (~1e-15).
TOLERANCE = Decimal("1e-9")
CENT = Decimal("0.01")
ZERO = Decimal("0")
SURVEY = "survey"
LEVELS = "levels"
RATIO = "ratio"


class PointsError(ValueError):
    """Points the leaf does not accept; the message says what it does accept."""


class Leaf(Protocol):
    code: str
    method: str
    max_points: Decimal
    step: Decimal | None
    scale: object


def snapped(value: Decimal, grid: Decimal) -> Decimal:
    """The nearest multiple of `grid` when `value` is within TOLERANCE of it, else `value`."""
    nearest = (value / grid).to_integral_value(rounding=ROUND_HALF_EVEN) * grid
    return nearest.quantize(grid) if abs(value - nearest) < TOLERANCE else value


def listed_points(leaf: Leaf) -> list[Decimal] | None:
    """The only points a levels or ratio leaf can have, highest first; None for other leaves.

    A ratio below every threshold earns 0 (calculations.ratio_points), so 0 is
    always among a ratio's points; a levels leaf has exactly its levels.
    """
    if leaf.method not in (LEVELS, RATIO):
        return None
    points = {
        number
        for entry in (leaf.scale if isinstance(leaf.scale, list) else [])
        if isinstance(entry, Mapping) and (number := to_decimal(entry.get("points"))) is not None
    }
    if leaf.method == RATIO:
        points.add(ZERO)
    return sorted(points, reverse=True)


def _listing(points: list[Decimal]) -> str:
    # A semicolon between numbers: in Vietnamese the comma is the decimal separator.
    return "; ".join(localized(point) for point in points)


def checked_points(leaf: Leaf, value: object) -> Decimal:
    """The points `value` stands for on this leaf, or PointsError saying what it accepts."""
    if leaf.method == SURVEY:
        raise PointsError(_("Survey criteria are scored from the survey results."))
    number = value if isinstance(value, Decimal) else to_decimal(value)
    if number is None or not number.is_finite():
        raise PointsError(_("Enter a number, e.g. 2.5."))
    listed = listed_points(leaf)
    if listed is not None:
        for point in listed:
            if abs(number - point) < TOLERANCE:
                return point
        raise PointsError(
            _("%(code)s takes one of these points: %(points)s.")
            % {"code": leaf.code, "points": _listing(listed)}
        )
    grid = leaf.step or CENT
    number = snapped(number, grid)
    if not (ZERO <= number <= leaf.max_points):
        raise PointsError(
            _("Points must be between 0 and %(max)s.") % {"max": localized(leaf.max_points)}
        )
    if number % grid != 0:
        if leaf.step:
            raise PointsError(_("Points go in steps of %(step)s.") % {"step": localized(leaf.step)})
        raise PointsError(
            _("“%(value)s” has more than two decimal places.") % {"value": localized(number)}
        )
    return number


def points_hint(leaf: Leaf) -> str:
    """What the leaf accepts, for the help text beside a points field."""
    listed = listed_points(leaf)
    if listed is not None:
        return _("One of: %(points)s.") % {"points": _listing(listed)}
    if leaf.step:
        return _("From 0 to %(max)s, in steps of %(step)s.") % {
            "max": localized(leaf.max_points),
            "step": localized(leaf.step),
        }
    return _("From 0 to %(max)s.") % {"max": localized(leaf.max_points)}
