"""The staff page of a block's results, and the button that computes them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Campaign, ImportedResult, Result
from scoring.services.results import results_compute
from tests.scoring.results_data import build_block_of, build_story

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def results_url(year: int = 2015, block: str = "so", query: str = "") -> str:
    return reverse("campaigns:campaign_results", args=[year, block]) + query


def compute_url(year: int = 2015, block: str = "so") -> str:
    return reverse("campaigns:campaign_results_compute", args=[year, block])


@pytest.fixture
def story(unit_a, unit_b):
    return build_story(unit_a=unit_a, unit_b=unit_b)


@pytest.fixture
def uncomputed(unit_a, unit_b):
    return build_story(unit_a=unit_a, unit_b=unit_b, compute=False)


def rows_of(html: str) -> list[str]:
    """The unit names of the ranking, top to bottom."""
    body = html.split('<table class="table table-sm table-hover align-middle results-table', 1)[1]
    return re.findall(r'<th scope="row" class="unit-name"><a [^>]*>([^<]+)</a>', body)


# -- access ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_log_in(client, story, method):
    computed_at = set(Result.objects.values_list("computed_at", flat=True))
    url = results_url() if method == "get" else compute_url()
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert set(Result.objects.values_list("computed_at", flat=True)) == computed_at


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["appraiser", "editor_a", "head_a"])
def test_other_roles_are_refused(client, request, story, persona):
    computed_at = set(Result.objects.values_list("computed_at", flat=True))
    client.force_login(request.getfixturevalue(persona))
    assert client.get(results_url()).status_code == 403
    assert client.post(compute_url()).status_code == 403
    assert set(Result.objects.values_list("computed_at", flat=True)) == computed_at


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "block"), [(1999, "so"), (2015, "khong-co"), (2015, "huyen")])
def test_unknown_year_or_block_is_404(client, staff, story, year, block):
    client.force_login(staff)
    assert client.get(results_url(year, block)).status_code == 404
    assert client.post(compute_url(year, block)).status_code == 404


@pytest.mark.django_db
def test_the_compute_view_refuses_get(client, staff, uncomputed):
    client.force_login(staff)
    assert client.get(compute_url()).status_code == 405
    assert not Result.objects.exists()


# -- computing -----------------------------------------------------------------------


@pytest.mark.django_db
def test_without_results_the_page_offers_to_compute_them(english_client, staff, uncomputed):
    english_client.force_login(staff)
    response = english_client.get(results_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "No results yet" in html
    assert f'action="{compute_url()}"' in html and "Compute results" in html
    assert response.context["results"].rows == []


@pytest.mark.django_db
def test_computing_stores_results_and_returns_to_the_page(english_client, staff, uncomputed):
    english_client.force_login(staff)
    response = english_client.post(compute_url(), follow=True)
    assert response.redirect_chain == [(results_url(), 302)]
    assert Result.objects.filter(campaign__year=2015).count() == 4
    assert Result.objects.filter(campaign__year=2014).count() == 3  # last year first
    html = response.content.decode()
    assert "Results computed for 4 units of the 2015 campaign." in html
    assert "Recompute results" in html


@pytest.mark.django_db
def test_a_computation_that_fails_says_why_and_writes_nothing(client, staff, uncomputed):
    Campaign.objects.get(year=2015).survey_answers.filter(code="B").delete()
    client.force_login(staff)
    response = client.post(compute_url(), follow=True)
    assert response.status_code == 200
    assert not Result.objects.filter(campaign__year=2015).exists()
    html = response.content.decode()
    assert "has no weight in this campaign" in html and 'role="alert"' in html


# -- the page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_ranking_with_changes_and_links(english_client, staff, story):
    english_client.force_login(staff)
    response = english_client.get(results_url())
    html = response.content.decode()
    assert rows_of(html) == ["Sở GTVT", "Sở GD&amp;ĐT", "Sở CT", "Sở DL"]
    assert reverse("reports:unit_results", args=["so-gddt", 2015]) in html
    assert "48,86" not in html  # English page: decimal points
    assert ">48.86<" in html and ">100.00<" in html
    assert "▲&nbsp;1" in html and "up 1 place" in html
    assert "▼&nbsp;1" in html and "down 1 place" in html
    assert "same rank" in html and "new" in html
    assert "3 · 18.18" in html  # A's rank and index last year
    assert "+30.68" in html and "-18.18" in html
    assert "<strong>1</strong> improved, <strong>1</strong> declined" in html
    assert "1 unit has no index last year." in html
    assert "Final" in html and "Computed on" in html
    assert 'aria-sort="ascending"' in html  # the ranking, as sorted
    assert 'href="?sort=-rank"' in html and 'href="?sort=index"' in html
    assert "Area 1" in html and "Deductions" in html
    # The weak leaves: 2.2 first, lost by three units of four.
    weak = html.split("Criteria most units lost points on", 1)[1]
    assert weak.index("2.2") < weak.index("1.2.2")
    assert "3 of 4" in weak


@pytest.mark.django_db
def test_the_block_statistics_and_where_last_year_comes_from(english_client, staff, story):
    english_client.force_login(staff)
    html = english_client.get(results_url()).content.decode()
    stats = html.split('id="results-statistics"', 1)[1].split("</section>", 1)[0]
    # Indexes 100, 48.8636…, 36.3636…, 18.1818…: mean 50.8522…, median (48.86… + 36.36…) / 2.
    assert ">50.85%<" in stats and ">42.61%<" in stats
    assert ">100.00%<" in stats and ">18.18%<" in stats and "81.82 points below" in stats
    # Tiers Tốt ≥ 80 and Khá ≥ 65: one Tốt, Khá empty, three below every tier.
    counts = re.findall(r"tier-badge\">([^<]+)</span> <strong>(\d+)</strong>", stats)
    assert counts == [("Tốt", "1"), ("Khá", "0")]
    assert "No tier <strong>3</strong>" in stats
    assert "1. " in stats and "Survey points" in stats
    changes = html.split('id="results-changes"', 1)[1]
    assert "the 2014 campaign's own results, not published" in changes
    assert "part of the block" not in changes


@pytest.mark.django_db
def test_the_page_is_vietnamese_with_decimal_commas(client, staff, story):
    client.force_login(staff)
    html = client.get(results_url()).content.decode()
    assert '<html lang="vi">' in html
    assert ">48,86<" in html and "+30,68" in html


@pytest.mark.django_db
def test_sorting_by_name_and_change(client, staff, story):
    client.force_login(staff)
    html = client.get(results_url(query="?sort=name")).content.decode()
    assert rows_of(html) == ["Sở CT", "Sở DL", "Sở GD&amp;ĐT", "Sở GTVT"]
    response = client.get(results_url(query="?sort=-change"))
    assert rows_of(response.content.decode()) == ["Sở CT", "Sở GTVT", "Sở GD&amp;ĐT", "Sở DL"]
    assert 'aria-sort="ascending"' in response.content.decode()


@pytest.mark.django_db
def test_a_preview_says_so(english_client, staff, story):
    Result.objects.filter(unit=story.c).update(is_final=False)
    english_client.force_login(staff)
    html = english_client.get(results_url()).content.decode()
    assert "Preview" in html and "1 of 4 results counts points not yet appraised" in html


@pytest.mark.django_db
def test_the_campaign_page_links_to_each_block_results(client, staff, story):
    client.force_login(staff)
    html = client.get(reverse("campaigns:campaign_detail", args=[2015])).content.decode()
    assert results_url() in html


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_page_takes_a_fixed_number_of_queries(
    client, staff, size, django_assert_max_num_queries
):
    campaign, units = build_block_of(size)
    # Last year from an imported table: the page says where it comes from and how much of
    # the block it covers, in the same queries whatever the size.
    ImportedResult.objects.bulk_create(
        ImportedResult(
            year=2014,
            unit=unit,
            block=unit.block,
            unit_name=unit.name,
            index=Decimal(50 + rank),
            rank=size + 1 - rank,
            decision_number="125/QĐ-UBND",
            decision_date=datetime.date(2015, 1, 20),
            imported_at=timezone.now(),
        )
        for rank, unit in enumerate(units, start=1)
    )
    client.force_login(staff)
    # The page's reads, its statistics' tiers and where last year's figures come from.
    with django_assert_max_num_queries(15):
        response = client.get(results_url(campaign.year, units[0].block.code, "?sort=change"))
    assert len(response.context["results"].rows) == size
    assert response.context["results"].previous.coverage.complete


# -- the demo: the seed story of DOMAIN.md ------------------------------------------------


@pytest.fixture(scope="module")
def demo_results(demo_db, django_db_blocker):
    """The demo (loaded once for the module) with its 2015 results computed."""
    with django_db_blocker.unblock():
        results_compute(campaign=Campaign.objects.get(year=2015))


@pytest.fixture
def demo_staff(demo_results, db, django_user_model):
    return django_user_model.objects.get(username="staff")


@pytest.mark.django_db
def test_the_demo_districts_tell_the_story(client, demo_staff):
    client.force_login(demo_staff)
    response = client.get(results_url(2015, "huyen"))
    html = response.content.decode()
    names = rows_of(html)
    assert names[:3] == ["Long Phú", "Mỹ Xuyên", "Trần Đề"]
    assert names[-1] == "TX Ngã Năm"
    changes = {row.unit.display_name: row.rank_change for row in response.context["results"].rows}
    assert changes["Mỹ Xuyên"] == 6 and changes["Trần Đề"] == 7
    assert changes["Châu Thành"] == -6 and changes["Kế Sách"] == -4
    assert changes["TX Ngã Năm"] == 0
    row = re.search(r"Mỹ Xuyên</a></th>.*?</tr>", html, re.S).group(0)
    assert "▲&nbsp;6" in row
    row = re.search(r"Trần Đề</a></th>.*?</tr>", html, re.S).group(0)
    assert "▲&nbsp;7" in row
    row = re.search(r"Châu Thành</a></th>.*?</tr>", html, re.S).group(0)
    assert "▼&nbsp;6" in row


@pytest.mark.django_db
def test_the_demo_departments_summary(english_client, demo_staff):
    english_client.force_login(demo_staff)
    response = english_client.get(results_url(2015, "so"))
    changes = response.context["results"].changes
    assert (changes.improved, changes.declined) == (14, 8)
    assert [row.unit.display_name for row in changes.risers[:2]] == ["Sở GD&ĐT", "Sở GTVT"]
    html = response.content.decode()
    assert "<strong>14</strong> improved, <strong>8</strong> declined" in html
    risers = html.split("Biggest risers", 1)[1].split("Biggest fallers", 1)[0]
    assert "Sở GD&amp;ĐT" in risers and "+14.53" in risers
