"""Open data files: one generator, three formats, and a dictionary naming exactly their columns."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.outputs import open_data
from tests.reports.factories import make_published_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def years():
    return make_published_years()


def dictionary_keys(area_codes: list[str]) -> list[str]:
    """The dictionary's keys with its area placeholder expanded to the table's areas."""
    keys = []
    for column in open_data.dictionary():
        if "{code}" in column.key:
            keys += [column.key.format(code=code) for code in area_codes]
        else:
            keys.append(column.key)
    return keys


def test_csv_header_is_the_dictionarys_keys(client, years):
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="cchc-2015-so.csv"' in response["Content-Disposition"]
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert reader.fieldnames == dictionary_keys(["1"])
    rows = list(reader)
    assert [row["unit_name"] for row in rows] == ["Sở Giáo dục và Đào tạo", "Sở Nội vụ"]
    # Rounded half up to two places, as displayed: 88.125 → 88.13.
    assert rows[0]["index"] == "88.13"
    assert rows[0]["previous_rank"] == "2"
    assert rows[0]["decision"] == years["decisions"][2015].number


def test_json_keys_are_the_dictionarys_keys(client, years):
    response = client.get(reverse("reports:open_data_file", args=[2015, "huyen", "json"]))
    data = json.loads(response.content)
    assert [list(row) for row in data] == [dictionary_keys(["1"])] * 2
    assert data[1]["unit_name"] == "Thị xã Mới"
    assert data[1]["previous_rank"] is None
    assert data[0]["index"] == 83.0


def test_xlsx_has_the_same_header_and_numbers(client, years):
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == dictionary_keys(["1"])
    index = rows[0].index("index")
    assert rows[1][index] == 88.13


def test_the_page_lists_every_table_and_the_dictionary(english_client, years):
    html = english_client.get(reverse("reports:open_data")).content.decode()
    for column in open_data.dictionary():
        assert f">{column.key}<" in html
    assert "2 decimals, half up, as displayed" in html
    for year, block in ((2014, "so"), (2014, "huyen"), (2015, "so"), (2015, "huyen")):
        for fmt in ("csv", "xlsx", "json"):
            assert reverse("reports:open_data_file", args=[year, block, fmt]) in html


def test_every_format_comes_from_one_generator(years):
    decision = years["decisions"][2015]
    rows = list(decision.rows.filter(block_code="so").order_by("position"))
    columns = open_data.table_columns(rows)
    generated = list(open_data.open_data_rows(decision, rows, columns))
    assert [list(row) for row in generated] == [[c.key for c in columns]] * 2
    assert generated[0]["area_1"] == Decimal("68.13")


def test_a_missing_area_is_an_empty_cell(years):
    decision = years["decisions"][2015]
    row = decision.rows.get(unit__code="so-gd")
    other = decision.rows.get(unit__code="so-nv-2015")
    other.areas = [{"code": "2", "title": "Thể chế", "points": "5", "max": "10"}]
    columns = open_data.table_columns([row, other])
    assert [c.key for c in columns if c.key.startswith("area_")] == ["area_1", "area_2"]
    first, second = open_data.open_data_rows(decision, [row, other], columns)
    assert first["area_2"] is None and second["area_1"] is None
