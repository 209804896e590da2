"""An uploaded workbook kept between its preview and the confirmation that imports it.

A preview shows what a file would do; the file waits in private storage (MEDIA_ROOT,
never served) under a random name that only the uploader's session knows, so the
confirmation imports exactly the file that was previewed without the browser sending
it again. A file never confirmed is removed by a later upload of the same kind.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

FOLDER = "held-uploads"
HOLD_SECONDS = 2 * 3600


@dataclass(frozen=True)
class HeldUpload:
    token: str
    name: str
    data: bytes

    def as_file(self) -> ContentFile:
        """The bytes under the uploaded file's name, which the import's messages cite."""
        return ContentFile(self.data, name=self.name)


def _session_key(kind: str) -> str:
    return f"held_upload:{kind}"


def upload_hold(request: HttpRequest, *, kind: str, data: bytes, name: str) -> str:
    """Keep the file for this session (replacing any held before); the token to confirm it."""
    upload_release(request, kind=kind)
    token = secrets.token_urlsafe(18)
    path = default_storage.save(f"{FOLDER}/{kind}/{token}.xlsx", ContentFile(data))
    request.session[_session_key(kind)] = {
        "token": token,
        "path": path,
        "name": name,
        "at": int(time.time()),
    }
    _prune(kind)
    return token


def upload_held(request: HttpRequest, *, kind: str, token: str) -> HeldUpload | None:
    """The file this session previewed under `token`; None once released or too old."""
    held = request.session.get(_session_key(kind))
    if not held or not secrets.compare_digest(held["token"], token):
        return None
    if time.time() - held["at"] > HOLD_SECONDS:
        return None
    try:
        with default_storage.open(held["path"], "rb") as file:
            data = file.read()
    except OSError:
        return None
    return HeldUpload(token=token, name=held["name"], data=data)


def upload_release(request: HttpRequest, *, kind: str) -> None:
    held = request.session.pop(_session_key(kind), None)
    if held:
        default_storage.delete(held["path"])


def _prune(kind: str) -> None:
    """Remove the files of previews never confirmed, once older than HOLD_SECONDS."""
    folder = f"{FOLDER}/{kind}"
    try:
        _folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    oldest = timezone.now() - timedelta(seconds=HOLD_SECONDS)
    for name in names:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < oldest:
                default_storage.delete(path)
        except FileNotFoundError:
            continue  # removed meanwhile by another request


class HeldUploadConfirmForm(forms.Form):
    """Which held file to import, and the fingerprint of the preview the user saw."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
