"""Public pages of published results: anonymous access, 404s, fixed queries, caching, lineage."""

import gzip
import hashlib
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from reports.models import Decision, PublishedResult
from reports.selectors import freshness
from reports.views import page_cache
from scoring.models import Assessment, Score
from tests.factories import make_campaign, make_framework, make_unit
from tests.reports.factories import add_units, make_decision, make_published_years, make_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def years():
    return make_published_years()


def page_urls(data) -> dict[str, str]:
    d2015 = data["decisions"][2015]
    return {
        "rankings": reverse("reports:rankings", args=[2015, "so"]),
        "unit_profile": reverse("reports:unit_profile", args=["tx-moi"]),
        "decision_list": reverse("reports:decision_list"),
        "decision_detail": reverse("reports:decision_detail", args=[d2015.pk]),
        "compare": reverse("reports:compare", args=[2014, 2015, "huyen"]),
        "methodology": reverse("reports:methodology"),
        "methodology_block": reverse("reports:methodology_block", args=[2015, "so"]),
        "open_data": reverse("reports:open_data"),
        "open_data_csv": reverse("reports:open_data_file", args=[2015, "so", "csv"]),
        "open_data_json": reverse("reports:open_data_file", args=[2015, "so", "json"]),
        "open_data_xlsx": reverse("reports:open_data_file", args=[2015, "so", "xlsx"]),
        "verify_digest": reverse("reports:verify_digest", args=["a" * 64]),
    }


PAGES = [
    "rankings",
    "unit_profile",
    "decision_list",
    "decision_detail",
    "compare",
    "methodology",
    "methodology_block",
    "open_data",
    "open_data_csv",
    "open_data_json",
    "open_data_xlsx",
    "verify_digest",
]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_gets_page_with_cache_headers(client, years, name):
    response = client.get(page_urls(years)[name])
    assert response.status_code == 200
    assert response["ETag"]
    latest = years["decisions"][2015].published_at
    assert response["Last-Modified"] == http_date(latest.timestamp())
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


@pytest.mark.parametrize("name", PAGES)
def test_conditional_get_answers_304(client, years, name):
    url = page_urls(years)[name]
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_etag_changes_with_language_and_with_a_new_publication(client, years):
    url = page_urls(years)["rankings"]
    vietnamese = client.get(url)["ETag"]
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert english["ETag"] != vietnamese
    assert english["Content-Language"] == "en"
    make_decision(
        campaign=make_campaign(year=2016), published_at=timezone.now() + timedelta(minutes=1)
    )
    freshness.forget_latest_published_at()  # as the publication service does on commit
    assert client.get(url, HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


def test_logged_in_pages_are_private(client, years, staff):
    client.force_login(staff)
    response = client.get(page_urls(years)["rankings"])
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:rankings", args=[2013, "so"]),
        reverse("reports:rankings", args=[2015, "xa"]),
        reverse("reports:unit_profile", args=["khong-co"]),
        reverse("reports:decision_detail", args=[999999]),
        reverse("reports:decision_pdf", args=[999999]),
        reverse("reports:compare", args=[2013, 2015, "so"]),
        reverse("reports:compare", args=[2014, 2015, "xa"]),
        reverse("reports:methodology_block", args=[2013, "so"]),
        reverse("reports:open_data_file", args=[2013, "so", "csv"]),
        reverse("reports:open_data_file", args=[2015, "xa", "json"]),
        reverse("reports:verify_digest", args=["not-a-digest"]),
    ],
)
def test_unknown_year_block_unit_or_decision_is_404(client, years, url):
    assert client.get(url).status_code == 404


def test_pages_answer_in_vietnamese_by_default_and_in_english_on_request(client, years):
    url = page_urls(years)["rankings"]
    assert "Xếp hạng" in Client().get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Ranking 2015" in client.get(url).content.decode()


# ---------------------------------------------------------------------------
# Rankings


def test_ranking_shows_rows_rank_change_and_links(english_client, years):
    response = english_client.get(page_urls(years)["rankings"])
    html = response.content.decode()
    assert "Sở Giáo dục và Đào tạo" in html
    assert "88.13" in html  # 88.125 rounded half up
    assert "▲&nbsp;1" in html and "up 1 place" in html
    assert "▼&nbsp;1" in html and "down 1 place" in html
    assert reverse("reports:unit_profile", args=["so-gd"]) in html
    assert reverse("reports:open_data_file", args=[2015, "so", "xlsx"]) in html
    assert "unrounded" in html
    rows = response.context["ranking"].rows
    assert [row.rank for row in rows] == [1, 2]


