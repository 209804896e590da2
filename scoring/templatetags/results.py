"""Display formatting of computed results: the one rounding, localised. No computation."""

from decimal import Decimal

from django import template
from django.utils import formats

from scoring.calculations import display_round
from units.templatetags.portal import points

register = template.Library()


@register.filter
def index2(value: Decimal | None) -> str:
    """An index or other computed value as published: two decimals, 83.5406 → "83,54" in vi."""
    if value is None or value == "":
        return ""
    return formats.number_format(display_round(Decimal(value)), decimal_pos=2)


@register.filter
def signed2(value: Decimal | None) -> str:
    """A change with its sign: "+14,53", "-2,40", "0,00"."""
    if value is None or value == "":
        return ""
    rounded = display_round(Decimal(value))
    text = formats.number_format(abs(rounded), decimal_pos=2)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"-{text}"
    return text


@register.filter
def points2(value: Decimal | None) -> str:
    """Points rounded to two places, trailing zeros dropped: 3.7700 → "3,77", 2.00 → "2"."""
    if value is None or value == "":
        return ""
    return points(display_round(Decimal(value)))


@register.filter
def magnitude(value: int | Decimal | None):
    """The absolute value, for a change whose sign an arrow already shows."""
    return None if value is None else abs(value)
