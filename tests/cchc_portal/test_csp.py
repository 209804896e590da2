"""Content-Security-Policy: scripts and styles come from static files, never inline."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [reverse("home"), reverse("login"), reverse("reports:decision_list")]
)
def test_public_pages_forbid_inline_scripts_and_styles(client, url):
    directives = policy(client.get(url))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_staff_pages_and_the_lockout_page_carry_the_policy(client, staff):
    for _ in range(5):
        locked = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert locked.status_code == 429
    assert policy(locked)["script-src"] == ["'self'"]
    client.force_login(staff)
    for url in (reverse("units:unit_list"), reverse("accounts:lockout_list")):
        directives = policy(client.get(url))
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-inline'" not in directives["style-src"]


# -- no inline code in the templates -----------------------------------------------------

# <script> without src: an inline script, whatever its type.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
# onclick=, onload=... inside a tag.
EVENT_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)
INLINE_CODE = {
    "inline <script>": INLINE_SCRIPT,
    "on* handler": EVENT_HANDLER,
    "style attribute": STYLE_ATTRIBUTE,
    "<style> element": STYLE_ELEMENT,
    "javascript: URL": SCRIPT_URL,
}


def inline_code(text: str) -> list[str]:
    return [kind for kind, pattern in INLINE_CODE.items() if pattern.search(text)]


def browser_templates() -> list[Path]:
    """Every template a browser renders: not the PDF (WeasyPrint) nor e-mail text."""
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "pdf" not in path.relative_to(TEMPLATES).parts
        and "email" not in path.relative_to(TEMPLATES).parts
    ]


@pytest.mark.parametrize(
    "snippet,kind",
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">import "x";</script>', "inline <script>"),
        ('<button type="button"\n   onclick="go()">', "on* handler"),
        ('<body onload="start()">', "on* handler"),
        ('<div class="bar" style="width: 5%">', "style attribute"),
        ("<style>.x { color: red }</style>", "<style> element"),
        ('<a href="javascript:void(0)">', "javascript: URL"),
    ],
)
def test_the_scan_finds_each_kind_of_inline_code(snippet, kind):
    assert inline_code(snippet) == [kind]


def test_the_scan_lets_static_scripts_and_data_attributes_through():
    assert inline_code('<script src="/static/js/progress-bars.js"></script>') == []
    assert inline_code('<div class="progress-bar" data-progress="40">40%</div>') == []
    assert inline_code("<p>Điều 3. Chánh Văn phòng, Giám đốc Sở Nội vụ...</p>") == []


def test_no_template_holds_inline_scripts_handlers_or_styles():
    templates = browser_templates()
    assert len(templates) > 50
    found = {
        str(path.relative_to(TEMPLATES)): kinds
        for path in templates
        if (kinds := inline_code(path.read_text(encoding="utf-8")))
    }
    assert found == {}
