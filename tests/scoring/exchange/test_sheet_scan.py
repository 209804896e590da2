"""The guard's scan of a workbook's sheets at its limits: rows, columns, cells, and the sheet named.

The workbooks are written by hand here (zipfile and a few lines of sheet XML), so each
test holds exactly the rows and cells it is about, at, under and over a limit.
"""

import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter

from scoring.exchange import sheet_scan
from scoring.exchange.workbook_guard import guard_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
NAME = "bang-diem.xlsx"
LOST = (
    "holds a formula whose result was not saved in the file, so its value cannot be read. "
    "Paste values: copy the cells, then Paste Special → Values (or open and save the file "
    "in Excel), and send it again."
)


def relationships(*links: tuple[str, str, str]) -> str:
    """A relationships part; each link is (Id, Type, Target)."""
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{OFFICE}/{kind}" Target="{target}"/>'
        for rid, kind, target in links
    )
    return f'<Relationships xmlns="{PACKAGE}">{rows}</Relationships>'


def worksheet(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def parts(sheets: dict[str, str], *, folder: str = "xl", absolute: bool = False) -> dict[str, str]:
    """The parts of a workbook with these sheets (title → the rows' XML), as a package writes them.

    Excel writes the workbook's links to its sheets relative to its folder, openpyxl writes
    them from the package's root (`absolute`).
    """
    sheet_parts = [f"{folder}/worksheets/sheet{n}.xml" for n in range(1, len(sheets) + 1)]
    workbook = f"{folder}/workbook.xml"
    links = [
        (f"rId{n}", "worksheet", f"/{part}" if absolute else part.removeprefix(f"{folder}/"))
        for n, part in enumerate(sheet_parts, start=1)
    ]
    entries = "".join(
        f'<sheet name="{title}" sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(sheets, start=1)
    )
    overrides = "".join(
        f'<Override PartName="/{part}" ContentType="{SPREADSHEET}.worksheet+xml"/>'
        for part in sheet_parts
    )
    return {
        "[Content_Types].xml": (
            f'<Types xmlns="{CONTENT_TYPES}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{workbook}" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": relationships(("rId1", "officeDocument", workbook)),
        workbook: (
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>{entries}</sheets></workbook>'
        ),
        f"{folder}/_rels/workbook.xml.rels": relationships(*links),
        **{part: worksheet(rows) for part, rows in zip(sheet_parts, sheets.values(), strict=True)},
    }


def package(members: dict[str, str]) -> bytes:
    """The zip of these parts, stored (not deflated), so only the sheets' contents count."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def xlsx(sheets: dict[str, str], **layout) -> bytes:
    return package(parts(sheets, **layout))


def problems(data: bytes, *, max_rows: int = 100) -> list[tuple]:
    return [
        (p.sheet, p.row, p.column, p.message)
        for p in guard_workbook(data, name=NAME, max_rows=max_rows)
    ]


def values(data: bytes) -> list[list]:
    """What openpyxl reads from the first sheet of an accepted workbook."""
    book = load_workbook(BytesIO(data), data_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def row_of(row: int, count: int) -> str:
    """Row `row` with a number in each of its first `count` columns, each cell numbered too."""
    return (
        f'<row r="{row}">'
        + "".join(f'<c r="{get_column_letter(n)}{row}"><v>1</v></c>' for n in range(1, count + 1))
        + "</row>"
    )


def too_long(row: int, last: int) -> tuple:
    return (
        "Điểm",
        row,
        "",
        f"the file “{NAME}” goes on past row {last:,}, the last row this import reads. Delete "
        "the rows below the table: a row that looks empty may still hold a cell far to the right.",
    )


def too_wide(row: int, column: str) -> tuple:
    return (
        "Điểm",
        row,
        column,
        f"the file “{NAME}” has a cell in column {column}; this import reads at most 256 "
        "columns. Delete the columns to the right of the table.",
    )


def lost(row: int, column: str) -> tuple:
    return ("Điểm", row, column, f"cell {column}{row} {LOST}")


# -- which sheet a refusal names ------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param({}, id="Excel: links relative to the workbook"),
        pytest.param({"absolute": True}, id="openpyxl: links from the package root"),
        pytest.param({"folder": "XL", "absolute": True}, id="parts named in capitals"),
    ],
)
def test_a_refusal_names_the_sheet_by_its_title_wherever_the_package_keeps_it(english, layout):
    data = xlsx({"Tóm tắt": row_of(1, 1), "Điểm": row_of(1, 1) + row_of(3, 1)}, **layout)
    assert problems(data, max_rows=2) == [too_long(3, 2)]


def test_without_the_package_relationships_a_sheet_is_named_by_its_part(english):
    members = parts({"Điểm": row_of(3, 1)})
    del members["_rels/.rels"]
    [(sheet, row, _column, _message)] = problems(package(members), max_rows=2)
    assert (sheet, row) == ("xl/worksheets/sheet1.xml", 3)


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param('<sheet sheetId="1" r:id="rId1"/>', id="a sheet without a name"),
        pytest.param('<sheet name="Điểm" sheetId="1"/>', id="a sheet without its link"),
        pytest.param('<sheet name="Điểm" sheetId="1" r:id="rId9"/>', id="a link to nothing"),
    ],
)
def test_a_sheet_the_workbook_does_not_name_and_link_is_named_by_its_part(english, entry):
    members = parts({"Điểm": row_of(3, 1)})
    members["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>{entry}</sheets></workbook>'
    )
    # A link without an Id must not pair up with a sheet without one.
    members["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    )
    [(sheet, row, _column, _message)] = problems(package(members), max_rows=2)
    assert (sheet, row) == ("xl/worksheets/sheet1.xml", 3)


def test_workbook_metadata_up_to_its_size_limit_is_read_for_the_titles(english, monkeypatch):
    members = parts({"Điểm": row_of(3, 1)})
    metadata = ["_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    largest = max(len(members[name].encode()) for name in metadata)
    monkeypatch.setattr(sheet_scan, "MAX_METADATA_BYTES", largest)
    assert problems(package(members), max_rows=2) == [too_long(3, 2)]
    monkeypatch.setattr(sheet_scan, "MAX_METADATA_BYTES", largest - 1)
    [(sheet, _row, _column, _message)] = problems(package(members), max_rows=2)
    assert sheet == "xl/worksheets/sheet1.xml"


def test_a_sheet_the_package_links_as_its_workbook_is_still_scanned(english):
    """openpyxl finds the workbook through [Content_Types].xml and reads that sheet."""
    members = parts({"Điểm": '<row r="1"><c r="A1"><f>1+1</f><v></v></c></row>'})
    members["_rels/.rels"] = relationships(("rId1", "officeDocument", "xl/worksheets/sheet1.xml"))
    data = package(members)
    assert values(data) == [[None]]  # what the import would read: the formula lost
    [(sheet, row, column, message)] = problems(data)
    assert (sheet, row, column) == ("xl/worksheets/sheet1.xml", 1, "A")
    assert message == f"cell A1 {LOST}"


# -- rows -------------------------------------------------------------------------------------


@pytest.mark.parametrize("numbered", [True, False], ids=["numbered rows", "rows without r"])
def test_rows_up_to_the_last_row_read_are_accepted_and_the_next_is_refused(english, numbered):
    def rows(count: int) -> str:
        made = "".join(row_of(n, 2) for n in range(1, count + 1))
        return made if numbered else made.replace(" r=", " x=")

    assert problems(xlsx({"Điểm": rows(3)}), max_rows=3) == []
    assert problems(xlsx({"Điểm": rows(4)}), max_rows=3) == [too_long(4, 3)]


def test_rows_without_a_number_count_on_from_the_last_numbered_one(english):
    rows = '<row r="998"><c r="A998"/></row><row><c/></row><row><c/></row>'
    assert problems(xlsx({"Điểm": rows}), max_rows=1000) == []
    assert problems(xlsx({"Điểm": rows + "<row><c/></row>"}), max_rows=1000) == [
        too_long(1001, 1000)
    ]


# -- columns ----------------------------------------------------------------------------------


def test_a_cell_in_the_last_column_iv_is_accepted_and_read(english):
    data = xlsx({"Điểm": '<row r="1"><c r="A1"><v>1</v></c><c r="IV1"><v>2</v></c></row>'})
    assert problems(data) == []
    assert values(data) == [[1] + [None] * 254 + [2]]


@pytest.mark.parametrize("column", ["IW", "IX", "XFD"])
def test_a_cell_past_column_iv_is_refused_with_its_column_named(english, column):
    data = xlsx({"Điểm": row_of(1, 2) + f'<row r="2"><c r="{column}2"><v>1</v></c></row>'})
    assert problems(data) == [too_wide(2, column)]


def test_cells_without_a_reference_are_placed_one_after_another_up_to_column_iv(english):
    full = "<row>" + "<c><v>1</v></c>" * 256 + "</row>"
    data = xlsx({"Điểm": full + full})
    assert problems(data) == []
    assert values(data) == [[1] * 256, [1] * 256]
    assert problems(xlsx({"Điểm": full + full.replace("</row>", "<c/></row>")})) == [
        too_wide(2, "IW")
    ]


def test_a_cell_without_a_reference_after_column_iu_is_refused_at_the_second(english):
    after = '<row r="4"><c r="IU4"/><c/></row>'
    assert problems(xlsx({"Điểm": after})) == []
    assert problems(xlsx({"Điểm": after.replace("</row>", "<c/></row>")})) == [too_wide(4, "IW")]


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param("ZZZZ2", id="past column ZZZ"),
        pytest.param("*2", id="a sign for a column"),
        pytest.param("2", id="no column"),
        pytest.param("B", id="no row"),
    ],
)
def test_a_reference_openpyxl_cannot_place_is_a_damaged_workbook(reference):
    data = xlsx({"Điểm": f'<row r="2"><c r="{reference}"><v>1</v></c></row>'})
    with pytest.raises(sheet_scan.WorkbookDamaged):
        guard_workbook(data, max_rows=10)


def test_references_in_lower_case_are_read_as_their_columns(english):
    data = xlsx({"Điểm": '<row r="1"><c r="b1"><v>1</v></c><c r="iw1"><v>2</v></c></row>'})
    assert problems(data) == [too_wide(1, "iw")]
    assert values(xlsx({"Điểm": '<row r="1"><c r="b1"><v>1</v></c></row>'})) == [[None, 1]]


# -- formulas without their result, in cells with and without a reference ----------------


def test_a_lost_formula_is_named_by_the_place_of_its_cell_with_or_without_a_reference(english):
    rows = (
        # The first cell of a row, with no reference, is in column A; the next after C is D.
        '<row><c><f>1</f><v></v></c><c r="C1"><v>1</v></c><c><f>2</f></c></row>'
        # Columns ending in X (digits are not all that ends a reference).
        '<row r="2"><c r="X2"><f>3</f></c><c><f>4</f><v></v></c></row>'
        # Each row starts again from column A.
        "<row><c><v>1</v></c><c><f>5</f></c></row>"
    )
    assert problems(xlsx({"Điểm": rows})) == [
        lost(1, "A"),
        lost(1, "D"),
        lost(2, "X"),
        lost(2, "Y"),
        lost(3, "B"),
    ]


def test_a_lost_formula_in_the_last_cell_of_a_row_is_named_in_its_own_row(english):
    rows = '<row r="5"><c r="B5"><f>1</f></c></row><row r="6"><c r="A6"><v>1</v></c></row>'
    assert problems(xlsx({"Điểm": rows})) == [lost(5, "B")]


# -- cells in all -----------------------------------------------------------------------------


def test_cells_of_every_sheet_up_to_the_limit_are_accepted_and_one_more_is_refused(
    english, monkeypatch
):
    monkeypatch.setattr(sheet_scan, "MAX_CELLS", 1_500)
    first = "".join(row_of(n, 10) for n in range(1, 101))  # 1,000 cells
    second = "".join(row_of(n, 10) for n in range(1, 51))  # 500 more
    assert problems(xlsx({"Tóm tắt": first, "Điểm": second}), max_rows=200) == []
    over = second + '<row r="51"><c r="A51"><v>1</v></c></row>'
    assert problems(xlsx({"Tóm tắt": first, "Điểm": over}), max_rows=200) == [
        (
            "Điểm",
            51,
            "",
            f"the file “{NAME}” has more than 1,500 cells, more than this import reads. "
            "Delete what lies outside the table, or split the file.",
        )
    ]
