"""Open data files: one generator, three formats, and a dictionary naming exactly their columns."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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
    # A byte order mark first, so that Excel on Windows reads the Vietnamese as UTF-8.
    assert response.content.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
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


def test_xlsx_is_headed_in_vietnamese_and_keeps_the_keys_on_a_sheet_of_their_own(client, years):
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["2015 so", "Từ điển dữ liệu"]
    sheet = workbook["2015 so"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["Năm", "Quyết định", "Mã khối", "Khối", "STT", "Mã đơn vị", "Đơn vị"]
    assert header[7:] == [
        "Lĩnh vực 1",
        "Điểm ĐTXHH",
        "Điểm trừ",
        "Điểm thưởng",
        "Tổng điểm đạt được",
        "Điểm tối đa được áp dụng",
        "Chỉ số (%)",
        "Xếp hạng",
        "Xếp loại",
        "Xếp hạng năm trước",
        "Chỉ số năm trước (%)",
    ]
    dictionary = [row[:2] for row in workbook["Từ điển dữ liệu"].iter_rows(values_only=True)]
    assert dictionary[0] == ("Cột", "Tên trường (CSV, JSON)")
    assert [key for _label, key in dictionary[1:]] == dictionary_keys(["1"])
    assert dict(dictionary[1:])["Chỉ số (%)"] == "index"


def test_xlsx_numbers_are_numbers_formatted_as_published(client, years):
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["2015 so"]
    header = [cell.value for cell in sheet[1]]
    index = sheet.cell(row=2, column=header.index("Chỉ số (%)") + 1)
    assert (index.value, index.number_format) == (88.13, "0.00")
    rank = sheet.cell(row=2, column=header.index("Xếp hạng") + 1)
    assert (rank.value, rank.number_format) == (1, "0")
    year = sheet.cell(row=2, column=1)
    assert (year.value, year.number_format) == (2015, "0")
    assert sheet.cell(row=2, column=header.index("Đơn vị") + 1).number_format == "General"


def test_xlsx_has_a_frozen_wrapped_header_and_wide_enough_columns(client, years):
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["2015 so"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["A1"].alignment.wrap_text
    header = [cell.value for cell in sheet[1]]
    name = get_column_letter(header.index("Đơn vị") + 1)
    assert sheet.column_dimensions[name].width >= 40
    for letter in ("A", "H", "L"):
        assert sheet.column_dimensions[letter].width >= 10


def test_the_page_lists_every_table_and_the_dictionary(english_client, years):
    html = english_client.get(reverse("reports:open_data")).content.decode()
    for column in open_data.dictionary():
        assert f">{column.key}<" in html
    assert ">Survey points<" in html and ">Last year&#x27;s rank<" in html
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
