"""No file the portal writes carries a formula: text from users stays text, numbers stay numbers.

A unit name or a note such as =HYPERLINK(...) must reach a spreadsheet as text: in XLSX an
explicit string cell (shown as text even once edited), in CSV behind OWASP's apostrophe.
"""

import csv
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from scoring.exchange import tabular
from scoring.exchange.bulk_scores_xlsx import read_scores_file, write_scores_file
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.exchange.workbook import CsvWriter, formula_like, set_value, text_cell
from scoring.models import Criterion, Score
from scoring.services.frameworks import framework_export, framework_import
from scoring.services.self_assessment import SelfInput, score_self_assess
from scoring.services.sheet_import import assessment_sheet_export, assessment_sheet_import
from tests.factories import make_assessment, make_campaign, make_framework

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def cells(data: bytes) -> list:
    """Every written cell of every sheet of a workbook."""
    book = load_workbook(BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes, *expected_text: str) -> None:
    """No formula anywhere; each expected text is there, as a string cell shown as text."""
    written = cells(data)
    assert [cell.coordinate for cell in written if cell.data_type == "f"] == []
    for cell in written:
        if formula_like(cell.value):
            assert cell.data_type == "s", cell.coordinate
            assert cell.quotePrefix, cell.coordinate
    values = {cell.value for cell in written}
    for text in expected_text:
        assert text in values


def saved(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the helpers: one place -----------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_set_value_writes_formula_like_text_as_a_string_cell(text):
    book = Workbook()
    set_value(book.active, 1, 1, text)
    cell = load_workbook(BytesIO(saved(book))).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_set_value_keeps_numbers_negative_ones_too_as_numbers():
    book = Workbook()
    for column, value in enumerate((D("-2.5"), -3, 1.5, "Sở Nội vụ"), start=1):
        set_value(book.active, 1, column, value)
    row = next(load_workbook(BytesIO(saved(book))).active.iter_rows())
    assert [(cell.value, cell.data_type) for cell in row] == [
        (-2.5, "n"),
        (-3, "n"),
        (1.5, "n"),
        ("Sở Nội vụ", "s"),
    ]
    # Ordinary text is not marked: only what a spreadsheet would run needs it.
    assert row[3].quotePrefix is False


@pytest.mark.parametrize("text", HOSTILE)
def test_text_cell_writes_formula_like_text_as_a_string_cell_in_write_only_mode(text):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("T")
    sheet.append([text_cell(sheet, text), text_cell(sheet, -2)])
    first, second = next(load_workbook(BytesIO(saved(book))).active.iter_rows())
    assert (first.value, first.data_type, first.quotePrefix) == (text, "s", True)
    assert (second.value, second.data_type) == (-2, "n")


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_writer_puts_an_apostrophe_before_formula_like_text_and_quotes_it(text):
    out = StringIO()
    CsvWriter(out).writerow([text, "x"])
    escaped = "'" + text
    assert out.getvalue() == '"' + escaped.replace('"', '""') + '",x\n'
    assert next(csv.reader(StringIO(out.getvalue()))) == [escaped, "x"]


def test_csv_writer_leaves_numbers_and_ordinary_text_as_csv_writer_would():
    def text(value: object) -> str:
        return "" if value is None else format(value, "f") if isinstance(value, D) else str(value)

    values = [D("-2.5"), -3, None, "Sở Nội vụ", "Huyện A, B", 'nói "có"', "dòng\nhai"]
    ours, theirs = StringIO(), StringIO()
    CsvWriter(ours, text=text).writerow(values)
    csv.writer(theirs, lineterminator="\n").writerow([text(value) for value in values])
    assert ours.getvalue() == theirs.getvalue()
    assert ours.getvalue().startswith("-2.5,-3,,Sở Nội vụ,")


# -- every writer -----------------------------------------------------------------------------


class Col:
    def __init__(self, key: str) -> None:
        self.key = self.label = key


def hostile_rows() -> list[dict]:
    return [{"name": text, "points": D("-2.5")} for text in HOSTILE]


def test_tabular_csv_escapes_text_and_keeps_negative_numbers():
    out = StringIO()
    tabular.write_csv([Col("name"), Col("points")], hostile_rows(), out)
    rows = list(csv.reader(StringIO(out.getvalue())))
    assert rows[1:] == [["'" + text, "-2.5"] for text in HOSTILE]


def test_tabular_xlsx_writes_text_as_strings_and_numbers_as_numbers():
    out = BytesIO()
    tabular.write_xlsx([Col("name"), Col("points")], hostile_rows(), out, title="t")
    assert_no_formula(out.getvalue(), *HOSTILE)
    rows = list(load_workbook(BytesIO(out.getvalue())).active.iter_rows(min_row=2))
    assert [(name.value, points.value, points.data_type) for name, points in rows] == [
        (text, -2.5, "n") for text in HOSTILE
    ]


@pytest.mark.django_db
def test_the_framework_export_holds_no_formula_and_imports_back_the_same_text(unit_a):
    framework = make_framework(year=2016, block=unit_a.block, name=HOSTILE[0])
    Criterion.objects.filter(framework=framework, code="1.1").update(
        title=HOSTILE[1], guidance=HOSTILE[2]
    )
    Criterion.objects.filter(framework=framework, code="1.2").update(
        title=HOSTILE[3],
        method=Criterion.Method.LEVELS,
        step=None,
        scale=[{"label": HOSTILE[2], "points": "5"}, {"label": "-", "points": "0"}],
    )
    data = framework_export(framework=framework)
    assert_no_formula(data, HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3])
    framework.delete()
    again = framework_import(file=data, year=2016, block_code=unit_a.block.code)
    assert again.name == HOSTILE[0]
    first, second = again.criteria.get(code="1.1"), again.criteria.get(code="1.2")
    assert (first.title, first.guidance, second.title) == (HOSTILE[1], HOSTILE[2], HOSTILE[3])
    assert second.scale[0]["label"] == HOSTILE[2]


