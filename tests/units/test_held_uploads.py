"""A previewed upload waits in private storage for its confirmation, for its own session only."""

import os
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from units import held_uploads
from units.held_uploads import FOLDER, upload_held, upload_hold, upload_release

pytestmark = pytest.mark.django_db


def request_with_session():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def test_the_held_file_comes_back_with_its_token_only_then_goes(media_root):
    request = request_with_session()
    token = upload_hold(request, kind="units", data=b"PK-bytes", name="don-vi.xlsx")
    assert upload_held(request, kind="units", token="other") is None
    held = upload_held(request, kind="units", token=token)
    assert (held.name, held.data, held.as_file().name) == (
        "don-vi.xlsx",
        b"PK-bytes",
        "don-vi.xlsx",
    )
    assert upload_held(request_with_session(), kind="units", token=token) is None
    upload_release(request, kind="units")
    assert upload_held(request, kind="units", token=token) is None
    assert list((media_root / FOLDER / "units").iterdir()) == []


def test_a_new_upload_replaces_the_one_held_before(media_root):
    request = request_with_session()
    first = upload_hold(request, kind="units", data=b"1", name="a.xlsx")
    upload_hold(request, kind="units", data=b"2", name="b.xlsx")
    assert upload_held(request, kind="units", token=first) is None
    assert len(list((media_root / FOLDER / "units").iterdir())) == 1


def test_files_never_confirmed_are_removed_after_the_holding_time(media_root, monkeypatch):
    abandoned = request_with_session()
    token = upload_hold(abandoned, kind="accounts", data=b"old", name="old.xlsx")
    [path] = (media_root / FOLDER / "accounts").iterdir()
    long_ago = time.time() - held_uploads.HOLD_SECONDS - 60
    os.utime(path, (long_ago, long_ago))
    abandoned.session["held_upload:accounts"]["at"] = long_ago
    assert upload_held(abandoned, kind="accounts", token=token) is None
    upload_hold(request_with_session(), kind="accounts", data=b"new", name="new.xlsx")
    assert not path.exists()
    assert len(list((media_root / FOLDER / "accounts").iterdir())) == 1
