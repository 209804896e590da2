"""Public pages of published results: no login, read-only, cacheable (reports.views.page_cache).

Every page reads published rows only (reports.selectors)."""

import io
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.core.cache import cache
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reports.charts import area_bars, block_area_bars
from reports.outputs import open_data
from reports.selectors import block_tables, catalogue, comparison, decisions, profiles
from reports.selectors.statistics import published_statistics
from reports.views.page_cache import published_etag, published_page
from scoring.exchange import tabular
from scoring.selectors.frameworks import framework_tree
from scoring.selectors.results import parse_sort

# How long a rendered ranking body stays in the server's cache (its key changes anyway
# with each publication).
CACHE_SECONDS = 24 * 60 * 60

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _ranking_query(request: HttpRequest) -> tuple[str, bool, str, int]:
    """sort, reversed, tier and page of a ranking URL; Http404 for a page that is not a number."""
    sort, reverse_ = parse_sort(request.GET.get("sort"))
    page = request.GET.get("page") or "1"
    if not page.isascii() or not page.isdigit():
        raise Http404
    return sort, reverse_, request.GET.get("tier") or "", int(page)


def _ranking_etag(request: HttpRequest, year: int, block_code: str) -> str | None:
    # Each page of each sort and tier is its own version (the URL tells them apart
    # anyway; the ETag says so too).
    base = published_etag(request)
    if base is None:
        return None
    sort, reverse_, tier, page = _ranking_query(request)
    # quote(): a tier name (Tốt, Khá) is not Latin-1, which a header must be.
    return f"{base}-{'-' if reverse_ else ''}{sort}-{quote(tier)}-p{page}"


@dataclass(frozen=True)
class RankingPage:
    """What a ranking page caches: its body rendered once, and the few values around it."""

    year: int
    block_name: str
    decision_pk: int
    decision_number: str
    content: str
    # The block's first unit, for the page's description when shared (when on this page).
    leader_name: str = ""
    leader_index: Decimal | None = None


@published_page(etag_func=_ranking_etag)
def rankings(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    # One page of the table (block_tables.RANKING_PAGE_SIZE rows; all of them are in the
    # open data downloads). Its body is rendered once per publication, language, sort,
    # tier and page, then served from the cache: published rows never change, and the
    # version in the key moves with every new publication. The rest of the page
    # (navigation, CSRF token of the language switcher) is rendered per request.
    sort, reverse_, tier, number = _ranking_query(request)

    def key_for(tier_name: str) -> str:
        return "public-rankings:" + ":".join(
            [
                published_etag(request) or "",
                str(year),
                block_code,
                f"{'-' if reverse_ else ''}{sort}",
            ]
            + [tier_name, str(number)]
        )

    page = cache.get(key_for(tier))
    if page is None:
        # An unknown tier shows every unit; a page past the last one is a 404 (one URL
        # per page of content, nothing for a crawler to loop on).
        ranking = block_tables.ranking(
            year=year, block_code=block_code, sort=request.GET.get("sort"), tier=tier, page=number
        )
        if ranking is None:
            raise Http404
        leader = next((row for row in ranking.rows if row.rank == 1), None)
        page = RankingPage(
            year=ranking.year,
            block_name=ranking.block_name,
            decision_pk=ranking.decision.pk,
            decision_number=ranking.decision.number,
            content=render_to_string(
                "reports/public/_rankings_content.html",
                {
                    "ranking": ranking,
                    "navigation": catalogue.table_navigation(year=year, block_code=block_code),
                    "area_chart": (
                        block_area_bars(ranking.statistics.areas) if ranking.statistics else None
                    ),
                },
            ),
            leader_name=leader.unit_name if leader else "",
            leader_index=leader.index if leader else None,
        )
        # Stored under the tier the selector kept (an unknown one becomes ""), so made-up
        # tier values in URLs cannot fill the cache with copies of the same table.
        cache.set(key_for(ranking.tier), page, CACHE_SECONDS)
    return render(
        request,
        "reports/public/rankings.html",
        {"page": page, "content": mark_safe(page.content)},  # noqa: S308 (rendered by us)
    )


@published_page
def unit_profile(request: HttpRequest, code: str) -> HttpResponse:
    profile = profiles.unit_profile(code)
    if profile is None or not profile.years:
        raise Http404
    latest = profile.latest
    navigation = (
        catalogue.table_navigation(year=latest.year, block_code=latest.row.block_code)
        if latest
        else None
    )
    return render(
        request,
        "reports/public/unit_profile.html",
        {
            "profile": profile,
            "unit": profile.unit,
            "chart": area_bars(profile.latest_areas),
            "navigation": navigation,
        },
    )


@published_page
def decision_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/public/decision_list.html", {"decisions": decisions.decision_list()}
    )


