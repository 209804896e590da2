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
        "Chỉ số (%) chưa làm tròn",
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


# -- the unrounded index and the statistics files -----------------------------------------


def test_the_exact_index_tells_apart_two_units_shown_alike(client, years):
    """Thanh Hóa 2024: two departments published with 90,02 %, ranked 2nd and 3rd."""
    decision = years["decisions"][2015]
    decision.rows.filter(unit__code="so-gd").update(index=Decimal("90.0249999999"), rank=2)
    decision.rows.filter(unit__code="so-nv-2015").update(index=Decimal("90.0150000001"), rank=3)
    response = client.get(reverse("reports:open_data_file", args=[2015, "so", "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["index"], row["index_exact"], row["rank"]) for row in rows] == [
        ("90.02", "90.0249999999", "2"),
        ("90.02", "90.0150000001", "3"),
    ]
    data = json.loads(
        client.get(reverse("reports:open_data_file", args=[2015, "so", "json"])).content
    )
    assert [row["index_exact"] for row in data] == [90.0249999999, 90.0150000001]


def statistics_file(client, fmt: str, year: int = 2015, block: str = "so"):
    return client.get(reverse("reports:open_data_statistics", args=[year, block, fmt]))


def test_the_statistics_file_holds_the_blocks_figures_one_a_row(client, years):
    response = statistics_file(client, "csv")
    assert 'filename="cchc-2015-so-thong-ke.csv"' in response["Content-Disposition"]
    # With the byte order mark every CSV of the portal carries, for Excel on Windows.
    assert response.content.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert reader.fieldnames == [column.key for column in open_data.statistics_columns()]
    figures = {(row["statistic"], row["subject"]): row for row in reader}
    assert figures["units", ""]["value"] == "2"
    # 88,125 and 80,5: mean 84,3125, shown 84.31, kept exact.
    assert figures["index_mean", ""]["value"] == "84.31"
    assert figures["index_mean", ""]["value_exact"] == "84.3125000000"
    assert figures["index_median", ""]["value_exact"] == "84.3125000000"
    assert (figures["index_min", ""]["value"], figures["index_max", ""]["value"]) == (
        "80.50",
        "88.13",
    )
    # The campaign's tiers: Tốt holds both units; Khá, a band too, holds none.
    assert figures["tier_units", "Tốt"]["value"] == "2"
    assert figures["tier_units", "Khá"]["value"] == "0"
    assert figures["area_points_mean", "1"]["value"] == "64.31"
    assert figures["area_max_mean", "1"]["value"] == "80.00"
    assert figures["index_mean", ""]["year"] == "2015"
    assert {row["statistic"] for row in figures.values()} <= {
        column.key for column in open_data.statistics_dictionary()
    }


def test_the_statistics_file_in_json_and_xlsx(client, years):
    data = json.loads(statistics_file(client, "json").content)
    assert list(data[0]) == [column.key for column in open_data.statistics_columns()]
    assert data[1]["statistic"] == "index_mean" and data[1]["value"] == 84.31
    sheet = load_workbook(io.BytesIO(statistics_file(client, "xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # Headed in Vietnamese, as every XLSX of the portal; the keys are on the dictionary sheet.
    assert list(rows[0]) == [str(column.label) for column in open_data.statistics_columns()]
    assert len(rows) == len(data) + 1


def test_no_statistics_for_a_table_not_published(client, years):
    assert statistics_file(client, "csv", year=2016).status_code == 404
    assert statistics_file(client, "csv", block="khong-co").status_code == 404


def test_the_page_links_each_tables_statistics_and_explains_them(english_client, years):
    html = english_client.get(reverse("reports:open_data")).content.decode()
    assert reverse("reports:open_data_statistics", args=[2014, "huyen", "xlsx"]) in html
    for column in [*open_data.statistics_columns(), *open_data.statistics_dictionary()]:
        assert f">{column.key}<" in html
    assert "10 decimals, unrounded: what ranks compare" in html
