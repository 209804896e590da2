"""The portal's shell around its pages: composed Unicode, error pages, icon, admin name."""

import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, loader
from django.utils import translation

ROOT = Path(settings.BASE_DIR)


def text_files():
    yield from (ROOT / "templates").rglob("*.html")
    yield from (ROOT / "templates").rglob("*.txt")
    yield from (ROOT / "locale").rglob("*.po")
    yield from (ROOT / "static" / "js").rglob("*.js")


def test_templates_and_translations_are_composed_unicode():
    """Vietnamese written decomposed (e + combining marks) is drawn badly by some fonts and
    does not match the same word typed composed, in a search or a test."""
    decomposed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in text_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if not unicodedata.is_normalized("NFC", line)
    ]
    assert not decomposed, "Not NFC (unicodedata.normalize('NFC', text)): " + ", ".join(decomposed)


def test_the_language_switcher_names_vietnamese_in_composed_unicode(client, db):
    # Django's own name for Vietnamese ("Tiếng Việt" in LANG_INFO) is decomposed.
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tiếng Việt" in html
    assert unicodedata.is_normalized("NFC", html)


def test_the_server_error_page_needs_no_request():
    # Django renders 500.html with an empty context when something has already failed.
    with translation.override("vi"):
        html = loader.get_template("500.html").template.render(Context())
    assert "Lỗi máy chủ" in html
    assert "portal-masthead" in html and "css/portal.css" in html


@pytest.mark.django_db
def test_an_unknown_address_gets_the_portals_own_page(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "portal-masthead" in html and "Không tìm thấy trang" in html


@pytest.mark.django_db
def test_favicon_ico_is_answered(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico")
    assert (ROOT / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


@pytest.mark.django_db
def test_the_admin_carries_the_portals_name(client):
    html = client.get("/admin/login/").content.decode()
    assert "Chỉ số cải cách hành chính" in html
    assert "Django" not in html.split("<body", 1)[1].split("</header>", 1)[0]
