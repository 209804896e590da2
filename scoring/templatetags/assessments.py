"""Template helpers of the assessment screens: the shell's links and how points read."""

from decimal import Decimal

from django import template
from django.utils.translation import ngettext

from scoring import selectors
from units.templatetags.portal import points

register = template.Library()


@register.simple_tag
def open_assessments(user) -> list:
    """The assessments of the user's units in open campaigns (cached per request)."""
    return selectors.user_open_assessments(user)


@register.filter
def points_count(value: Decimal | None) -> str:
    """A number of points with its noun: "1 point", "2,5 points" (display only)."""
    if value is None or value == "":
        return ""
    # English takes the singular for exactly one; Vietnamese has a single form.
    return ngettext("%(points)s point", "%(points)s points", 1 if value == 1 else 2) % {
        "points": points(value)
    }