@published_page
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = decisions.decision_detail(pk)
    if detail is None:
        raise Http404
    year = detail.decision.campaign.year
    tables = catalogue.published_tables() if detail.in_force else []
    # Each of the year's blocks that was published the year before too, to compare with.
    compare = [
        navigation
        for navigation in (
            catalogue.table_navigation(year=year, block_code=table.block_code, tables=tables)
            for table in tables
            if table.year == year
        )
        if navigation.previous_year
    ]
    return render(
        request,
        "reports/public/decision_detail.html",
        {"detail": detail, "decision": detail.decision, "compare": compare},
    )


@published_page(compress=False)
def decision_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF stored at publication, as a file: never rendered per request."""
    detail = decisions.decision_list().filter(pk=pk).first()
    if detail is None or not detail.pdf:
        raise Http404
    try:
        handle = detail.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = f"{detail.number.replace('/', '-')}.pdf"
    return FileResponse(handle, content_type="application/pdf", filename=filename)


@published_page
def compare(request: HttpRequest, year_a: int, year_b: int, block_code: str) -> HttpResponse:
    found = comparison.compare(year_a=year_a, year_b=year_b, block_code=block_code)
    if found is None:
        raise Http404
    return render(request, "reports/public/compare.html", {"comparison": found})


@published_page
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/public/methodology.html",
        {"campaigns": catalogue.published_campaigns()},
    )


@published_page
def methodology_block(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = catalogue.published_campaign_block(year=year, block_code=block_code)
    if campaign_block is None:
        raise Http404
    return render(
        request,
        "reports/public/methodology_block.html",
        {
            "campaign_block": campaign_block,
            "campaign": campaign_block.campaign,
            "framework": campaign_block.framework,
            "tree": framework_tree(campaign_block.framework),
        },
    )


@published_page
def open_data_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/public/open_data.html",
        {
            "tables": catalogue.published_tables(),
            "dictionary": open_data.dictionary(),
            "statistics_columns": open_data.statistics_columns(),
            "statistics_dictionary": open_data.statistics_dictionary(),
        },
    )


@published_page
def open_data_file(request: HttpRequest, year: int, block_code: str, fmt: str) -> HttpResponse:
    found = block_tables.table_rows(year=year, block_code=block_code)
    if found is None:
        raise Http404
    decision, rows = found
    columns = open_data.table_columns(rows)
    data = open_data.open_data_rows(decision, rows, columns)
    return _file_response(columns, data, fmt, f"cchc-{year}-{block_code}", f"{year} {block_code}")


@published_page
def open_data_statistics(
    request: HttpRequest, year: int, block_code: str, fmt: str
) -> HttpResponse:
    """A published table's statistics (mean, median, extremes, tiers, areas), one figure a row."""
    found = block_tables.table_rows(year=year, block_code=block_code)
    if found is None:
        raise Http404
    decision, rows = found
    stats = published_statistics(decision, block_code, rows=rows)
    data = open_data.statistics_rows(decision, rows, stats)
    columns = open_data.statistics_columns()
    return _file_response(
        columns, data, fmt, f"cchc-{year}-{block_code}-thong-ke", f"{year} {block_code} thống kê"
    )


def _file_response(columns, data, fmt: str, name: str, title: str) -> HttpResponse:
    """The rows written as CSV, JSON or XLSX, as a download called name.fmt."""
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    if fmt == "xlsx":
        buffer = io.BytesIO()
        tabular.write_xlsx(columns, data, buffer, title=title)
        response.write(buffer.getvalue())
    else:
        text = io.StringIO()
        (tabular.write_csv if fmt == "csv" else tabular.write_json)(columns, data, text)
        response.write(text.getvalue())
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
