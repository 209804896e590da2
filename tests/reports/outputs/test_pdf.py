"""The decision PDF read back with poppler: text, fonts, page numbers, verification."""

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from reports.outputs.pdf import LocalFontFetcher, date_line, decision_html, decision_pdf
from reports.services.publication import decision_publish, decision_rows_preview
from scoring.services.results import results_compute
from tests.reports.publication_data import (
    DEPARTMENTS,
    DISTRICTS,
    appraised_campaign,
    draft_decision,
)
from tests.tools import require_tool
from units.numbers import published_number


def poppler(tool: str, pdf: Path, *args: str) -> str:
    """A poppler tool's output on the PDF; only the tests calling it need poppler."""
    path = require_tool(tool)
    return subprocess.run(  # noqa: S603
        [path, *args, str(pdf), "-"] if tool == "pdftotext" else [path, str(pdf)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


@pytest.fixture
def published(db, settings, tmp_path, staff):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_BASE_URL = "https://cchc.soctrang.example"
    story = appraised_campaign()
    decision = decision_publish(decision=draft_decision(story.campaign), actor=staff)
    return decision, tmp_path / decision.pdf.name


def test_the_text_carries_the_decree_layout_and_every_unit(published):
    decision, path = published
    text = poppler("pdftotext", path, "-layout")
    flat = " ".join(text.split())

    for expected in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH SÓC TRĂNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 2491/QĐ-UBND",
        "Sóc Trăng, ngày 17 tháng 10 năm 2016",
        "QUYẾT ĐỊNH:",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG",
        "Điều 1.",
        "Điều 3.",
        "Nơi nhận:",
        "- Lưu: VT, NC.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Thành Trí",
        "Phụ lục",
        "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2015",
        "(Kèm theo Quyết định số 2491/QĐ-UBND ngày 17/10/2016 của Ủy ban nhân dân tỉnh Sóc Trăng)",
        "Mã xác thực (SHA-256)",
        f"https://cchc.soctrang.example/quyet-dinh/{decision.pk}/",
        "https://cchc.soctrang.example/xac-thuc/",
    ):
        assert expected in flat, expected
    for name in DEPARTMENTS + DISTRICTS:
        assert name in flat, name
    assert "100,00" in flat and "75,00" in flat  # decimal comma, two places
    assert "DỰ THẢO" not in flat


def test_only_liberation_serif_is_embedded(published):
    _decision, path = published
    lines = poppler("pdffonts", path).splitlines()[2:]

    names = [line.split()[0].split("+", 1)[-1] for line in lines]
    assert names
    assert all(name.replace("-", "").startswith("LiberationSerif") for name in names), names
    assert all(" yes yes " in line for line in lines)  # embedded, subset


def test_page_numbers_start_on_page_two(published):
    _decision, path = published

    def first_line(page: int) -> str:
        text = poppler("pdftotext", path, "-layout", "-f", str(page), "-l", str(page))
        return next(line.strip() for line in text.splitlines() if line.strip())

    assert first_line(1).startswith("ỦY BAN NHÂN DÂN")
    assert first_line(2) == "2"


def test_pdf_of_a_draft_is_marked_and_uses_preview_rows(db, settings, tmp_path):
    story = appraised_campaign()
    results_compute(campaign=story.campaign)
    draft = draft_decision(story.campaign)
    path = tmp_path / "draft.pdf"
    path.write_bytes(decision_pdf(decision=draft, rows=decision_rows_preview(decision=draft)))

    assert "DỰ THẢO" in poppler("pdftotext", path)


def test_the_html_preview_loads_fonts_from_static_urls(db):
    story = appraised_campaign()
    draft = draft_decision(story.campaign, signing_mode="TM", signer_title="CHỦ TỊCH")

    html = decision_html(decision=draft, rows=[], for_pdf=False)

    assert re.search(r'src: url\("/static/fonts/LiberationSerif-Regular\.ttf"\)', html)
    assert "file://" not in html
    assert "TM. ỦY BAN NHÂN DÂN" in html
    assert '<p class="issuer">ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG</p>' in html


def test_the_fetcher_refuses_anything_but_the_shipped_fonts():
    fetcher = LocalFontFetcher()

    with pytest.raises(ValueError, match="may not load"):
        fetcher.fetch("http://127.0.0.1:8000/static/fonts/LiberationSerif-Regular.ttf")
    with pytest.raises(ValueError, match="may not load"):
        fetcher.fetch("file:///etc/passwd")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2016, 10, 17), "Sóc Trăng, ngày 17 tháng 10 năm 2016"),
        (dt.date(2016, 2, 5), "Sóc Trăng, ngày 05 tháng 02 năm 2016"),
        (dt.date(2016, 1, 31), "Sóc Trăng, ngày 31 tháng 01 năm 2016"),
        (dt.date(2016, 3, 9), "Sóc Trăng, ngày 09 tháng 3 năm 2016"),
    ],
)
def test_date_line_leading_zeros(day, expected):
    assert date_line("Sóc Trăng", day) == expected


def test_vn_number_rounds_once_with_a_decimal_comma():
    assert published_number(Decimal("81.325")) == "81,33"
    assert published_number(None) == ""
