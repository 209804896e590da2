"""Template helpers of the assessment screens: the shell's links and how points read."""

from decimal import Decimal

from django import template
from django.utils.translation import ngettext

from scoring import access
from scoring.selectors.self_assessment import user_open_assessments
from scoring.workflow import TRANSITIONS
from units.templatetags.portal import points

register = template.Library()


@register.simple_tag
def open_assessments(user) -> list:
    """The assessments of the user's units in open campaigns (cached per request)."""
    return user_open_assessments(user)


@register.filter
def points_count(value: Decimal | None) -> str:
    """A number of points with its noun: "1 point", "2,5 points" (display only)."""
    if value is None or value == "":
        return ""
    # English takes the singular for exactly one; Vietnamese has a single form.
    return ngettext("%(points)s point", "%(points)s points", 1 if value == 1 else 2) % {
        "points": points(value)
    }


@register.inclusion_tag("scoring/self_assessment/_tabs.html")
def assessment_tabs(assessment, standing, tab: str) -> dict:
    """The screens of an assessment this user can open, as tabs (which ones is access's call)."""
    return {
        "assessment": assessment,
        "tab": tab,
        "may_appraise": access.may_appraise(standing),
        "may_explain": access.may_reply(standing, assessment),
        "is_unit_member": standing.is_unit_member,
    }


@register.filter
def step_label(action: str) -> str:
    """The label of a workflow step, from its action as an event stores it ("" if none)."""
    transition = TRANSITIONS.get(action)
    return str(transition.label) if transition is not None else ""
