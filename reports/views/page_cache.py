"""How the public pages are cached: conditional answers and whole pages for anonymous visitors.

Published data never changes, so the time of the latest publication is the version
of every public page (ETag and Last-Modified), and a browser or proxy that has it
gets a 304 without the page being built. Each process keeps that time for a few
seconds (reports.freshness). An anonymous visitor's page is kept whole in
the server's cache (published_page), so most answers are not built either, and most
cost no query at all."""

import hashlib
from collections.abc import Callable
from functools import partial, wraps

from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_GET

from reports.selectors.freshness import latest_published_at

# Short enough that a proxy picks up a new publication within minutes; the ETag
# makes every revalidation after that a cheap 304.
MAX_AGE = 300

# How long an anonymous visitor's whole page stays in the server's cache: no longer than
# a shared proxy may keep it anyway (public, max-age), as the page also shows what can
# change without a publication (the province's name in the masthead). A new publication
# changes the key at once.
PAGE_CACHE_SECONDS = MAX_AGE

# Bigger answers (an XLSX of a large block) are built each time: memcached refuses
# items over 1 MB by default.
PAGE_CACHE_MAX_BYTES = 1024 * 1024


def latest_published(request: HttpRequest, *args, **kwargs):
    # condition() asks for the ETag and the date separately: one query serves both.
    if not hasattr(request, "_cchc_published_at"):
        request._cchc_published_at = latest_published_at()
    return request._cchc_published_at


def published_etag(request: HttpRequest, *args, **kwargs) -> str | None:
    latest = latest_published(request)
    if latest is None:
        return None
    # The same URL differs by language, and by visitor where the navigation shows
    # a logged-in user's name and links.
    user = request.user.pk if request.user.is_authenticated else 0
    return f"{latest.timestamp():.6f}-{request.LANGUAGE_CODE}-{user}"


def published_page(
    view: Callable | None = None, *, etag_func: Callable = published_etag, compress: bool = True
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
    conditional = condition(etag_func=etag_func, last_modified_func=latest_published)(view)
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
    LATEST_PUBLISHED_MEMO_SECONDS by the others), and whether the answer is
    gzipped.
    """
    if request.method != "GET" or request.user.is_authenticated:
        # A logged-in user's navigation shows their name, roles and logout form.
        return None
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        # A message waits to be shown (len() reads it without marking it seen).
        return None
    latest = latest_published(request)
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
                    last_modified=int(latest_published(request).timestamp()),
                    response=response,
                )
        response = view(request, *args, **kwargs)
        if key is not None and _storable(request, response):
            cache.set(key, response, PAGE_CACHE_SECONDS)
        return response

    return cached
