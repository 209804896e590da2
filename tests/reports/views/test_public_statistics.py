"""Block statistics on the public pages: the ranking (the whole block, whatever the filter or
the page) and the decision (each block of its appendix)."""

import re

import pytest
from django.urls import reverse

from tests.reports.factories import add_units, make_published_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def years():
    return make_published_years()


def section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def tier_counts(html: str) -> list[tuple[str, str]]:
    return re.findall(r'tier-badge">([^<]+)</span> <strong>(\d+)</strong>', html)


def test_the_ranking_shows_the_blocks_statistics(client, years):
    html = client.get(reverse("reports:rankings", args=[2015, "so"])).content.decode()
    stats = section(html, "ranking-statistics")
    # 88,125 and 80,5: the mean and the median of two values are both 84,3125.
    assert stats.count(">84,31%<") == 2
    assert ">88,13%<" in stats and ">80,50%<" in stats
    # The campaign's tiers are Tốt (≥ 80) and Khá (≥ 65): Khá is listed with none.
    assert tier_counts(stats) == [("Tốt", "2"), ("Khá", "0")]
    # Area 1 holds index − 20 of 80 points: 68,125 and 60,5 → 64,31 on average.
    assert "Công tác chỉ đạo, điều hành CCHC" in stats and ">64,31<" in stats


def test_the_statistics_are_of_the_whole_block_on_every_page_and_tier(client, years):
    decision = years["decisions"][2015]
    add_units(decisions=[decision], block_code="so", count=150, start_rank=3)
    url = reverse("reports:rankings", args=[2015, "so"])
    pages = [
        client.get(url, {"page": 2}).content.decode(),
        client.get(url, {"tier": "Tốt"}).content.decode(),
    ]
    for html in pages:
        stats = section(html, "ranking-statistics")
        assert "152 đơn vị" in stats
        # 150 units at 50 and two at 88,125 and 80,5: (7 500 + 168,625) / 152 = 50,45…
        assert ">50,45%<" in stats and ">50,00%<" in stats  # mean, median
        assert tier_counts(stats) == [("Tốt", "2"), ("Khá", "0"), ("Trung bình", "150")]


def test_the_decision_page_shows_each_blocks_statistics(client, years):
    decision = years["decisions"][2015]
    html = client.get(reverse("reports:decision_detail", args=[decision.pk])).content.decode()
    departments = section(html, "statistics-so")
    districts = section(html, "statistics-huyen")
    assert "Sở, ban, ngành" in departments and ">84,31%<" in departments
    # Districts 83 and 79: mean and median 81, lowest 79, 4 points below the highest.
    assert districts.count(">81,00%<") == 2
    assert ">79,00%<" in districts and "4,00 điểm" in districts


def test_the_blocks_statistics_are_read_once_for_every_page_and_sort(
    client, years, django_assert_num_queries
):
    add_units(decisions=[years["decisions"][2015]], block_code="so", count=150, start_rank=3)
    url = reverse("reports:rankings", args=[2015, "so"])
    client.get(url)
    # Another page and sort: its body is built, but the statistics come from the cache.
    # The context processor, the decision, the block's tiers, the page's rows (the latest
    # publication is still kept by the process).
    with django_assert_num_queries(4):
        html = client.get(url, {"page": 2, "sort": "-index"}).content.decode()
    assert "152 đơn vị" in section(html, "ranking-statistics")
