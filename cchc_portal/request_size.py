"""A request body larger than MAX_REQUEST_BYTES is refused (413) before anything reads it.

DATA_UPLOAD_MAX_MEMORY_SIZE bounds only the form fields Django keeps in memory: the
files of a multipart upload stream to disk whatever their size, so a 300 MB
anonymous post was read whole before a form could say the limit was 20 MB. The
declared Content-Length is judged first, without reading a byte. A chunked body has
none: Django would see it as empty, so it is read here in bounded steps, refused as
soon as it passes the limit, and otherwise handed on with its length known.
A proxy in front (README: nginx's client_max_body_size) should refuse it even earlier.
"""

from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

CHUNK_BYTES = 64 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                length = int(declared)
            except ValueError:
                return HttpResponseBadRequest()
            if length > limit:
                return too_large(request, length, limit)
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            with SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
                if not _spool(request, body, limit):
                    return too_large(request, None, limit)
                return self.get_response(request)
        return self.get_response(request)


def _spool(request: HttpRequest, body: SpooledTemporaryFile, limit: int) -> bool:
    """Read a chunked body into `body`, stopping past `limit`; False when it went past.

    Otherwise the request reads its body from there, with its length now known.
    """
    source = request.META["wsgi.input"]
    length = 0
    while chunk := source.read(CHUNK_BYTES):
        length += len(chunk)
        if length > limit:
            return False
        body.write(chunk)
    body.seek(0)
    request._stream = LimitedStream(body, length)  # where WSGIRequest reads its body from
    request.META["CONTENT_LENGTH"] = str(length)
    return True


def too_large(request: HttpRequest, length: int | None, limit: int) -> HttpResponse:
    content = render_to_string(
        "request_too_large.html",
        {"size": filesizeformat(length) if length else "", "max": filesizeformat(limit)},
        request=None,
    )
    return HttpResponse(content, status=413)
