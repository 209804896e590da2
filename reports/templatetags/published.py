"""Published results for pages outside the reports app (the home page)."""

from django import template

from reports import selectors

register = template.Library()


@register.simple_tag
def latest_published_results() -> selectors.LatestResults | None:
    """The newest decision in force with each block's first ranks (two queries)."""
    return selectors.latest_results()
