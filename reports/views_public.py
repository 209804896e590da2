"""Public pages of published results: no login, read-only, cacheable.

Every page reads published rows only (reports.selectors) and answers conditional
requests: published data never changes, so the time of the latest publication is
the version of every page (ETag and Last-Modified), and a browser or proxy that
has it gets a 304 without the page being built. Each process keeps that time for a
few seconds (selectors.latest_published_at). An anonymous visitor's page is kept
whole in the server's cache (published_page), so most answers are not built either,
and most cost no query at all.
"""

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps
from urllib.parse import quote

from django.core.cache import cache
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_GET, require_http_methods

from reports import selectors
from reports.charts import area_bars
from reports.forms_public import DIGEST, VerifyForm
from reports.outputs import open_data, tabular
from reports.signature_check import pdf_signature_check
from scoring.analysis import parse_sort
from scoring.selectors import framework_tree

# Short enough that a proxy picks up a new publication within minutes; the ETag
# makes every revalidation after that a cheap 304.
MAX_AGE = 300
# How long a rendered ranking body stays in the server's cache (its key changes anyway
# with each publication).
CACHE_SECONDS = 24 * 60 * 60
# How long an anonymous visitor's whole page stays in the server's cache: no longer than
# a shared proxy may keep it anyway (public, max-age), as the page also shows what can
# change without a publication (the province's name in the masthead). A new publication
# changes the key at once.
PAGE_CACHE_SECONDS = MAX_AGE
# Bigger answers (an XLSX of a large block) are built each time: memcached refuses
# items over 1 MB by default.
PAGE_CACHE_MAX_BYTES = 1024 * 1024

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _latest(request: HttpRequest, *args, **kwargs):
    # condition() asks for the ETag and the date separately: one query serves both.
    if not hasattr(request, "_cchc_published_at"):
        request._cchc_published_at = selectors.latest_published_at()
    return request._cchc_published_at


def _etag(request: HttpRequest, *args, **kwargs) -> str | None:
    latest = _latest(request)
    if latest is None:
        return None
    # The same URL differs by language, and by visitor where the navigation shows
    # a logged-in user's name and links.
    user = request.user.pk if request.user.is_authenticated else 0
    return f"{latest.timestamp():.6f}-{request.LANGUAGE_CODE}-{user}"


def published_page(
    view: Callable | None = None, *, etag_func: Callable = _etag, compress: bool = True
) -> Callable:
    """GET only, conditional on the latest publication; public cache for anonymous visitors.

    `compress` gzips the response for clients that accept it (gzip_page), on these
    read-only pages only, not site-wide with GZipMiddleware: compressing a page that
    holds a secret next to text an attacker controls leaks the secret (BREACH). These
    pages hold no secret (the language switcher has no CSRF token, cchc_portal.views;
    a logged-in user's logout form has one, which Django masks anew on every response)
    and they reflect no free text (sort, tier and page are normalised before they reach
    a link). Forms and staff pages stay uncompressed. Files already compressed (the PDF,
    XLSX) are left alone.

    An anonymous visitor's answer is served whole from the server's cache (_page_cache).
    """
    if view is None:
        return partial(published_page, etag_func=etag_func, compress=compress)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        else:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    # gzip_page outside condition(): a 304 has no body to compress, and gzip_page turns
    # the ETag weak ("W/"), which condition() still matches (weak comparison).
    conditional = condition(etag_func=etag_func, last_modified_func=_latest)(view)
    if compress:
        conditional = gzip_page(conditional)
    # The whole-page cache outside gzip_page: it keeps the answer as sent, compressed
    # or not, with its ETag and Last-Modified.
    conditional = _page_cache(conditional, compress=compress)
    conditional = require_GET(conditional)
    return wrapped


