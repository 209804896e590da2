"""Reading the units workbook: each cell's problem named with its sheet, row and column."""

import pytest

from scoring.exchange.units_xlsx import read_units_workbook
from tests.scoring.units_workbooks import raw_workbook, unit, units_file

UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Mã khối", "Từ năm", "Đến năm", "Đơn vị tiền thân"]


def problems(data: bytes) -> list[str]:
    return [str(problem) for problem in read_units_workbook(data).problems]


def test_the_writer_and_the_reader_agree():
    read = read_units_workbook(
        units_file(
            unit("p-moi", "Phường Mới", "phuong", short_name="P. Mới", parent="tp",
                 active_from=2025, predecessors="p-1; P-2\np-1"),
            blocks=[("phuong", "UBND phường", "Phường", 2)],
            province=("Hòa Giang", "Ủy ban nhân dân tỉnh Hòa Giang"),
        )
    )  # fmt: skip
    assert read.problems == []
    assert (read.province.name, read.province.issuing_body) == (
        "Hòa Giang",
        "Ủy ban nhân dân tỉnh Hòa Giang",
    )
    [block] = read.blocks
    assert (block.code, block.name, block.short_name, block.position) == (
        "phuong",
        "UBND phường",
        "Phường",
        2,
    )
    [row] = read.units
    assert (row.code, row.short_name, row.parent, row.active_from, row.active_to) == (
        "p-moi",
        "P. Mới",
        "tp",
        2025,
        None,
    )
    # Listed once each, in the order written, in lower case, whatever separates them.
    assert row.predecessors == ("p-1", "p-2")


def test_a_single_sheet_with_english_headers_is_the_unit_sheet():
    read = read_units_workbook(
        raw_workbook(
            {"Sheet1": [["code", "name", "block", "from"], ["SO-NV", "Sở Nội vụ", "so", 2025]]}
        )
    )
    assert read.problems == []
    assert [(row.code, row.block, row.active_from) for row in read.units] == [("so-nv", "so", 2025)]


def test_a_workbook_without_a_unit_sheet_is_refused(english):
    data = raw_workbook({"Khối": [["Mã khối", "Tên khối"], ["so", "Sở"]], "Ghi chú": [["x"]]})
    assert problems(data) == [
        "Đơn vị: the workbook has no sheet named “Đơn vị” (it has: Khối, Ghi chú)."
    ]


def test_bad_cells_are_named_with_their_row_and_column(english):
    data = raw_workbook(
        {
            "Đơn vị": [
                UNIT_HEADER,
                ["Sở Nội vụ", "Sở Nội vụ", "so", 2025, None, None],
                ["so-tc", "", "so", "2025.5", 2024, None],
                ["so-tp", "Sở Tư pháp", "so", 2026, 2025, "so-tp"],
                ["import", "Sở Nhập", "so", None, None, "x y!"],
                ["so-tc", "Sở Tài chính", "so", None, None, None],
            ]
        }
    )
    assert problems(data) == [
        "Đơn vị, row 2, column Mã đơn vị: “Sở Nội vụ” is not a code: use letters without "
        "accents, digits, “-” and “_” (for example so-noi-vu).",
        "Đơn vị, row 3, column Tên đơn vị: this cell is empty; it is required.",
        "Đơn vị, row 3, column Từ năm: “2025.5” is not a year: write it with four digits, "
        "for example 2025.",
        "Đơn vị, row 4, column Đến năm: the last year 2025 comes before the first year 2026.",
        "Đơn vị, row 4, column Đơn vị tiền thân: a unit cannot be its own predecessor.",
        "Đơn vị, row 5, column Mã đơn vị: “import” is reserved for a page of the portal: "
        "choose another code.",
        "Đơn vị, row 5, column Đơn vị tiền thân: “y!” is not a code: use letters without "
        "accents, digits, “-” and “_” (for example so-noi-vu).",
        "Đơn vị, row 6, column Mã đơn vị: the code “so-tc” is already on row 3.",
    ]


def test_too_long_names_and_a_second_province_row_are_refused(english):
    data = raw_workbook(
        {
            "Tỉnh": [["Tên tỉnh", "Cơ quan ban hành"], ["A", "UBND tỉnh A"], ["B", "UBND tỉnh B"]],
            "Khối": [["Mã khối", "Tên khối", "Thứ tự"], ["so", "Sở", "một"], ["so", "Sở", 1]],
            "Đơn vị": [["Mã đơn vị", "Tên đơn vị", "Mã khối"], ["so-nv", "S" * 201, "so"]],
        }
    )
    assert problems(data) == [
        "Tỉnh, row 3, column Tên tỉnh: the province is already on row 2: keep one row on "
        "this sheet.",
        "Khối, row 2, column Thứ tự: “một” is not a position: write a whole number, 0 or more.",
        "Khối, row 3, column Mã khối: the code “so” is already on row 2.",
        "Đơn vị, row 2, column Tên đơn vị: too long: at most 200 characters, this has 201.",
    ]


@pytest.mark.parametrize("header", ["Mã đơn vị", "Tên đơn vị", "Mã khối"])
def test_each_required_column_is_required(header, english):
    columns = [c for c in ["Mã đơn vị", "Tên đơn vị", "Mã khối"] if c != header]
    data = raw_workbook({"Đơn vị": [columns, ["x"] * len(columns)]})
    assert problems(data) == [f"Đơn vị, row 1, column {header}: this required column is missing."]