def test_ranking_sorts_on_the_server_with_aria_sort(english_client, years):
    url = page_urls(years)["rankings"]
    response = english_client.get(url, {"sort": "-rank"})
    assert [row.rank for row in response.context["ranking"].rows] == [2, 1]
    assert 'aria-sort="descending"' in response.content.decode()
    by_name = english_client.get(url, {"sort": "name"}).context["ranking"].rows
    assert [row.unit_name for row in by_name] == ["Sở Giáo dục và Đào tạo", "Sở Nội vụ"]
    by_change = english_client.get(url, {"sort": "change"}).context["ranking"].rows
    assert by_change[0].unit_name == "Sở Giáo dục và Đào tạo"


def test_ranking_filters_by_tier(english_client, years):
    url = reverse("reports:rankings", args=[2015, "huyen"])
    rows = english_client.get(url, {"tier": "Khá"}).context["ranking"].rows
    assert [row.unit_name for row in rows] == ["Thị xã Mới"]
    unknown = english_client.get(url, {"tier": "nope"}).context["ranking"]
    assert len(unknown.rows) == 2 and unknown.tier == ""


def test_ranking_is_paginated_with_real_ranks_and_kept_sort_and_tier(english_client, years):
    add_units(decisions=[years["decisions"][2015]], block_code="so", count=248, start_rank=3)
    url = page_urls(years)["rankings"]
    first = english_client.get(url)
    assert [row.rank for row in first.context["ranking"].rows] == list(range(1, 101))
    second = english_client.get(url, {"page": 2})
    assert [row.rank for row in second.context["ranking"].rows] == list(range(101, 201))
    html = second.content.decode()
    assert "Rows 101–200 of 250 (250 units in all)" in html
    assert "CSV, XLSX and JSON downloads" in html
    assert '<nav aria-label="Pages">' in html and 'aria-current="page"' in html
    assert "Page 2 of 3" in html
    assert 'href="?sort=rank&amp;page=1"' in html and 'href="?sort=rank&amp;page=3"' in html
    last = english_client.get(url, {"page": 3, "sort": "-rank"})
    assert [row.rank for row in last.context["ranking"].rows] == list(range(50, 0, -1))
    assert 'href="?sort=-rank&amp;page=2"' in last.content.decode()
    # The ETag differs by page.
    assert first["ETag"] != second["ETag"]


def test_ranking_pagination_keeps_the_tier(english_client, years):
    add_units(decisions=[years["decisions"][2015]], block_code="so", count=150, start_rank=3)
    PublishedResult.objects.filter(unit__code__startswith="extra-").update(tier="Khá")
    url = page_urls(years)["rankings"]
    response = english_client.get(url, {"tier": "Khá", "sort": "index", "page": 2})
    ranking = response.context["ranking"]
    assert ranking.shown == 150 and ranking.total == 152 and len(ranking.rows) == 50
    assert all(row.tier == "Khá" for row in ranking.rows)
    assert "?sort=index&amp;tier=Kh%C3%A1&amp;page=1" in response.content.decode()


@pytest.mark.parametrize("page", ["4", "0", "x", "-1"])
def test_ranking_page_out_of_range_is_404(client, years, page):
    add_units(decisions=[years["decisions"][2015]], block_code="so", count=248, start_rank=3)
    assert client.get(page_urls(years)["rankings"], {"page": page}).status_code == 404


def test_small_ranking_has_no_pagination(english_client, years):
    html = english_client.get(page_urls(years)["rankings"]).content.decode()
    assert 'aria-label="Pages"' not in html


