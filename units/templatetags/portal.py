"""Template helpers of the portal shell: display formatting only, no computation."""

import unicodedata
from decimal import Decimal

from django import template
from django.utils import formats

from units import people, selectors
from units.numbers import localized

register = template.Library()


@register.filter
def points(value: object) -> str:
    """A Decimal without its trailing zeros, localised: 2.50 → "2,5", 10.00 → "10" in vi.

    Maxima and scale points are stored with two decimals but written in the
    official frameworks as 2 or 0,5; indexes keep their two decimals elsewhere.
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        return formats.localize(value)
    return localized(value)


register.filter("person_name", people.person_name)


@register.filter(is_safe=True)
def nfc(value: object) -> str:
    """The text in composed Unicode (NFC): Django's own name for Vietnamese, "Tiếng Việt",
    is decomposed, which some fonts draw with misplaced tone marks."""
    return unicodedata.normalize("NFC", str(value))


@register.simple_tag
def member_units(user) -> list:
    """The units the user works for (cached per request), for the navigation."""
    return selectors.member_units(user)
