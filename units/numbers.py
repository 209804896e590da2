"""How the portal reads and writes numbers of points: one place for every app.

In units, the ground floor every app stands on (it imports nothing of the others).

People type points with a dot or a Vietnamese decimal comma; the database keeps two
decimals (2.50); pages, messages and workbooks show them as the official frameworks
write them (2,5 in Vietnamese), and published figures with two decimals (92,18).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal | None:
    """A Decimal from a number or a string with a dot or a Vietnamese decimal comma."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = repr(value)  # 0.1 stays 0.1, not 0.1000000000000000055...
    text = str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def trimmed(value: Decimal) -> Decimal:
    """The same number without trailing zeros: 2.50 → 2.5, 10.00 → 10 (never 1E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def plain(value: Decimal) -> str:
    """2.50 → "2.5", 1E+2 → "100": the machine form (number inputs, stored scales)."""
    return format(trimmed(value), "f")


def plain_vi(value: Decimal) -> str:
    """Like plain, with the Vietnamese decimal comma a clerk types: 0,5."""
    return plain(value).replace(".", ",")


def localized(value: Decimal) -> str:
    """Without trailing zeros, in the active language: "2,5" in Vietnamese, "2.5" in English."""
    return formats.number_format(trimmed(value))


def display_round(value: Decimal) -> Decimal:
    """The one display rounding: half up to two decimal places (81.325 → 81.33)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def published_number(value: Decimal | str | None) -> str:
    """Two decimals with a decimal comma, as decisions print them: 92,18 ("" for nothing)."""
    if value is None or value == "":
        return ""
    return format(display_round(Decimal(value)), "f").replace(".", ",")
