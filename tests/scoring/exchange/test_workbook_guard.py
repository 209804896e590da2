"""Every workbook import refuses a zip bomb, stray rows and lost formulas before reading them."""

import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from scoring.exchange import workbook as workbook_module
from scoring.exchange.bulk_scores_xlsx import read_scores_file, write_scores_file
from scoring.exchange.columns import HEADER_SEARCH_ROWS
from scoring.exchange.framework_format import MAX_CRITERIA_ROWS
from scoring.exchange.sheet_scan import MAX_COLUMNS
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.exchange.tables import MAX_TABLE_ROWS
from scoring.exchange.workbook_guard import guard_workbook
from scoring.models import Score, SurveyAnswer
from scoring.services.frameworks import FrameworkImportError, framework_import
from scoring.services.import_rows import ImportRefused
from scoring.services.score_import import scores_import
from scoring.services.sheet_import import assessment_sheet_export, assessment_sheet_import
from scoring.services.survey_import import survey_import
from tests.scoring import sheets, workbooks
from tests.scoring.conftest import leaf
from tests.scoring.hostile_workbooks import (
    rewrite_part,
    sheet_part,
    stray_rows,
    understated,
    unpacked_size,
    zip_bomb,
)

pytestmark = pytest.mark.django_db
NAME = "cham-diem.xlsx"


@dataclass
class Import:
    """One of the four workbook imports, with a sound file of its kind."""

    sheet: str  # where hostile rows go
    workbook: bytes
    last_row: int  # the last row number the import reads
    formula_cell: str  # a cell it reads, for a formula
    run: Callable[[SimpleUploadedFile], object]
    refusal: type[Exception]


@pytest.fixture(params=["framework", "scoring sheet", "scores", "survey"])
def an_import(request, assessment, editor_a, staff) -> Import:
    campaign = assessment.campaign
    criteria_rows = MAX_CRITERIA_ROWS + HEADER_SEARCH_ROWS
    table_rows = MAX_TABLE_ROWS + HEADER_SEARCH_ROWS
    if request.param == "framework":
        return Import(
            sheet="Tiêu chí",
            workbook=workbooks.xlsx(),
            last_row=criteria_rows,
            formula_cell="C3",  # Điểm tối đa of 1.1
            run=lambda file: framework_import(file=file, year=2025, block_code="so"),
            refusal=FrameworkImportError,
        )
    if request.param == "scoring sheet":
        return Import(
            sheet="Chấm điểm",
            workbook=assessment_sheet_export(assessment=assessment)[0],
            last_row=criteria_rows,
            formula_cell="H3",  # Điểm tự chấm of 1.1
            run=lambda file: assessment_sheet_import(
                assessment=assessment, actor=editor_a, file=file
            ),
            refusal=ImportRefused,
        )
    if request.param == "scores":
        return Import(
            sheet="Điểm",
            workbook=write_scores_file([["so-gddt", None, "1.1", 2]]),
            last_row=table_rows,
            formula_cell="D2",  # Điểm tự chấm
            run=lambda file: scores_import(campaign=campaign, file=file, actor=staff),
            refusal=ImportRefused,
        )
    for code, weight in (("A", 100), ("B", 0)):
        SurveyAnswer.objects.create(campaign=campaign, code=code, weight_percent=weight)
    return Import(
        sheet="Điều tra",
        workbook=write_survey_file(["A", "B"], [["so-gddt", None, "2.1", None, "", 7, 3]]),
        last_row=table_rows,
        formula_cell="F2",  # the count of answer A
        run=lambda file: survey_import(campaign=campaign, file=file, actor=staff),
        refusal=ImportRefused,
    )


@contextmanager
def nothing_written():
    with workbooks.nothing_written(), sheets.nothing_written():
        yield


