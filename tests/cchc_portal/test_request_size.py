"""A request body over MAX_REQUEST_BYTES is refused with 413 before it is read."""

import io

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from cchc_portal.request_size import RequestSizeLimitMiddleware

MB = 1024 * 1024
# Equal to MULTIPART_CONTENT but not it: the test client then sends the bytes as given.
FORM = f"multipart/form-data; boundary={BOUNDARY}"


class Unread(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


class Counting(io.BytesIO):
    """A request body that counts how much of it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def upload_url() -> str:
    return reverse("assessments:evidence_upload", kwargs={"pk": 1, "criterion_pk": 1})


def test_a_300_mb_anonymous_upload_is_refused_unread(english_client, settings):
    settings.MAX_REQUEST_BYTES = 21 * MB
    response = english_client.post(
        upload_url(),
        data=b"",
        content_type=FORM,
        CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": Unread()},
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "What was sent is 300.0\xa0MB; the portal accepts at most 21.0\xa0MB at once." in text


def test_the_refusal_speaks_vietnamese(client, settings):
    settings.MAX_REQUEST_BYTES = 21 * MB
    response = client.post(upload_url(), data=b"", content_type=FORM, CONTENT_LENGTH=str(300 * MB))
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()


def test_a_body_within_the_limit_goes_on_to_the_view(client, settings):
    settings.MAX_REQUEST_BYTES = 1 * MB
    # Anonymous: the view's own answer (a redirect to the login page), not a refusal.
    response = client.post(upload_url(), {"file": io.BytesIO(b"%PDF-1.7" * 1000)})
    assert response.status_code == 302


def test_an_unreadable_length_is_a_bad_request(client):
    response = client.post(upload_url(), data=b"x", content_type="text/plain", CONTENT_LENGTH="x")
    assert response.status_code == 400


def chunked(data: bytes):
    """A request whose body comes chunked, without Content-Length, as gunicorn passes it."""
    request = RequestFactory().generic("POST", "/", data=data, content_type=FORM)
    del request.META["CONTENT_LENGTH"]
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    request.META["wsgi.input"] = body = Counting(data)
    return request, body


def test_a_chunked_body_is_refused_once_it_passes_the_limit(settings):
    settings.MAX_REQUEST_BYTES = 1 * MB
    request, body = chunked(b"x" * 50 * MB)
    response = RequestSizeLimitMiddleware(lambda request: HttpResponse("view"))(request)
    assert response.status_code == 413
    assert body.consumed <= 1 * MB + 64 * 1024  # read in steps, stopped past the limit


def test_a_chunked_body_within_the_limit_is_read_by_the_view(settings):
    settings.MAX_REQUEST_BYTES = 1 * MB
    request, _body = chunked(encode_multipart(BOUNDARY, {"note": "Kế hoạch 12/KH"}))

    def view(request):
        return HttpResponse(request.POST["note"])

    response = RequestSizeLimitMiddleware(view)(request)
    assert (response.status_code, response.content.decode()) == (200, "Kế hoạch 12/KH")


@pytest.mark.parametrize("declared", [None, "0"])
def test_a_request_without_a_body_is_untouched(settings, declared):
    request = RequestFactory().get("/")
    if declared is None:
        request.META.pop("CONTENT_LENGTH", None)
    else:
        request.META["CONTENT_LENGTH"] = declared
    response = RequestSizeLimitMiddleware(lambda request: HttpResponse("view"))(request)
    assert response.content == b"view"
