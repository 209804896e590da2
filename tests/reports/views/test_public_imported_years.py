"""A year published before the portal, its table imported: the unit pages and the
comparison show it (labelled, never as one of the portal's decisions), a year the portal
published shows only its own decision, and an import changes the pages' version."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.selectors import freshness
from scoring.models import ImportedResult
from tests.reports.factories import make_published_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def years():
    return make_published_years()


def imported(unit, *, year: int, rank: int, index: str, number: str = "88/QĐ-UBND"):
    return ImportedResult.objects.create(
        year=year,
        unit=unit,
        block=unit.block,
        unit_name=unit.name,
        index=D(index),
        rank=rank,
        tier="Khá",
        decision_number=number,
        decision_date=datetime.date(year + 1, 3, 2),
        imported_at=timezone.now(),
    )


def test_a_unit_page_shows_the_imported_year_labelled(client, years):
    imported(years["units"]["gd"], year=2013, rank=4, index="71.5")
    html = client.get(reverse("reports:unit_profile", args=["so-gd"])).content.decode()
    history = html.split('id="history"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert ">2013<" in history and ">71,50<" in history and "88/QĐ-UBND" in history
    assert "bảng nhập" in history
    # The years in order, newest first: 2015, 2014 (decisions), then 2013 (imported).
    assert history.index(">2015<") < history.index(">2014<") < history.index(">2013<")


def test_an_imported_row_of_a_year_the_portal_published_is_not_shown(client, years):
    imported(years["units"]["gd"], year=2014, rank=9, index="12.5", number="77/QĐ-UBND")
    html = client.get(reverse("reports:unit_profile", args=["so-gd"])).content.decode()
    assert "77/QĐ-UBND" not in html and "12,50" not in html


def test_a_comparison_with_an_imported_year(client, years):
    units = years["units"]
    imported(units["gd"], year=2013, rank=3, index="70")
    imported(units["nv_old"], year=2013, rank=9, index="60")  # 9th: part of the block
    response = client.get(reverse("reports:compare", args=[2013, 2015, "so"]))
    comparison = response.context["comparison"]
    assert [(m.name_b, m.rank_a, m.rank_b) for m in comparison.movements] == [
        ("Sở Giáo dục và Đào tạo", 3, 1),
        ("Sở Nội vụ", 9, 2),  # renamed: joined with its former name's row
    ]
    html = response.content.decode()
    assert "88/QĐ-UBND" in html and "bảng kết quả được nhập" in html
    assert "chỉ có một phần của khối (2 đơn vị)" in html


def test_an_import_changes_the_version_of_the_public_pages(client, years):
    url = reverse("reports:unit_profile", args=["so-gd"])
    etag = client.get(url)["ETag"]
    imported(years["units"]["gd"], year=2013, rank=4, index="71.5")
    freshness.forget_latest_published_at()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.parametrize("extra", [0, 40])
def test_the_unit_page_reads_imported_years_in_fixed_queries(
    client, years, extra, django_assert_max_num_queries
):
    gd = years["units"]["gd"]
    for year in range(2013 - extra, 2014):
        imported(gd, year=year, rank=1, index="50")
    # + 2 the first time for the links to the other published tables (then cached)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("reports:unit_profile", args=["so-gd"])).status_code == 200
