#!/usr/bin/env python
"""Benchmark of the decision PDF against bare WeasyPrint rendering the same rows.

    .venv/bin/python bench/publish.py [--rows N] [--repeat R]

Builds N unsaved appendix rows (default 200, two blocks, eight areas) and an unsaved
decision in memory (no database), then times, interleaved in the same run after a
warm-up of each, `reports.outputs.pdf.decision_pdf` (the full decision: header page,
appendix tables, QR code) and a bare WeasyPrint render of the same rows' cells in a
minimal table with the same fonts. It prints the best of R runs of each and their
ratio. Goal: ratio ≤ 1.3.
"""

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.3


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
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
    from reports.outputs.pdf import decision_pdf

    decision, rows = build(args.rows)
    runs = {"decision_pdf": [], "bare WeasyPrint": []}
    jobs = {
        "decision_pdf": lambda: decision_pdf(decision=decision, rows=rows),
        "bare WeasyPrint": lambda: bare_pdf(rows),
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


if __name__ == "__main__":
    main()