def refused(an_import: Import, data: bytes) -> list[tuple]:
    """The problems of a refused upload of `data` as NAME; checks that nothing was written."""
    with nothing_written(), pytest.raises(an_import.refusal) as caught:
        an_import.run(SimpleUploadedFile(NAME, data))
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """Fails the test if the import hands the file to openpyxl at all."""

    def load_workbook(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the guard should have refused")

    monkeypatch.setattr(workbook_module, "load_workbook", load_workbook)


# -- the zip bomb of the issue ----------------------------------------------------------


def test_a_zip_bomb_is_refused_by_every_import_before_openpyxl_opens_it(
    an_import, english, openpyxl_never_opens
):
    bomb = zip_bomb(an_import.workbook, an_import.sheet)
    assert len(bomb) < 1024 * 1024 and unpacked_size(bomb) > 200 * 1024 * 1024
    part = sheet_part(bomb, an_import.sheet)
    [(sheet, row, column, message)] = refused(an_import, bomb)
    assert (sheet, row, column) == ("", None, "")
    assert message.startswith(f"the file “{NAME}” would unpack its part {part} to 2")
    assert message.endswith("\xa0MB, more than the 40.0\xa0MB allowed.")


def test_stray_cells_in_columns_without_a_header_count_toward_the_row_cap(
    an_import, english, openpyxl_never_opens
):
    # Within every size limit: only the rows count against it.
    data = stray_rows(an_import.workbook, an_import.sheet, first=20, last=an_import.last_row + 1)
    assert refused(an_import, data) == [
        (
            an_import.sheet,
            an_import.last_row + 1,
            "",
            f"the file “{NAME}” goes on past row {an_import.last_row:,}, the last row this "
            "import reads. Delete the rows below the table: a row that looks empty may still "
            "hold a cell far to the right.",
        )
    ]


def test_rows_up_to_the_cap_are_read_as_before(assessment, staff):
    data = stray_rows(write_scores_file([["so-gddt", None, "1.1", 2]]), "Điểm", first=3, last=50)
    scores_import(campaign=assessment.campaign, file=data, actor=staff)
    assert Score.objects.get(criterion=leaf(assessment, "1.1")).self_points == D("2")


def test_a_bomb_whose_directory_understates_it_is_refused_as_damaged(assessment, staff, english):
    """zipfile stops at the size the directory states and the CRC then fails: never more."""
    sound = write_scores_file([["so-gddt", None, "1.1", 2]])
    bomb = zip_bomb(sound, "Điểm", rows=2_000_000)
    lying = understated(bomb, sheet_part(bomb, "Điểm"), 4096)
    assert unpacked_size(lying) < 64 * 1024
    with sheets.nothing_written(), pytest.raises(ImportRefused) as caught:
        scores_import(campaign=assessment.campaign, file=lying, actor=staff)
    assert [p.message for p in caught.value.problems] == [
        "the file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel as "
        "“Excel Workbook (*.xlsx)” and try again."
    ]


# -- formulas saved without their result ----------------------------------------------


def with_formula(data: bytes, sheet: str, cell: str, formula: str) -> bytes:
    """The workbook with a formula in `cell`, as openpyxl (and so many scripts) write it."""
    book = load_workbook(BytesIO(data))
    book[sheet][cell] = formula
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_formula_without_its_result_is_refused_with_its_cell_named(an_import, english):
    data = with_formula(an_import.workbook, an_import.sheet, an_import.formula_cell, "=1+1")
    column = an_import.formula_cell.rstrip("0123456789")
    row = int(an_import.formula_cell[len(column) :])
    assert refused(an_import, data) == [
        (
            an_import.sheet,
            row,
            column,
            f"cell {an_import.formula_cell} holds a formula whose result was not saved in the "
            "file, so its value cannot be read. Paste values: copy the cells, then Paste "
            "Special → Values (or open and save the file in Excel), and send it again.",
        )
    ]


def test_a_formula_with_its_saved_result_is_read_as_that_value(assessment, staff):
    data = with_formula(write_scores_file([["so-gddt", None, "1.1", 2]]), "Điểm", "D2", "=1+0.5")
    part = sheet_part(data, "Điểm")
    saved = rewrite_part(data, part, lambda xml: [xml.replace(b"<v></v>", b"<v>1.5</v>")])
    scores_import(campaign=assessment.campaign, file=saved, actor=staff)
    assert Score.objects.get(criterion=leaf(assessment, "1.1")).self_points == D("1.5")


def test_a_text_formula_whose_saved_result_is_empty_is_read_as_empty(assessment, staff):
    data = with_formula(write_scores_file([["so-gddt", None, "1.1", 2]]), "Điểm", "E2", '=""')
    part = sheet_part(data, "Điểm")
    # What Excel saves for a formula giving an empty text: t="str" and an empty <v>.
    saved = rewrite_part(data, part, lambda xml: [xml.replace(b'<c r="E2"', b'<c r="E2" t="str"')])
    assert read_scores_file(saved).problems == []


def test_many_lost_formulas_are_named_up_to_fifty_then_counted(english):
    book = load_workbook(BytesIO(write_scores_file([["so-gddt", None, "1.1", 2]])))
    for row in range(2, 62):
        book["Điểm"][f"L{row}"] = "=1"
    buffer = BytesIO()
    book.save(buffer)
    problems = read_scores_file(buffer.getvalue()).problems
    assert len(problems) == 51
    assert problems[0].message == "10 more formula cells have no saved result."
    assert (problems[1].row, problems[1].column) == (2, "L")


# -- other shapes no import reads -------------------------------------------------------


def test_a_cell_past_the_last_column_is_refused(english):
    data = write_scores_file([["so-gddt", None, "1.1", 2]])
    wide = rewrite_part(
        data,
        sheet_part(data, "Điểm"),
        lambda xml: [
            xml.replace(b"</row></sheetData>", b'<c r="IW2"><v>1</v></c></row></sheetData>')
        ],
    )
    [problem] = read_scores_file(wide, name=NAME).problems
    assert (problem.sheet, problem.row, problem.column) == ("Điểm", 2, "IW")
    assert problem.message == (
        f"the file “{NAME}” has a cell in column IW; this import reads at most {MAX_COLUMNS} "
        "columns. Delete the columns to the right of the table."
    )


def test_a_cell_openpyxl_could_not_place_is_refused_as_damaged_by_every_import(an_import, english):
    """openpyxl would fail on it while reading the rows, after the import had begun."""

    def stray_cell(xml: bytes) -> list[bytes]:
        assert b"</row></sheetData>" in xml
        return [xml.replace(b"</row></sheetData>", b'<c r="*2"><v>1</v></c></row></sheetData>')]

    part = sheet_part(an_import.workbook, an_import.sheet)
    data = rewrite_part(an_import.workbook, part, stray_cell)
    assert refused(an_import, data) == [
        (
            "",
            None,
            "",
            "the file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel as "
            "“Excel Workbook (*.xlsx)” and try again.",
        )
    ]


def test_an_archive_packed_inside_the_workbook_is_refused(english):
    data = write_scores_file([["so-gddt", None, "1.1", 2]])
    inner = BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("payload.txt", "x")
    packed = rewrite_part(
        data, "xl/styles.xml", lambda xml: [xml], extra=[("xl/embeddings/a.bin", inner.getvalue())]
    )
    assert [p.message for p in read_scores_file(packed, name=NAME).problems] == [
        f"the file “{NAME}” carries another packed file (zip) inside, xl/embeddings/a.bin: a "
        "workbook to import holds only its sheets. Save a copy without embedded objects and "
        "send that."
    ]


def test_a_doctype_in_any_part_is_refused(english):
    data = write_scores_file([["so-gddt", None, "1.1", 2]])
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    entities = rewrite_part(
        data, "xl/styles.xml", lambda xml: [xml.replace(b"<styleSheet", laughs + b"<styleSheet", 1)]
    )
    assert [p.message for p in read_scores_file(entities, name=NAME).problems] == [
        f"the file “{NAME}” is not an ordinary workbook: its part xl/styles.xml declares a "
        "DOCTYPE, which Excel never writes."
    ]


def test_the_zip_limits_are_settings(settings, english):
    data = write_scores_file([["so-gddt", None, "1.1", 2]])
    settings.ZIP_MAX_MEMBERS = 3
    [problem] = read_scores_file(data, name=NAME).problems
    assert problem.message.startswith(f"the file “{NAME}” holds ")
    assert problem.message.endswith(" parts, more than the 3 allowed.")
    settings.ZIP_MAX_MEMBERS = 1000
    settings.WORKBOOK_UNPACKED_MAX_BYTES = 1000
    [problem] = read_scores_file(data).problems
    assert problem.message.startswith("the file would unpack to ")
    assert problem.message.endswith(", more than the 1000\xa0bytes allowed.")


def test_the_refusals_speak_vietnamese(assessment, staff):
    data = with_formula(write_scores_file([["so-gddt", None, "1.1", 2]]), "Điểm", "D2", "=1+1")
    with pytest.raises(ImportRefused) as caught:
        scores_import(
            campaign=assessment.campaign, file=SimpleUploadedFile(NAME, data), actor=staff
        )
    [problem] = caught.value.problems
    assert str(problem).startswith(
        "Điểm, dòng 2, cột D: ô D2 chứa công thức nhưng kết quả của công thức không được lưu"
    )
    assert "Hãy dán giá trị" in problem.message
    bomb = zip_bomb(data, "Điểm", rows=1_000_000)
    [problem] = read_scores_file(bomb, name=NAME).problems
    assert problem.message.startswith(f"tệp “{NAME}” sẽ giải nén phần xl/worksheets/sheet1.xml")


def test_bytes_that_are_no_zip_are_left_to_openpyxl_to_refuse():
    assert guard_workbook(b"not a workbook at all", max_rows=10) == []
