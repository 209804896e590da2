"""The summary of a decision whose campaign compares with part of last year's block.

Apart from tests/reports/test_summary.py, whose module loads the demo (its units would
clash with the personas' units used here)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from reports import summary
from reports.services.publication import decision_rows_preview
from scoring.models import ImportedResult
from scoring.services.results import results_compute


@pytest.mark.django_db
def test_the_summary_compares_only_like_with_like_against_part_of_an_imported_year(draft):
    """2015 is the portal's first year; of 2014 only two departments' published rows were
    typed in (ranks 3 and 18 of a larger block)."""
    campaign = draft.campaign
    for assessment, rank, index in zip(
        campaign.assessments.order_by("unit__code"), (3, 18), ("85", "70"), strict=True
    ):
        ImportedResult.objects.create(
            year=2014,
            unit=assessment.unit,
            block=assessment.unit.block,
            unit_name=assessment.unit.name,
            index=D(index),
            rank=rank,
            decision_number="99/QĐ-UBND",
            decision_date=dt.date(2015, 2, 1),
            imported_at=timezone.now(),
        )
    results_compute(campaign=campaign)
    rows = decision_rows_preview(decision=draft)
    assert sorted((row.previous_rank, row.rank) for row in rows) == [(3, 1), (18, 2)]
    text = summary.summary_text(decision=draft, rows=rows)
    block = text.split("\n\n")[1]
    assert block.startswith("Chỉ số trung bình của khối sở, ban, ngành là 75,00%")
    assert (
        "Bảng kết quả năm 2014 chỉ có 2 đơn vị của khối nên không so sánh thứ hạng; so với chỉ "
        "số năm 2014 của chính mình, 1/2 đơn vị có số liệu năm 2014 tăng chỉ số, 1 đơn vị giảm."
    ) in block
    assert "bậc" not in block and "tiếp tục" not in block and "năm 2014 xếp" not in block
