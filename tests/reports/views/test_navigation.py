"""Every published table within reach: year and block switchers, comparisons, the home page.

The data: two published years (2014, 2015) × two blocks (so, huyen).
"""

import re

import pytest
from django.urls import reverse

from tests.reports.factories import make_published_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def years():
    return make_published_years()


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_a_ranking_switches_year_and_block_and_links_its_comparison(client, years):
    html = client.get(reverse("reports:rankings", args=[2015, "so"])).content.decode()
    found = links(html)
    assert reverse("reports:rankings", args=[2014, "so"]) in found
    assert reverse("reports:rankings", args=[2015, "huyen"]) in found
    assert reverse("reports:compare", args=[2014, 2015, "so"]) in found
    assert 'aria-current="page">2015</a>' in html


def test_the_first_published_year_has_nothing_to_compare_with(client, years):
    found = links(client.get(reverse("reports:rankings", args=[2014, "huyen"])).content.decode())
    assert reverse("reports:rankings", args=[2015, "huyen"]) in found
    assert not any("/so-sanh/" in link for link in found)


def test_a_decision_links_the_comparison_of_each_block(client, years):
    decision = years["decisions"][2015]
    found = links(
        client.get(reverse("reports:decision_detail", args=[decision.pk])).content.decode()
    )
    assert reverse("reports:compare", args=[2014, 2015, "so"]) in found
    assert reverse("reports:compare", args=[2014, 2015, "huyen"]) in found


def test_a_unit_profile_links_its_ranking_and_its_block_s_comparison(client, years):
    found = links(client.get(reverse("reports:unit_profile", args=["so-gd"])).content.decode())
    assert reverse("reports:rankings", args=[2015, "so"]) in found
    assert reverse("reports:compare", args=[2014, 2015, "so"]) in found


def test_every_published_year_is_two_clicks_from_home(client, years):
    home = links(client.get(reverse("home")).content.decode())
    for year in (2014, 2015):
        for block in ("so", "huyen"):
            assert reverse("reports:rankings", args=[year, block]) in home


def test_a_ranking_shows_the_block_s_areas_at_a_glance(client, years):
    html = client.get(reverse("reports:rankings", args=[2015, "so"])).content.decode()
    assert 'id="block-area-chart-title"' in html
    assert "Tổng quan các lĩnh vực của khối" in html
