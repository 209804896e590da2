#!/usr/bin/env python
"""Benchmark of the decision PDF against bare WeasyPrint on the same rows, and of its signature.

    .venv/bin/python bench/publish.py [--rows N] [--repeat R]

Builds N unsaved appendix rows (default 200, two blocks, eight areas) and an unsaved
decision in memory (no database), then times, interleaved in the same run after a
warm-up of each, `reports.outputs.pdf.decision_pdf` (the full decision: header page,
appendix tables, QR code, PDF/A), a bare WeasyPrint render of the same rows' cells in a
minimal table with the same fonts, and `reports.outputs.signing.pdf_sign` of the
rendered decision (PAdES B-B with the demo authority, made in a temporary MEDIA_ROOT).
It prints the best of R runs of each, the render / bare ratio (goal ≤ 1.3) and the
signing / render ratio (goal ≤ 0.10: signing adds at most 10 % to a publication, of
which the render is most), and the one-off cost of the first signature in a process.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.3
GOAL_SIGNING = 0.10


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    # The address printed on the PDF, as in production; the demo authority that signs goes
    # to a temporary folder, never the developer's media/.
    os.environ.setdefault("PORTAL_BASE_URL", "https://chisocchc.example.gov.vn")
    os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-publish-")
    import django

    django.setup()


def build(rows: int):
    from reports.models import Decision, PublishedResult
    from scoring.models import Campaign
    from units.models import Unit

    campaign = Campaign(pk=1, year=2100, name="Benchmark")
    decision = Decision(
        pk=1,
        campaign=campaign,
        number="1/QĐ-UBND",
        signed_on=date(2101, 2, 3),
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject="Phê duyệt và công bố Chỉ số cải cách hành chính năm 2100",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
        legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
        articles=["Điều một.", "Điều hai.", "Điều ba./."],
        recipients=["Như Điều 3;", "Lưu: VT, NC."],
        status=Decision.Status.PUBLISHED,
    )
    result = []
    for n in range(rows):
        block = n * 2 // rows
        index = Decimal(9000 - n * 7) / 100
        result.append(
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
                tier="Khá",
                previous_rank=n + 2,
                previous_index=index - 1,
            )
        )
    return decision, result


def bare_pdf(rows) -> bytes:
    """The same cells in a minimal table, the same fonts, no decision around it."""
    from weasyprint import HTML

    from reports.outputs.decision_rows import appendix_tables
    from reports.outputs.pdf import LocalFontFetcher, font_paths

    fonts = font_paths()
    faces = "".join(
        f'@font-face {{ font-family: "Liberation Serif"; font-weight: {w}; font-style: {s}; '
        f'src: url("{fonts[k].as_uri()}"); }}'
        for k, w, s in [
            ("regular", "normal", "normal"),
            ("bold", "bold", "normal"),
            ("italic", "normal", "italic"),
            ("bold_italic", "bold", "italic"),
        ]
    )
    body = []
    for table in appendix_tables(rows):
        body.append("<table>")
        for row in table.rows:
            cells = [
                row["position"],
                row["unit_name"],
                *row["areas"],
                row["survey_points"],
                row["total"],
                row["applicable_max"],
                row["index"],
                row["rank"],
                row["tier"],
                row["previous_rank"],
                row["previous_index"],
            ]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        body.append("</table>")
    html = (
        f"<html><head><style>{faces} @page {{ size: A4 landscape }} "
        'html { font-family: "Liberation Serif"; font-size: 10pt } '
        "table { border-collapse: collapse; width: 100% } td { border: 0.5pt solid }"
        f"</style></head><body>{''.join(body)}</body></html>"
    )
    return HTML(string=html, url_fetcher=LocalFontFetcher()).write_pdf()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.conf import settings

    from reports.outputs.pdf import decision_pdf
    from reports.outputs.signing import pdf_sign, signing_identity

    decision, rows = build(args.rows)
    rendered = decision_pdf(decision=decision, rows=rows)
    started = time.perf_counter()
    identity = signing_identity()  # makes the demo authority
    pdf_sign(pdf=rendered, identity=identity)  # loads and rescales the stamp's font
    first_signature = time.perf_counter() - started
    runs = {"decision_pdf": [], "bare WeasyPrint": [], "pdf_sign": []}
    jobs = {
        "decision_pdf": lambda: decision_pdf(decision=decision, rows=rows),
        "bare WeasyPrint": lambda: bare_pdf(rows),
        # As the publication signs: the identity (read once per process) and the signature.
        "pdf_sign": lambda: pdf_sign(pdf=rendered, identity=signing_identity()),
    }
    for job in jobs.values():  # warm-up: the first render in a process costs more
        job()
    for _ in range(args.repeat):
        for name, job in jobs.items():
            started = time.perf_counter()
            job()
            runs[name].append(time.perf_counter() - started)
    best = {name: min(times) for name, times in runs.items()}
    for name, seconds in best.items():
        print(f"{name:16} best of {args.repeat}: {seconds * 1000:7.0f} ms ({args.rows} rows)")
    ratio = best["decision_pdf"] / best["bare WeasyPrint"]
    verdict = "OK" if ratio <= GOAL_RATIO else "ABOVE GOAL"
    print(f"ratio {ratio:.2f} (goal ≤ {GOAL_RATIO}): {verdict}")
    signing = best["pdf_sign"] / best["decision_pdf"]
    verdict = "OK" if signing <= GOAL_SIGNING else "ABOVE GOAL"
    print(f"signing / render {signing:.3f} (goal ≤ {GOAL_SIGNING}): {verdict}")
    print(
        f"first signature in the process: {first_signature * 1000:.0f} ms (demo authority made, "
        f"stamp font prepared; once per process), PDF {len(rendered):,} → "
        f"{len(pdf_sign(pdf=rendered, identity=identity)):,} bytes"
    )
    print(f"(demo authority in {settings.MEDIA_ROOT}, removed now)")
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
