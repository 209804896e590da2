"""The example behind docs/samples/published-table-sample.xlsx, and the code writing it.

Four departments of a province starting on the portal in 2025, as the decision that
published their 2024 index printed them (two share the second place). To rewrite the
file after a format change:

    CCHC_WRITE_SAMPLES=1 .venv/bin/pytest tests/scoring -k sample
"""

import datetime

from scoring.exchange.published_table_xlsx import write_published_table
from tests.factories import make_block, make_unit

NAME = "published-table-sample.xlsx"
YEAR = 2024
DECISION = ("125/QĐ-UBND", datetime.date(2025, 1, 20))
UNITS = [
    # code, name, index, rank, tier
    ("so-gddt", "Sở Giáo dục và Đào tạo", 91.25, 1, "Tốt"),
    ("so-gtvt", "Sở Giao thông vận tải", 88.7, 2, "Khá"),
    ("so-yt", "Sở Y tế", 88.7, 2, "Khá"),
    ("so-tc", "Sở Tài chính", 80.05, 4, "Khá"),
]


def sample_units(block=None) -> dict:
    block = block or make_block(code="so", name="Sở, ban, ngành")
    return {code: make_unit(code=code, name=name, block=block) for code, name, *_ in UNITS}


def sample_table() -> bytes:
    number, signed_on = DECISION
    return write_published_table(
        [
            [code, name, index, rank, tier, number, signed_on.strftime("%d/%m/%Y")]
            for code, name, index, rank, tier in UNITS
        ]
    )