@pytest.mark.parametrize("extra", [0, 60, 450])
def test_ranking_page_queries_are_fixed_on_any_page(
    client, years, django_assert_max_num_queries, extra
):
    if extra:
        add_units(decisions=[years["decisions"][2015]], block_code="so", count=extra, start_rank=3)
    page = 1 + extra // 100
    with django_assert_max_num_queries(QUERY_LIMITS["rankings"]):
        response = client.get(page_urls(years)["rankings"], {"page": page, "sort": "change"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["rankings", "unit_profile", "decision_detail", "compare", "open_data_csv"]
)
def test_public_pages_are_gzipped_for_browsers_that_accept_it(client, years, name):
    url = page_urls(years)[name]
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    # The weak ETag of a gzipped answer still revalidates to a 304.
    again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_form_pages_are_not_gzipped(client, years):
    for url in (page_urls(years)["verify_digest"], reverse("reports:verify")):
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert not response.has_header("Content-Encoding")


def test_draft_decision_rows_never_appear(client, years):
    campaign = make_campaign(year=2016, frameworks=())
    draft = make_decision(campaign=campaign, status=Decision.Status.DRAFT)
    make_row(decision=draft, unit=years["units"]["gd"], rank=1, index="99", name="Tên nháp")
    assert client.get(reverse("reports:rankings", args=[2016, "so"])).status_code == 404
    assert client.get(reverse("reports:decision_detail", args=[draft.pk])).status_code == 404
    for url in (
        page_urls(years)["unit_profile"],
        reverse("reports:unit_profile", args=["so-gd"]),
        reverse("reports:decision_list"),
        reverse("reports:open_data"),
        reverse("home"),
    ):
        assert "Tên nháp" not in client.get(url).content.decode()


def test_a_superseded_decisions_rows_leave_the_ranking_but_stay_on_its_page(client, years):
    old = years["decisions"][2015]
    correction = make_decision(
        campaign=old.campaign,
        supersedes=old,
        correction_reason="Sửa điểm Sở Nội vụ.",
        published_at=timezone.now() + timedelta(minutes=1),
    )
    units = years["units"]
    make_row(decision=correction, unit=units["gd"], rank=2, index="88.125", tier="Tốt")
    make_row(
        decision=correction,
        unit=units["nv_new"],
        rank=1,
        index="90.5",
        tier="Tốt",
        name="Sở Nội vụ (đã sửa)",
    )
    ranking = client.get(reverse("reports:rankings", args=[2015, "so"])).context["ranking"]
    assert ranking.decision == correction
    assert [row.unit_name for row in ranking.rows] == [
        "Sở Nội vụ (đã sửa)",
        "Sở Giáo dục và Đào tạo",
    ]

    old_page = client.get(reverse("reports:decision_detail", args=[old.pk]))
    html = old_page.content.decode()
    assert "Sở Nội vụ" in html and "80,50" in html
    assert reverse("reports:decision_detail", args=[correction.pk]) in html  # superseded by

    new_page = client.get(reverse("reports:decision_detail", args=[correction.pk]))
    changes = new_page.context["detail"].changes
    # Both department rows changed rank; the district rows are gone from the correction.
    names = [change.unit_name for change in changes]
    assert "Sở Nội vụ (đã sửa)" in names and "Sở Giáo dục và Đào tạo" in names
    assert "Huyện Châu Giang" in names
    assert "Sửa điểm Sở Nội vụ." in new_page.content.decode()


# ---------------------------------------------------------------------------
# Unit profile and lineage


def test_merged_unit_shows_each_predecessor_under_its_own_name(english_client, years):
    response = english_client.get(page_urls(years)["unit_profile"])
    profile = response.context["profile"]
    shown = [(year.year, year.row.unit_name, year.is_self) for year in profile.years]
    assert shown == [
        (2014, "Huyện An Lạc", False),
        (2014, "Huyện Bình Yên", False),
        (2015, "Thị xã Mới", True),
    ]
    html = response.content.decode()
    assert "Formed from:" in html and "never combined" in html
    assert "<svg" in html and 'role="img"' in html


def test_renamed_unit_shows_its_former_name_and_the_predecessor_links_forward(
    english_client, years
):
    profile = english_client.get(reverse("reports:unit_profile", args=["so-nv-2015"])).context[
        "profile"
    ]
    assert [(y.year, y.row.unit_name) for y in profile.years] == [
        (2014, "Sở Nội vụ cũ"),
        (2015, "Sở Nội vụ"),
    ]
    old = english_client.get(reverse("reports:unit_profile", args=["so-nv-2014"]))
    assert "Continued as:" in old.content.decode()
    assert [u.code for u in old.context["profile"].successors] == ["so-nv-2015"]


def test_unit_profile_area_chart_uses_block_average_and_best(english_client, years):
    profile = english_client.get(reverse("reports:unit_profile", args=["so-gd"])).context["profile"]
    (area,) = profile.latest_areas
    # Area 1 of so in 2015: 68.125/80 and 60.5/80.
    assert str(area.block_best)[:6] == "85.156"
    assert area.block_average < area.block_best
    assert profile.block_units == 2


def test_unit_profile_trail_reads_only_published_assessments(english_client, years):
    units, campaign = years["units"], years["campaigns"][2015]
    framework = campaign.blocks.get(block__code="so").framework
    leaf = framework.criteria.get(code="1.1")
    published = Assessment.objects.create(
        campaign=campaign, unit=units["gd"], framework=framework, state=Assessment.State.PUBLISHED
    )
    Score.objects.create(
        assessment=published, criterion=leaf, self_points=5, appraised_points=4, final_points=4
    )
    draft = Assessment.objects.create(
        campaign=campaign, unit=units["nv_new"], framework=framework, state="appraised"
    )
    Score.objects.create(assessment=draft, criterion=leaf, self_points=5)
    gd = english_client.get(reverse("reports:unit_profile", args=["so-gd"])).context["profile"]
    (trail,) = [year.trail for year in gd.years if year.trail]
    assert [(t.code, t.self_points, t.appraised_points, t.final_points) for t in trail] == [
        ("1.1", 5, 4, 4)
    ]
    nv = english_client.get(reverse("reports:unit_profile", args=["so-nv-2015"])).context["profile"]
    assert all(not year.trail for year in nv.years)


def test_unit_without_published_rows_is_404(client, years):
    make_unit(code="chua-co", name="Đơn vị chưa công bố")
    assert client.get(reverse("reports:unit_profile", args=["chua-co"])).status_code == 404


# ---------------------------------------------------------------------------
# Decisions, PDF, verification


def test_decision_pdf_is_served_from_storage_and_verified(client, years, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.7 test decision"
    digest = hashlib.sha256(content).hexdigest()
    campaign = make_campaign(year=2016)
    decision = Decision(
        campaign=campaign,
        number="2491/QĐ-UBND",
        signed_on="2016-10-17",
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject="Phê duyệt",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lê Văn Hiểu",
        status=Decision.Status.PUBLISHED,
        published_at=timezone.now(),
        pdf_sha256=digest,
    )
    decision.pdf.save("2491.pdf", ContentFile(content), save=False)
    decision.save()

    response = client.get(reverse("reports:decision_pdf", args=[decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == content
    detail = client.get(reverse("reports:decision_detail", args=[decision.pk])).content.decode()
    assert digest in detail

    found = client.get(reverse("reports:verify_digest", args=[digest]))
    assert found.context["decision"] == decision
    assert "In force" in found.content.decode() or "Còn hiệu lực" in found.content.decode()

    # An uploaded file is answered at once, with its signature (this one has none).
    upload = ContentFile(content, name="copy.pdf")
    posted = client.post(reverse("reports:verify"), {"pdf": upload})
    assert posted.status_code == 200
    assert posted.context["digest"] == digest
    assert posted.context["decision"] == decision
    assert not posted.context["signature"].signed

    typed = client.post(reverse("reports:verify"), {"sha256": digest.upper()})
    assert typed["Location"] == reverse("reports:verify_digest", args=[digest])


def test_decision_without_pdf_has_no_download(client, years):
    decision = years["decisions"][2015]
    assert client.get(reverse("reports:decision_pdf", args=[decision.pk])).status_code == 404


def test_verification_does_not_find_an_unknown_digest(client, years):
    response = client.get(reverse("reports:verify_digest", args=["b" * 64]))
    assert response.status_code == 200
    assert response.context["decision"] is None
    bad = client.post(reverse("reports:verify"), {"sha256": "xyz"})
    assert bad.status_code == 200
    assert bad.context["form"].errors
    empty = client.post(reverse("reports:verify"), {})
    assert empty.context["form"].non_field_errors()


def test_verify_form_page(client, years):
    response = client.get(reverse("reports:verify"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_decision_list_shows_status(english_client, years):
    html = english_client.get(reverse("reports:decision_list")).content.decode()
    assert html.count("In force") == 2


# ---------------------------------------------------------------------------
# Compare, methodology, home


def test_compare_joins_renamed_units_and_lists_merged_ones_without_a_line(english_client, years):
    response = english_client.get(reverse("reports:compare", args=[2014, 2015, "so"]))
    comparison = response.context["comparison"]
    pairs = [(m.name_a, m.name_b, m.rank_a, m.rank_b) for m in comparison.movements]
    assert pairs == [
        ("Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo", 2, 1),
        ("Sở Nội vụ cũ", "Sở Nội vụ", 1, 2),
    ]
    html = response.content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    districts = english_client.get(reverse("reports:compare", args=[2014, 2015, "huyen"]))
    movements = districts.context["comparison"].movements
    merged = [m for m in movements if m.name_b == "Thị xã Mới"][0]
    assert merged.rank_a is None
    gone = [m.name_a for m in movements if not m.name_b]
    assert gone == ["Huyện An Lạc", "Huyện Bình Yên"]
    lines = [s for s in districts.context["comparison"].chart.slopes if s.has_line]
    assert len(lines) == 1


def test_methodology_shows_tree_tiers_and_formula(english_client, years):
    overview = english_client.get(reverse("reports:methodology")).content.decode()
    assert "Chỉ số CCHC năm 2015" in overview and "Tốt" in overview
    page = english_client.get(reverse("reports:methodology_block", args=[2015, "so"]))
    html = page.content.decode()
    assert "Tiêu chí 1" in html and "applicable maximum" in html and "≥ 80%" in html


def test_methodology_of_an_unpublished_year_is_404(client, years):
    make_campaign(year=2016, frameworks=(make_framework(year=2016),))
    assert client.get(reverse("reports:methodology_block", args=[2016, "so"])).status_code == 404


def test_home_shows_latest_results_and_summary_lead(english_client, years):
    html = english_client.get(reverse("home")).content.decode()
    assert "Published results of 2015" in html
    assert "Năm 2015 có 1 đơn vị tăng hạng." in html
    assert "Đoạn thứ hai" not in html
    assert reverse("reports:rankings", args=[2015, "huyen"]) in html
    assert "Huyện Châu Giang" in html


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


# ---------------------------------------------------------------------------
# Fixed number of queries at two sizes


QUERY_LIMITS = {
    # context processor (province) + latest published_at + the page's own reads; the
    # ranking, unit profile and decision add two for the links to the other published
    # tables (reports.selectors.catalogue.published_tables)
    "rankings": 7,
    "unit_profile": 10,
    "decision_list": 3,
    "decision_detail": 6,
    "compare": 7,
    "methodology": 6,
    "methodology_block": 6,
    "open_data": 4,
    "open_data_csv": 3,
    "open_data_json": 3,
    "open_data_xlsx": 3,
    "verify_digest": 3,
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("extra", [0, 60])
def test_queries_do_not_grow_with_the_number_of_units(
    client, years, django_assert_max_num_queries, name, extra
):
    if extra:
        decisions = list(years["decisions"].values())
        add_units(decisions=decisions, block_code="so", count=extra, start_rank=3)
    with django_assert_max_num_queries(QUERY_LIMITS[name]):
        response = client.get(page_urls(years)[name])
    assert response.status_code == 200


def test_home_queries_are_fixed(client, years, django_assert_max_num_queries):
    add_units(decisions=[years["decisions"][2015]], block_code="so", count=40, start_rank=3)
    # +2: every published year, two clicks from home (published_tables)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("home")).status_code == 200


def test_published_rows_never_leave_live_scores(years):
    # A page reads PublishedResult rows only: changing a unit's name later changes nothing shown.
    unit = years["units"]["gd"]
    unit.name = "Tên mới"
    unit.save()
    assert (
        PublishedResult.objects.filter(unit=unit, unit_name="Sở Giáo dục và Đào tạo").count() == 2
    )


# ---------------------------------------------------------------------------
# Whole-page cache for anonymous visitors


def count_queries(callable_):
    with CaptureQueriesContext(connection) as queries:
        result = callable_()
    return result, len(queries)


@pytest.mark.parametrize("name", ["rankings", "decision_detail", "methodology", "open_data_csv"])
def test_anonymous_second_request_is_served_whole_from_the_cache(client, years, name):
    url = page_urls(years)[name]
    first, built = count_queries(lambda: client.get(url))
    again, served = count_queries(lambda: client.get(url))
    assert first.status_code == again.status_code == 200
    # Nothing is read (the latest publication, in the key, is remembered) or rendered.
    assert served == 0 < built
    assert again.context is None
    assert again.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "Content-Type", "Vary"):
        assert again[header] == first[header]


def test_anonymous_public_page_holds_no_csrf_token_and_sets_no_cookie(years):
    client = Client(enforce_csrf_checks=True)
    url = page_urls(years)["rankings"]
    for response in (client.get(url), client.get(url)):
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies
    assert not client.cookies


def test_cached_page_keeps_its_headers_gzipped_or_not(client, years):
    url = page_urls(years)["rankings"]
    latest = years["decisions"][2015].published_at
    gzipped = [client.get(url, headers={"accept-encoding": "gzip, br"}) for _ in range(2)]
    plain = [client.get(url) for _ in range(2)]
    assert gzipped[1].context is None and plain[1].context is None  # both from the cache
    for response in gzipped:
        assert response["Content-Encoding"] == "gzip"
        assert response["ETag"].startswith('W/"')
        assert gzip.decompress(response.content) == plain[0].content
    for response in plain:
        assert not response.has_header("Content-Encoding")
        assert response["ETag"].startswith('"')
    for response in gzipped + plain:
        assert response["Last-Modified"] == http_date(latest.timestamp())
        assert response["Cache-Control"] == "public, max-age=300"
        assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        assert response["Content-Language"] == "vi"
        assert int(response["Content-Length"]) == len(response.content)


def test_cached_page_still_answers_304(client, years):
    url = page_urls(years)["rankings"]
    first = client.get(url, headers={"accept-encoding": "gzip"})
    client.get(url, headers={"accept-encoding": "gzip"})
    for conditional in (
        {"if-none-match": first["ETag"]},
        {"if-none-match": first["ETag"].removeprefix("W/")},
        {"if-modified-since": first["Last-Modified"]},
    ):
        again, queries = count_queries(
            lambda h=conditional: client.get(url, headers={"accept-encoding": "gzip", **h})
        )
        assert again.status_code == 304
        assert queries == 0
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == "public, max-age=300"
    stale = client.get(url, headers={"if-none-match": '"1.000000-vi-0"'})
    assert stale.status_code == 200 and stale.content


def test_a_new_publication_is_served_at_once(client, years):
    url = page_urls(years)["decision_list"]
    before = client.get(url)
    assert client.get(url).context is None  # cached
    newer = make_decision(
        campaign=make_campaign(year=2016),
        number="99/QĐ-UBND",
        published_at=timezone.now() + timedelta(minutes=1),
    )
    # What the publication service does once its transaction has committed.
    freshness.forget_latest_published_at()
    after = client.get(url)
    assert after.context is not None  # built again
    assert newer.number in after.content.decode()
    assert newer.number not in before.content.decode()
    assert after["ETag"] != before["ETag"]


@pytest.fixture
def clock(monkeypatch):
    """The clock of the latest publication's memo, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(freshness, "monotonic", lambda: now[0])
    return now


def test_a_publication_by_another_process_is_served_within_seconds(client, years, clock):
    url = page_urls(years)["decision_list"]
    before = client.get(url)
    # Published by another worker: nothing forgets this process's memo.
    newer = make_decision(
        campaign=make_campaign(year=2016),
        number="98/QĐ-UBND",
        published_at=timezone.now() + timedelta(minutes=1),
    )
    read_at = clock[0]
    clock[0] = read_at + freshness.LATEST_PUBLISHED_MEMO_SECONDS - 0.1
    stale = client.get(url)
    assert stale.context is None and stale["ETag"] == before["ETag"]
    clock[0] = read_at + freshness.LATEST_PUBLISHED_MEMO_SECONDS
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert newer.number in after.content.decode()


def test_the_latest_publication_is_read_once_per_memo_lifetime(client, years, clock):
    def reads_latest(url: str) -> bool:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return any('MAX("reports_decision"."published_at")' in q["sql"] for q in queries)

    urls = page_urls(years)
    assert reads_latest(urls["rankings"])
    # Other pages, built (not in the page cache): their own reads only.
    assert not reads_latest(urls["decision_list"])
    assert not reads_latest(urls["methodology"])
    clock[0] += freshness.LATEST_PUBLISHED_MEMO_SECONDS
    assert reads_latest(urls["open_data"])


def test_a_forget_while_reading_is_not_undone(years, monkeypatch):
    # Another thread reads the latest publication while this process publishes: the value
    # it read before the forget must not be kept.
    read = freshness._read_latest_published_at

    def read_then_publication_commits():
        value = read()
        freshness.forget_latest_published_at()
        return value

    monkeypatch.setattr(freshness, "_read_latest_published_at", read_then_publication_commits)
    freshness.latest_published_at()
    monkeypatch.setattr(freshness, "_read_latest_published_at", read)
    _latest, queries = count_queries(freshness.latest_published_at)
    assert queries == 1
    _latest, queries = count_queries(freshness.latest_published_at)
    assert queries == 0


def test_each_language_has_its_own_cached_page(client, years):
    url = page_urls(years)["rankings"]
    vietnamese = client.get(url).content
    client.cookies["django_language"] = "en"
    english = [client.get(url), client.get(url)]
    assert english[1].context is None
    assert english[0].content == english[1].content != vietnamese
    assert "Ranking 2015" in english[1].content.decode()


def test_logged_in_users_are_never_served_or_stored_from_the_cache(client, years, staff):
    url = page_urls(years)["rankings"]
    staff.last_name, staff.first_name = "Trần Thị", "Bình"
    staff.save()
    anonymous = Client()
    anonymous.get(url)
    assert anonymous.get(url).context is None  # the anonymous page is cached
    client.force_login(staff)
    for _ in range(2):
        mine = client.get(url)
        assert mine.context is not None
        html = mine.content.decode()
        assert "Trần Thị Bình" in html
        assert "csrfmiddlewaretoken" in html  # the logout form
        assert "private" in mine["Cache-Control"]
    # Nor did the logged-in page replace the anonymous one.
    after = anonymous.get(url)
    assert "Trần Thị Bình" not in after.content.decode()
    assert "csrfmiddlewaretoken" not in after.content.decode()


def test_a_page_with_a_form_token_is_never_stored(client, years):
    url = page_urls(years)["verify_digest"]
    first = client.get(url)
    assert "csrfmiddlewaretoken" in first.content.decode()
    again = client.get(url)
    assert again.context is not None  # built again, with this visitor's token
    assert again.cookies  # the CSRF cookie


def test_a_waiting_message_is_shown_not_a_cached_page(years):
    client = Client()
    url = page_urls(years)["rankings"]
    client.get(url)
    assert client.get(url).context is None
    # An anonymous visitor with a message waiting (as after logging out): the page must
    # be built to show it, and that page, with the message, is not for everyone.
    request = RequestFactory().get(url)
    request.session = SessionStore()
    request.user = AnonymousUser()
    storage = FallbackStorage(request)
    request._messages = storage
    messages.info(request, "Thông báo thử")
    assert page_cache._page_cache_key(request, compress=True) is None
    storage.used = False
    assert len(storage) == 1  # reading the count did not consume it


def test_a_correction_still_in_draft_changes_nothing_for_the_public(client, years):
    published = years["decisions"][2015]
    draft = make_decision(
        campaign=published.campaign,
        status=Decision.Status.DRAFT,
        supersedes=published,
        number="9999/QĐ-UBND",
        correction_reason="Đang soạn.",
    )
    ranking = client.get(reverse("reports:rankings", args=[2015, "so"]))
    assert ranking.status_code == 200 and ranking.context["ranking"].decision == published
    page = client.get(reverse("reports:decision_detail", args=[published.pk])).content.decode()
    assert draft.number not in page
    assert reverse("reports:decision_detail", args=[draft.pk]) not in page
    assert Decision.objects.in_force().filter(pk=published.pk).exists()


def signer_lines(page: str) -> list[str]:
    """The lines of the page's signature block, in order, as a reader sees them."""

    class Lines(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth, self.lines = 0, []

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class") or ""
            if self.depth or "decision-signer" in classes.split():
                self.depth += 1
                if self.depth > 1:
                    self.lines.append("")

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth > 1:
                self.lines[-1] += data.strip()

    parser = Lines()
    parser.feed(page)
    return parser.lines


@pytest.mark.parametrize(
    ("mode", "title", "expected"),
    [
        ("KT", "Phó Chủ tịch", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thành Trí"]),
        ("TM", "CHỦ TỊCH", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thành Trí"]),
    ],
)
def test_the_decision_page_sets_out_the_signature_block_as_the_pdf_does(
    client, years, mode, title, expected
):
    campaign = make_campaign(year=2016)
    decision = make_decision(
        campaign=campaign, signing_mode=mode, signer_title=title, signer_name="Lê Thành Trí"
    )
    page = client.get(reverse("reports:decision_detail", args=[decision.pk])).content.decode()

    assert signer_lines(page) == expected
    assert "KT. PHÓ CHỦ TỊCH" not in page
