"""The appendix as printed: legends stay with their tables, tiers on one line, the binding edge."""

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from reports.models import Decision, PublishedResult
from reports.outputs.pdf import decision_pdf
from scoring.models import Campaign
from tests.tools import require_tool
from units.models import Unit

LEGEND = "Điểm các lĩnh vực không gồm điểm điều tra xã hội học"
MM = 72 / 25.4  # PDF points per millimetre


def appendix_pdf(rows: int) -> bytes:
    """Two blocks of eight areas, every unit in the longest tier name (no database)."""
    decision = Decision(
        pk=1,
        campaign=Campaign(pk=1, year=2015, name="2015"),
        number="2491/QĐ-UBND",
        signed_on=dt.date(2016, 10, 17),
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject="Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lê Thành Trí",
        articles=["Phê duyệt.", "Khắc phục.", "Thi hành./."],
        recipients=["Như Điều 3;", "Lưu: VT, NC."],
    )
    results = []
    for n in range(rows):
        block = n * 2 // rows
        index = Decimal(9000 - n * 7) / 100
        results.append(
            PublishedResult(
                decision=decision,
                block_code=f"b{block}",
                block_name=f"Khối {block + 1}",
                block_position=block + 1,
                position=n + 1,
                unit=Unit(pk=n + 1),
                unit_code=f"u{n}",
                unit_name=f"Ủy ban nhân dân xã Thử Nghiệm Số {n + 1}",
                areas=[
                    {"code": str(a), "title": f"Lĩnh vực {a}", "points": "7.25", "max": "9"}
                    for a in range(1, 9)
                ],
                survey_points=Decimal("24.5"),
                deductions=Decimal("0"),
                bonus=Decimal("0"),
                total=index,
                applicable_max=Decimal("100"),
                index=index,
                rank=n + 1,
                tier="Trung bình",
                previous_rank=n + 2,
                previous_index=index - 1,
            )
        )
    return decision_pdf(decision=decision, rows=results)


def pages_text(path: Path) -> list[list[str]]:
    text = subprocess.run(  # noqa: S603
        [require_tool("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        [line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")
    ]


@pytest.mark.parametrize("rows", [34, 35, 49, 50])
def test_a_legend_never_starts_a_page_and_tiers_stay_on_one_line(tmp_path, rows):
    """35, 49 and 50 rows each left a legend alone atop a page before legends avoided breaks."""
    path = tmp_path / "decision.pdf"
    path.write_bytes(appendix_pdf(rows))

    pages = pages_text(path)

    for number, lines in enumerate(pages[1:], start=2):
        # The first line is the page number, in the top margin.
        assert len(lines) < 2 or not lines[1].startswith(LEGEND), f"page {number} of {rows} rows"
    tiers = sum(line.count("Trung bình") for lines in pages for line in lines)
    assert tiers == rows


def test_the_landscape_pages_keep_a_30_mm_binding_edge(tmp_path):
    path = tmp_path / "decision.pdf"
    path.write_bytes(appendix_pdf(12))
    html = subprocess.run(  # noqa: S603
        [require_tool("pdftotext"), "-bbox", "-f", "2", "-l", "2", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [line for line in html.splitlines() if line.strip().startswith("<word")]
    tops = sorted(float(w.split('yMin="')[1].split('"')[0]) for w in words)
    assert 'width="841.' in html  # A4 landscape
    # The page number sits in the top margin; everything else starts below 30 mm.
    assert tops[0] < 30 * MM <= tops[1]
