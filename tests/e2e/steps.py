"""Steps the browser tests share: logging in and out, scoring a leaf of the
self-assessment sheet, attaching a document, submitting.

Elements are found by their anchors and form actions rather than by their text,
which translators may still change.
"""

import re

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def logout_button(page: Page) -> Locator:
    return page.locator(f'nav.portal-nav form[action="{reverse("logout")}"] button')


def log_in(page: Page, base: str, username: str) -> None:
    """Log in from the login page (password "pw", as the factories set it)."""
    page.goto(base + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw")
    page.locator("main form button[type=submit]").click()
    expect(logout_button(page)).to_be_visible()


def log_out(page: Page) -> None:
    logout_button(page).click()
    expect(logout_button(page)).to_have_count(0)


def post_button(page: Page, action: str) -> Locator:
    """The submit button of the form posting to `action`."""
    return page.locator(f'form[action="{action}"] button[type=submit]')


# -- the self-assessment sheet ------------------------------------------------------------


def leaf(page: Page, code: str) -> Locator:
    escaped = code.replace(".", r"\.")
    return page.locator(f"#leaf-{escaped}")


def save_leaf(page: Page, code: str, explanation: str = "") -> None:
    """Fill in the explanation, if any, save the leaf and wait to be brought back to it."""
    if explanation:
        leaf(page, code).locator("textarea[name$='-explanation']").fill(explanation)
    leaf(page, code).locator("form.score-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/self/#leaf-{re.escape(code)}$"))
    # The redirect's message names the leaf: the save went through, the page is the new one.
    expect(page.locator("[role=status], .alert-success").first).to_contain_text(code)
    page.wait_for_load_state()


def score_level(page: Page, code: str, level: str, explanation: str = "") -> None:
    leaf(page, code).locator(f"input[type=radio][value='{level}']").check()
    save_leaf(page, code, explanation)


def score_ratio(
    page: Page, code: str, numerator: str, denominator: str, explanation: str = ""
) -> None:
    leaf(page, code).locator("input[name$='-numerator']").fill(numerator)
    leaf(page, code).locator("input[name$='-denominator']").fill(denominator)
    save_leaf(page, code, explanation)


def score_points(page: Page, code: str, points: str, explanation: str = "") -> None:
    """Direct points, filled in (typing could lose keys to the page's own focus moves)."""
    field = leaf(page, code).locator("input[name$='-points']")
    field.fill(points)
    expect(field).to_have_value(points)
    save_leaf(page, code, explanation)


def upload_evidence(
    page: Page, code: str, name: str, *, number: str, date: str, issuer: str
) -> Locator:
    """Attach a PDF to the leaf with its number, date and issuer; return the leaf's list."""
    upload = leaf(page, code).locator(".evidence-upload")
    upload.locator("summary").click()
    upload.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    upload.locator("input[name$='-document_number']").fill(number)
    upload.locator("input[name$='-document_date']").fill(date)
    upload.locator("input[name$='-issuer']").fill(issuer)
    upload.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"#leaf-{re.escape(code)}$"))
    documents = leaf(page, code).locator(".evidence-list")
    expect(documents).to_contain_text(name)
    return documents


# -- submission ---------------------------------------------------------------------------


def open_review(page: Page, base: str, pk: int) -> None:
    """The head's review page; nothing may be missing."""
    page.goto(base + reverse("assessments:submit", args=[pk]))
    expect(page.locator("#missing + ul")).to_have_count(0)


def submit(page: Page, pk: int) -> None:
    """Submit from the review page; the assessment's page then shows it submitted."""
    action = reverse("assessments:submit", args=[pk])
    page.locator(f'main form[action="{action}"] button[type=submit]').click()
    detail = reverse("assessments:assessment_detail", args=[pk])
    expect(page).to_have_url(re.compile(rf"{re.escape(detail)}$"))
    expect(page.locator("h1 .badge.state-submitted")).to_be_visible()
