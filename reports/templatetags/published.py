"""Published results for pages outside the reports app (the home page)."""

from django import template

from reports.selectors.catalogue import LatestResults, latest_results

register = template.Library()


@register.simple_tag
def latest_published_results() -> LatestResults | None:
    """The newest decision in force with each block's first ranks (two queries)."""
    return latest_results()