def _page_cache_key(request: HttpRequest, *, compress: bool) -> str | None:
    """Where an anonymous visitor's answer is kept, or None when it must be built.

    The key holds all an anonymous page depends on: the URL with its query string, the
    language (the only cookie that changes an anonymous page), the latest publication
    (so a new one is served at once by the process that published it, and within
    selectors.LATEST_PUBLISHED_MEMO_SECONDS by the others), and whether the answer is
    gzipped.
    """
    if request.method != "GET" or request.user.is_authenticated:
        # A logged-in user's navigation shows their name, roles and logout form.
        return None
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        # A message waits to be shown (len() reads it without marking it seen).
        return None
    latest = _latest(request)
    if latest is None:
        return None
    # From META, as gzip_page reads it: request.headers would build a dict of every header.
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    gzipped = compress and bool(re_accepts_gzip.search(accepted))
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ":".join(
        [
            "public-page",
            f"{latest.timestamp():.6f}",
            request.LANGUAGE_CODE,
            "gzip" if gzipped else "identity",
            url,
        ]
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether an answer is the same for every anonymous visitor of its URL."""
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= PAGE_CACHE_MAX_BYTES
        # Nothing of the visitor's own: no cookie set, no CSRF token in the page (a
        # form's token makes the CSRF middleware send its cookie), no session to save.
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.session.modified
    )


def _page_cache(view: Callable, *, compress: bool) -> Callable:
    """Serve an anonymous visitor's GET from the server's cache, store it after.

    The answer is kept as built (compressed or not, with its ETag, Last-Modified and
    Vary); Cache-Control is added around it for each request (published_page). A
    conditional request is answered from the cached ETag and date, as condition() would.
    """

    @wraps(view)
    def cached(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _page_cache_key(request, compress=compress)
        if key is not None:
            response = cache.get(key)
            if response is not None:
                return get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    # What condition() gave the stored answer as Last-Modified: the key
                    # holds the same time. Cheaper than parsing the header back.
                    last_modified=int(_latest(request).timestamp()),
                    response=response,
                )
        response = view(request, *args, **kwargs)
        if key is not None and _storable(request, response):
            cache.set(key, response, PAGE_CACHE_SECONDS)
        return response

    return cached


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
    base = _etag(request)
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


@published_page(etag_func=_ranking_etag)
def rankings(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    # One page of the table (selectors.RANKING_PAGE_SIZE rows; all of them are in the
    # open data downloads). Its body is rendered once per publication, language, sort,
    # tier and page, then served from the cache: published rows never change, and the
    # version in the key moves with every new publication. The rest of the page
    # (navigation, CSRF token of the language switcher) is rendered per request.
    sort, reverse_, tier, number = _ranking_query(request)

    def key_for(tier_name: str) -> str:
        return "public-rankings:" + ":".join(
            [_etag(request) or "", str(year), block_code, f"{'-' if reverse_ else ''}{sort}"]
            + [tier_name, str(number)]
        )

    page = cache.get(key_for(tier))
    if page is None:
        # An unknown tier shows every unit; a page past the last one is a 404 (one URL
        # per page of content, nothing for a crawler to loop on).
        ranking = selectors.ranking(
            year=year, block_code=block_code, sort=request.GET.get("sort"), tier=tier, page=number
        )
        if ranking is None:
            raise Http404
        page = RankingPage(
            year=ranking.year,
            block_name=ranking.block_name,
            decision_pk=ranking.decision.pk,
            decision_number=ranking.decision.number,
            content=render_to_string("reports/public/_rankings_content.html", {"ranking": ranking}),
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
    profile = selectors.unit_profile(code)
    if profile is None or not profile.years:
        raise Http404
    return render(
        request,
        "reports/public/unit_profile.html",
        {"profile": profile, "unit": profile.unit, "chart": area_bars(profile.latest_areas)},
    )


@published_page
def decision_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/public/decision_list.html", {"decisions": selectors.decision_list()}
    )


@published_page
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.decision_detail(pk)
    if detail is None:
        raise Http404
    return render(
        request,
        "reports/public/decision_detail.html",
        {"detail": detail, "decision": detail.decision},
    )


@published_page(compress=False)
def decision_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF stored at publication, as a file: never rendered per request."""
    detail = selectors.decision_list().filter(pk=pk).first()
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
    comparison = selectors.compare(year_a=year_a, year_b=year_b, block_code=block_code)
    if comparison is None:
        raise Http404
    return render(request, "reports/public/compare.html", {"comparison": comparison})


@published_page
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/public/methodology.html",
        {"campaigns": selectors.published_campaigns()},
    )


@published_page
def methodology_block(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = selectors.published_campaign_block(year=year, block_code=block_code)
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
        {"tables": selectors.published_tables(), "dictionary": open_data.dictionary()},
    )


@published_page
def open_data_file(request: HttpRequest, year: int, block_code: str, fmt: str) -> HttpResponse:
    found = selectors.table_rows(year=year, block_code=block_code)
    if found is None:
        raise Http404
    decision, rows = found
    columns = open_data.table_columns(rows)
    data = open_data.published_rows(decision, rows, columns)
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    if fmt == "xlsx":
        buffer = io.BytesIO()
        open_data.write_xlsx(columns, data, buffer, title=f"{year} {block_code}")
        response.write(buffer.getvalue())
    else:
        text = io.StringIO()
        (tabular.write_csv if fmt == "csv" else tabular.write_json)(columns, data, text)
        response.write(text.getvalue())
    response["Content-Disposition"] = f'attachment; filename="cchc-{year}-{block_code}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a PDF against the published decisions and check its signature.

    A typed digest answers with a redirect to its page (PRG); an uploaded file is
    answered on the POST, with its signature.
    """
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    if request.method == "POST" and form.is_valid():
        digest, uploaded = form.cleaned_data["digest"], form.cleaned_data.get("pdf")
        if uploaded is None:
            return HttpResponseRedirect(reverse("reports:verify_digest", args=[digest]))
        # A file's signature is checked on its bytes, which are not kept: answer at once.
        return render(
            request,
            "reports/public/verify.html",
            {
                "form": VerifyForm(initial={"sha256": digest}),
                "digest": digest,
                "checked": True,
                "decision": selectors.decision_by_digest(digest),
                "signature": pdf_signature_check(pdf=uploaded),
            },
        )
    return render(request, "reports/public/verify.html", {"form": form})


@published_page(compress=False)  # a form page: nothing to gain, keep it plain
def verify_digest(request: HttpRequest, sha256: str) -> HttpResponse:
    digest = sha256.lower()
    if not DIGEST.match(digest):
        raise Http404
    return render(
        request,
        "reports/public/verify.html",
        {
            "form": VerifyForm(initial={"sha256": digest}),
            "digest": digest,
            "checked": True,
            "decision": selectors.decision_by_digest(digest),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the process answers (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")
