"""Open data files carry no formula: a published unit name like =HYPERLINK(...) stays text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_campaign, make_framework, make_unit
from tests.reports.factories import make_decision, make_row

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def decision(unit_a):
    """2015, block "so": one row per hostile name, with hostile tiers and block name."""
    block = unit_a.block
    decision = make_decision(campaign=make_campaign(frameworks=(make_framework(block=block),)))
    for rank, name in enumerate(HOSTILE, start=1):
        make_row(
            decision=decision,
            unit=make_unit(block=block, name=name),
            rank=rank,
            index=str(90 - rank),
            tier=HOSTILE[-rank],
            name=name,
            block_name="@Sở, ban, ngành",
        )
    return decision


def download(client, fmt: str) -> bytes:
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", fmt]))
    assert response.status_code == 200
    return response.content


def test_the_csv_puts_an_apostrophe_before_formula_like_text(client, decision):
    rows = list(csv.DictReader(io.StringIO(download(client, "csv").decode())))
    assert [row["unit_name"] for row in rows] == ["'" + name for name in HOSTILE]
    assert [row["tier"] for row in rows] == ["'" + tier for tier in reversed(HOSTILE)]
    assert {row["block_name"] for row in rows} == {"'@Sở, ban, ngành"}
    # Numbers are numbers: no apostrophe, no quotes.
    assert rows[0]["index"] == "89.00"
    assert ",89.00," in download(client, "csv").decode()


def test_the_xlsx_writes_formula_like_text_as_string_cells(client, decision):
    sheet = load_workbook(io.BytesIO(download(client, "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    # Headed by the columns' Vietnamese labels (the keys are on the dictionary sheet).
    name, tier, index = (header.index(label) + 1 for label in ("Đơn vị", "Xếp loại", "Chỉ số (%)"))
    written = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in written if cell.data_type == "f"] == []
    names = [sheet.cell(row=row, column=name) for row in range(2, 2 + len(HOSTILE))]
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in names] == [
        (text, "s", True) for text in HOSTILE
    ]
    tiers = [sheet.cell(row=row, column=tier).value for row in range(2, 2 + len(HOSTILE))]
    assert tiers == list(reversed(HOSTILE))
    assert (sheet.cell(row=2, column=index).value, sheet.cell(row=2, column=index).data_type) == (
        89,
        "n",
    )


def test_the_open_data_page_tells_readers_about_the_apostrophe(client, decision):
    html = client.get(reverse("reports:open_data")).content.decode()
    assert "dấu nháy đơn (') ở đầu" in html
