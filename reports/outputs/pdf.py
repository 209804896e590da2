"""The decision document as HTML and PDF: one print template, laid out by CSS (WeasyPrint).

The same template serves the staff preview in a browser (for_pdf=False: fonts from
STATIC_URL) and the PDF (for_pdf=True: fonts read from disk by a fetcher that
refuses every other address, so a render never waits on the network or on the
portal itself). The numbers come from reports.outputs.decision_rows.
"""

from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.models import Decision, PublishedResult
from reports.outputs.decision_rows import appendix_tables
from reports.outputs.signature_field import ANCHOR, signature_field_finisher
from reports.portal_address import publication_base_url_check
from reports.verification import decision_verify_url, verify_upload_url

TEMPLATE = "reports/pdf/decision.html"
FONT_FILES = {
    "regular": "fonts/LiberationSerif-Regular.ttf",
    "bold": "fonts/LiberationSerif-Bold.ttf",
    "italic": "fonts/LiberationSerif-Italic.ttf",
    "bold_italic": "fonts/LiberationSerif-BoldItalic.ttf",
}
# Archives keep electronic documents as PDF/A (DOMAIN.md); the signature is added later as
# an incremental update, which leaves this identification in place.
PDF_VARIANT = "pdf/a-2b"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@cache
def font_paths() -> dict[str, Path]:
    paths = {}
    for key, name in FONT_FILES.items():
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(f"static/{name} is missing: the PDF needs it.")
        paths[key] = Path(found).resolve()
    return paths


class LocalFontFetcher(URLFetcher):
    """Serves the shipped fonts and data: URIs; anything else stops the render.

    fail_on_errors makes a missing font an error instead of a silent fallback to
    another face (WeasyPrint would otherwise print in DejaVu Sans).
    """

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))
        self._allowed = {path.as_uri(): path for path in font_paths().values()}

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._allowed.get(url)
        if path is None:
            raise ValueError(f"The decision PDF may not load {url}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})


def date_line(place: str, day: date) -> str:
    """ "Sóc Trăng, ngày 07 tháng 02 năm 2016": days 1–9 and months 1–2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _body_lines(issuing_body: str) -> list[str]:
    """ "Ủy ban nhân dân tỉnh Sóc Trăng" → ["ỦY BAN NHÂN DÂN", "TỈNH SÓC TRĂNG"]."""
    upper = issuing_body.upper()
    head = "ỦY BAN NHÂN DÂN"
    if upper.startswith(head + " "):
        return [head, upper[len(head) :].strip()]
    return [upper]


def _signature(decision: Decision) -> tuple[str, str, str]:
    """(issuer line, "KT./TM." line, title line) for the signing mode."""
    body = decision.issuing_body.upper()
    on_behalf, title = decision.signature_lines
    if decision.signing_mode == Decision.SigningMode.TM:
        return body, on_behalf, title
    return f"CHỦ TỊCH {body}", on_behalf, title


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def decision_context(*, decision: Decision, rows: Iterable[PublishedResult], for_pdf: bool):
    issuer, on_behalf, title = _signature(decision)
    tables = appendix_tables(rows)
    for number, table in enumerate(tables):
        table.heading = (
            f"{ROMAN[number] if number < len(ROMAN) else number + 1}. {table.block_name}"
        )
    verify_url = decision_verify_url(decision)
    fonts = (
        {key: path.as_uri() for key, path in font_paths().items()}
        if for_pdf
        else {key: static(name) for key, name in FONT_FILES.items()}
    )
    return {
        "decision": decision,
        "for_pdf": for_pdf,
        "is_draft": decision.status != Decision.Status.PUBLISHED,
        "fonts": fonts,
        "body_lines": _body_lines(decision.issuing_body),
        "date_line": date_line(decision.place, decision.signed_on),
        "short_date": f"{decision.signed_on:%d/%m/%Y}",
        "issuer": issuer,
        "on_behalf": on_behalf,
        "signer_title": title,
        "year": decision.campaign.year,
        "tables": tables,
        "verify_url": verify_url,
        "upload_url": verify_upload_url(),
        "qr": _qr_data_uri(verify_url),
        "signature_anchor": ANCHOR,
    }


def decision_html(*, decision: Decision, rows: Iterable[PublishedResult], for_pdf: bool) -> str:
    return render_to_string(
        TEMPLATE, decision_context(decision=decision, rows=rows, for_pdf=for_pdf)
    )


def decision_pdf(*, decision: Decision, rows: Iterable[PublishedResult]) -> bytes:
    """The PDF/A document; a published one gets the empty field its signature will fill."""
    if decision.is_published:
        publication_base_url_check()
    html = decision_html(decision=decision, rows=rows, for_pdf=True)
    # base_url is the fonts' folder on disk: relative addresses can never reach the portal.
    base_url = font_paths()["regular"].parent.as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFontFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, finisher=signature_field_finisher
    )