@pytest.mark.django_db
def test_the_scoring_sheet_holds_no_formula_and_reads_back_the_same_text(assessment, editor_a):
    assessment.unit.name = HOSTILE[0]
    assessment.unit.save()
    framework = assessment.framework
    framework.name = HOSTILE[5]
    framework.save()
    Criterion.objects.filter(framework=framework, code="1.1").update(title=HOSTILE[1])
    levels = framework.criteria.get(code="1.2")
    levels.scale = [{"label": HOSTILE[2], "points": "1"}, {"label": "@0", "points": "0"}]
    levels.save()
    score_self_assess(
        assessment=assessment,
        criterion=framework.criteria.get(code="1.1"),
        actor=editor_a,
        entry=SelfInput(points=D("2"), explanation=HOSTILE[3]),
    )
    score_self_assess(
        assessment=assessment,
        criterion=levels,
        actor=editor_a,
        entry=SelfInput(level=HOSTILE[2], explanation="=SUM(1,2)"),
    )
    data = assessment_sheet_export(assessment=assessment)[0]
    assert_no_formula(data, *HOSTILE[:4], HOSTILE[5], "=SUM(1,2)")
    # Sent back unchanged, the sheet changes nothing: every text read back is the one saved.
    assert assessment_sheet_import(assessment=assessment, actor=editor_a, file=data).changed == []
    assert Score.objects.get(assessment=assessment, criterion=levels).self_explanation == (
        "=SUM(1,2)"
    )


def test_the_scores_template_holds_no_formula_and_reads_back_the_same_text():
    data = write_scores_file([["so-gddt", HOSTILE[0], "1.1", D("-1"), HOSTILE[1]]])
    assert_no_formula(data, HOSTILE[0], HOSTILE[1])
    numbers = [cell.value for cell in cells(data) if cell.data_type == "n" and cell.value]
    assert numbers == [-1]
    read = read_scores_file(data)
    assert read.rows[0].unit_code == "so-gddt"


def test_the_survey_template_holds_no_formula():
    data = write_survey_file(
        ["A", "=B"], [["so-gddt", HOSTILE[0], "2.1", HOSTILE[3], HOSTILE[1], 7, 3]]
    )
    assert_no_formula(data, "=B", HOSTILE[0], HOSTILE[1], HOSTILE[3])


@pytest.mark.django_db
def test_compute_results_writes_a_units_formula_like_name_as_text(unit_a):
    framework = make_framework(year=2016, block=unit_a.block)
    campaign = make_campaign(year=2016, frameworks=(framework,))
    unit_a.name = HOSTILE[0]
    unit_a.save()
    assessment = make_assessment(campaign=campaign, unit=unit_a, state="appraised")
    for leaf in framework.criteria.filter(parent__isnull=False):
        Score.objects.create(assessment=assessment, criterion=leaf, final_points=D("4"))
    out = StringIO()
    call_command("compute_results", "2016", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert rows[0]["unit_name"] == "'" + HOSTILE[0]
    assert rows[0]["total"] == "8.00"
