"""Published results for pages outside the reports app (the home page)."""

from django import template

from reports.selectors.catalogue import (
    LatestResults,
    PublishedYear,
    latest_results,
    published_years,
)

register = template.Library()


@register.simple_tag
def latest_published_results() -> LatestResults | None:
    """The newest decision in force with each block's first ranks (two queries)."""
    return latest_results()


@register.simple_tag
def published_years_list() -> list[PublishedYear]:
    """Every published year with its block tables, for links two clicks from home (two queries)."""
    return published_years()
