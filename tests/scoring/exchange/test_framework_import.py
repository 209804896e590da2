from decimal import Decimal

import pytest

from scoring.models import Framework
from scoring.services.frameworks import FrameworkImportError, framework_import
from tests.factories import make_assessment, make_block, make_campaign, make_framework, make_unit
from tests.scoring.workbooks import HEADER, INFO, ROWS, changed, info_with, nothing_written, xlsx


@pytest.fixture
def block(db):
    return make_block(code="so", name="Sở, ban, ngành")


def refused(data: bytes, **kwargs) -> list[str]:
    """The problems of a refused import, as text; asserts nothing was written."""
    kwargs = {"year": 2025, "block_code": "so", **kwargs}
    with nothing_written(), pytest.raises(FrameworkImportError) as caught:
        framework_import(file=data, **kwargs)
    return [str(problem) for problem in caught.value.problems]


def test_a_sound_workbook_becomes_a_framework_with_its_tree(block):
    framework = framework_import(file=xlsx(), year=2025, block_code="so")

    assert (framework.year, framework.block, framework.name) == (
        2025,
        block,
        "Bộ tiêu chí Chỉ số CCHC cấp sở năm 2025",
    )
    assert framework.source_decision == "Quyết định số 1294/QĐ-UBND"
    assert framework.illustrative and not framework.locked
    assert framework.consistency_problems() == []
    assert framework.max_points == Decimal("6")  # areas 1 and 2; the deductions are not counted
    by_code = {c.code: c for c in framework.criteria.select_related("parent")}
    assert sorted(by_code) == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "2", "2.1", "3", "3.1"]
    assert by_code["1.1.1"].parent.code == "1.1" and by_code["1"].parent is None
    assert by_code["1.1.1"].scale == [
        {"label": "Đúng hạn", "points": "1"},
        {"label": "Trễ hạn", "points": "0.5"},
        {"label": "Không ban hành", "points": "0"},
    ]
    assert by_code["1.1.2"].scale == [
        {"min_percent": "100", "points": "2"},
        {"min_percent": "80", "points": "1"},
        {"min_percent": "0", "points": "0"},
    ]
    assert by_code["1.2"].step == Decimal("0.25") and by_code["1.2"].na_allowed
    assert by_code["1.1.1"].evidence_required and not by_code["2.1"].evidence_required
    assert by_code["2.1"].method == "survey"
    assert by_code["1.1.1"].guidance == "Kế hoạch ban hành trước ngày 15/12 năm trước."


def test_a_parent_without_a_method_is_a_deduction_area_when_all_its_children_are(block):
    framework = framework_import(file=xlsx(), year=2025, block_code="so")
    methods = dict(framework.criteria.values_list("code", "method"))
    assert methods["3"] == "deduction" and methods["1"] == "direct" and methods["1.1"] == "direct"


def test_english_keys_any_case_and_accents_codes_and_decimal_commas_are_accepted(block):
    header = ["CODE", "title", "max_points", "Method", "step", "scale", "evidence", "na_allowed"]
    rows = [
        ["1", "Area", "2,5", "", None, None, None, None],
        ["1.1", "Levels", 1.5, "levels", None, "Yes=1,5; No=0", "yes", "no"],
        ["1.2", "Direct", "1", "DIRECT", "0,5", None, "x", ""],
    ]
    info = [("block", "SO"), ("year", "2025"), ("name", "English keys"), ("illustrative", "no")]
    data = xlsx(info=info, rows=rows, header=header, info_sheet="Info", criteria_sheet="criteria")
    framework = framework_import(file=data, year=2025, block_code="so")
    by_code = {c.code: c for c in framework.criteria.all()}
    assert by_code["1"].max_points == Decimal("2.5")
    assert by_code["1.1"].scale == [
        {"label": "Yes", "points": "1.5"},
        {"label": "No", "points": "0"},
    ]
    assert by_code["1.2"].step == Decimal("0.5") and by_code["1.2"].evidence_required


def test_float_noise_in_a_number_cell_is_the_number_excel_shows(block):
    # What Excel stores for formulas showing 0,25 and 1 (a product, a sum).
    rows = changed(r6_step=0.25000000000000006, r6_max_points=1.0000000000000002)
    framework = framework_import(file=xlsx(rows=rows), year=2025, block_code="so")
    leaf = framework.criteria.get(code="1.2")
    assert (leaf.step, leaf.max_points) == (Decimal("0.25"), Decimal("1"))


def test_vietnamese_headers_are_matched_without_case_or_accents(block):
    header = ["ma", "NỘI DUNG", "diem toi da", "Phuong phap", "Buoc diem", "Thang diem"]
    rows = [["1", "Lĩnh vực", 1, None], ["1.1.", "Tiêu chí", 1, "cham truc tiep", 1]]
    framework = framework_import(file=xlsx(rows=rows, header=header), year=2025, block_code="so")
    assert list(framework.criteria.values_list("code", flat=True).order_by("sort_key")) == [
        "1",
        "1.1",
    ]


def test_a_title_row_above_the_header_and_extra_columns_are_ignored(block):
    data = xlsx(
        header=["BỘ TIÊU CHÍ NĂM 2025"],
        rows=[[*HEADER, "Ghi chú"], *[[*row, "ghi chú"] for row in ROWS]],
    )
    framework = framework_import(file=data, year=2025, block_code="so")
    assert framework.criteria.count() == len(ROWS)


def test_the_file_gives_year_and_block_when_the_caller_does_not(block):
    framework = framework_import(file=xlsx())
    assert (framework.year, framework.block) == (2025, block)


# ---------------------------------------------------------------------------
# Refusals: each names the sheet, row and column, and nothing is written


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty."),
        (
            b"Ma;Noi dung\n1;Chi dao\n",
            "the file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel as "
            "“Excel Workbook (*.xlsx)” and try again.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "this is an old Excel 97–2003 file (.xls). Open it in Excel, save it as "
            "“Excel Workbook (*.xlsx)” and upload that file.",
        ),
    ],
    ids=["empty", "csv", "xls"],
)
def test_a_file_that_is_not_a_workbook_is_refused(block, english, data, expected):
    assert refused(data) == [expected]


def test_a_missing_sheet_is_named(block, english):
    assert refused(xlsx(rows=None)) == [
        "Tiêu chí: the workbook has no sheet named “Tiêu chí” (it has: Thông tin)."
    ]


def test_a_missing_required_column_is_named(block, english):
    header = [h for h in HEADER if h != "Điểm tối đa"]
    rows = [[v for i, v in enumerate(row) if i != 2] for row in ROWS]
    assert refused(xlsx(rows=rows, header=header)) == [
        "Tiêu chí, row 1, column Điểm tối đa: this required column is missing."
    ]


def test_a_sheet_without_criteria_is_refused(block, english):
    assert refused(xlsx(rows=[])) == ["Tiêu chí: the sheet has no criteria under its header row."]


def test_a_sheet_without_a_header_is_refused(block, english):
    assert refused(xlsx(header=["1", "Công tác chỉ đạo"], rows=[])) == [
        "Tiêu chí: no header row found: one of the first 10 rows must name the columns "
        "Mã, Nội dung, Điểm tối đa, Phương pháp."
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"r4_max_points": "một"},
            "Tiêu chí, row 4, column Điểm tối đa: “một” is not a number.",
        ),
        (
            {"r6_max_points": -1, "r2_max_points": 2},
            "Tiêu chí, row 6, column Điểm tối đa: the maximum points cannot be negative.",
        ),
        (
            {"r6_max_points": "1.125"},
            "Tiêu chí, row 6, column Điểm tối đa: “1.125” has more than two decimal places.",
        ),
        (
            {"r8_max_points": None},
            "Tiêu chí, row 8, column Điểm tối đa: the maximum points are missing.",
        ),
        (
            {"r6_method": "Chấm điểm"},
            "Tiêu chí, row 6, column Phương pháp: unknown method “Chấm điểm”: use one of "
            "Chấm trực tiếp, Theo mức, Tỷ lệ, Điều tra XHH, Điểm trừ, Điểm thưởng.",
        ),
        (
            {"r6_method": None},
            "Tiêu chí, row 6, column Phương pháp: a criterion without sub-criteria needs a "
            "scoring method: Chấm trực tiếp, Theo mức, Tỷ lệ, Điều tra XHH, Điểm trừ, Điểm thưởng.",
        ),
        (
            {"r2_method": "Lĩnh vực"},
            "Tiêu chí, row 2, column Phương pháp: unknown method “Lĩnh vực”: use one of "
            "Chấm trực tiếp, Theo mức, Tỷ lệ, Điều tra XHH, Điểm trừ, Điểm thưởng.",
        ),
        (
            {"r9_method": "Điểm trừ", "r10_method": "Trừ"},
            "Tiêu chí, row 10, column Phương pháp: unknown method “Trừ”: use one of "
            "Chấm trực tiếp, Theo mức, Tỷ lệ, Điều tra XHH, Điểm trừ, Điểm thưởng.",
        ),
        (
            {"r3_method": "Theo mức"},
            "Tiêu chí, row 3, column Phương pháp: a row with sub-criteria is not scored itself: "
            "leave the method empty (or write “Điểm trừ” for an area of deductions).",
        ),
        (
            {"r4_scale": "Đúng hạn: 1; Trễ hạn=0,5"},
            "Tiêu chí, row 4, column Thang điểm: “Đúng hạn: 1” should be written as "
            "level=points, e.g. Đúng hạn=1.",
        ),
        (
            {"r5_scale": "100%=2; 80%=một"},
            "Tiêu chí, row 5, column Thang điểm: in “80%=một”, “một” is not a number.",
        ),
        (
            {"r5_scale": "trên 100%=2; >=0%=0"},
            "Tiêu chí, row 5, column Thang điểm: “trên 100%=2” should be written as "
            ">=percentage%=points, e.g. >=80%=0,5.",
        ),
        (
            {"r4_scale": "Đúng hạn=2; Trễ hạn=0,5"},
            "Tiêu chí, row 4, column Thang điểm: scale points “2” must be between 0 and 1.",
        ),
        (
            {"r4_scale": "Đúng hạn=1"},
            "Tiêu chí, row 4, column Thang điểm: a scale needs at least two entries.",
        ),
        (
            {"r5_scale": ">=120%=2; >=0%=0"},
            "Tiêu chí, row 5, column Thang điểm: threshold “120” must be a percentage "
            "between 0 and 100.",
        ),
        (
            {"r8_scale": "Có=2; Không=0"},
            "Tiêu chí, row 8, column Thang điểm: only listed levels and ratios take a scale.",
        ),
        (
            {"r6_step": "0,3"},
            "Tiêu chí, row 6, column Bước điểm: the maximum 1 is not a multiple of the step 0.3.",
        ),
        (
            {"r6_step": 0},
            "Tiêu chí, row 6, column Bước điểm: the step must be greater than 0.",
        ),
        (
            {"r4_step": 0.5},
            "Tiêu chí, row 4, column Bước điểm: only criteria scored by “Chấm trực tiếp” take "
            "a step; leave this cell empty.",
        ),
        (
            {"r3_scale": "Có=1; Không=0"},
            "Tiêu chí, row 3, column Thang điểm: a row with sub-criteria is not scored itself: "
            "leave this cell empty.",
        ),
        (
            {"r6_evidence_required": "Cần"},
            "Tiêu chí, row 6, column Tài liệu kiểm chứng: write Có or Không, not “Cần”.",
        ),
        (
            {"r6_code": "1.2.a"},
            "Tiêu chí, row 6, column Mã: “1.2.a” is not a valid code: write numbers separated "
            "by dots, at most three levels, e.g. 3.2.1.",
        ),
        (
            {"r8_code": "2.1.1.1", "r7_max_points": 0},
            "Tiêu chí, row 8, column Mã: “2.1.1.1” is not a valid code: write numbers separated "
            "by dots, at most three levels, e.g. 3.2.1.",
        ),
        (
            {"r6_code": None},
            "Tiêu chí, row 6, column Mã: the code is missing.",
        ),
        (
            {"r6_title": " "},
            "Tiêu chí, row 6, column Nội dung: the content is missing.",
        ),
        (
            {"r6_code": "1.1.2", "r2_max_points": 3},
            "Tiêu chí, row 6, column Mã: the code 1.1.2 is already used on row 5.",
        ),
        (
            {"r8_code": "4.1"},
            "Tiêu chí, row 8, column Mã: its parent 4 is missing.",
        ),
        (
            {"r5_max_points": 3},
            "Tiêu chí, row 3, column Điểm tối đa: its maximum 3 is not the sum of its children's "
            "maxima (4).",
        ),
        (
            {"r9_method": "Điểm trừ", "r10_method": "Chấm trực tiếp"},
            "Tiêu chí, row 10, column Phương pháp: deductions, bonus points and ordinary "
            "criteria cannot be mixed under 3.",
        ),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) else "",
)
def test_a_bad_cell_is_named_with_its_row_and_column(block, english, cells, expected):
    assert refused(xlsx(rows=changed(**cells))) == [expected]


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (
            info_with(Năm="năm nay"),
            "Thông tin, row 2, column Năm: “năm nay” is not a year (write it like 2025).",
        ),
        (
            info_with(**{"Minh họa": "Có lẽ"}),
            "Thông tin, row 5, column Minh họa: write Có or Không, not “Có lẽ”.",
        ),
        (
            info_with(**{"Tên bộ tiêu chí": ""}),
            "Thông tin, row 3, column Tên bộ tiêu chí: the framework's name is empty.",
        ),
        (
            [entry for entry in INFO if entry[0] != "Tên bộ tiêu chí"],
            "Thông tin, column Tên bộ tiêu chí: the framework's name is missing: add a row "
            "“Tên bộ tiêu chí” with the name in column B.",
        ),
        (
            [*INFO, ("Năm", 2026)],
            "Thông tin, row 6, column Năm: this entry appears twice (also on row 2).",
        ),
    ],
    ids=["year", "illustrative", "empty-name", "no-name", "twice"],
)
def test_a_bad_information_entry_is_named(block, english, info, expected):
    assert refused(xlsx(info=info)) == [expected]


def test_an_unknown_block_in_the_file_is_named_with_the_known_codes(block, english):
    assert refused(xlsx(info=info_with(Khối="so-nv")), block_code=None) == [
        "Thông tin, row 1, column Khối: there is no block with the code “so-nv”; known codes: so."
    ]


def test_an_unknown_block_asked_for_is_refused(block, english):
    assert refused(xlsx(), block_code="huyen") == [
        "There is no block with the code “huyen”. Known codes: so."
    ]


def test_a_file_for_another_block_is_refused(block, english):
    make_block(code="huyen", name="UBND cấp huyện", position=2)
    assert refused(xlsx(), block_code="huyen") == [
        "Thông tin, row 1, column Khối: the file is for the block “Sở, ban, ngành” but you "
        "are importing into “UBND cấp huyện”: check that this is the right file."
    ]


def test_a_file_for_another_year_is_refused(block, english):
    assert refused(xlsx(), year=2026) == [
        "Thông tin, row 2, column Năm: the file is for 2025 but you are importing into 2026: "
        "check that this is the right file."
    ]


def test_a_block_named_rather_than_coded_is_understood(block):
    framework = framework_import(file=xlsx(info=info_with(Khối="sở, ban, ngành")), year=2025)
    assert framework.block == block


def test_a_framework_for_the_same_year_and_block_is_not_overwritten(block, english):
    make_framework(year=2025, block=block)
    assert refused(xlsx()) == [
        "A framework for Sở, ban, ngành in 2025 already exists. To overwrite it, import again "
        "and choose to replace it."
    ]


def test_replace_overwrites_an_unused_framework_in_place(block):
    existing = make_framework(year=2025, block=block, leaves=3)
    clone_source = make_framework(year=2024, block=block)
    Framework.objects.filter(pk=existing.pk).update(cloned_from=clone_source)

    framework = framework_import(file=xlsx(), year=2025, block_code="so", replace=True)

    assert framework.pk == existing.pk and framework.cloned_from is None
    assert framework.criteria.count() == len(ROWS)
    assert framework.name == "Bộ tiêu chí Chỉ số CCHC cấp sở năm 2025"


def test_replace_is_refused_for_a_locked_framework(block, english):
    existing = make_framework(year=2025, block=block)
    Framework.objects.filter(pk=existing.pk).update(locked=True)
    assert refused(xlsx(), replace=True) == [
        "The framework for Sở, ban, ngành in 2025 is locked because a campaign uses it, so it "
        "cannot be replaced."
    ]


def test_replace_is_refused_once_a_unit_is_assessed_on_it(block, english):
    existing = make_framework(year=2025, block=block)
    campaign = make_campaign(year=2025, frameworks=(existing,))
    make_assessment(campaign=campaign, unit=make_unit(block=block))
    assert refused(xlsx(), replace=True) == [
        "The framework for Sở, ban, ngành in 2025 already has assessments, so it cannot be "
        "replaced."
    ]


def test_every_bad_row_is_named_in_one_refusal(block, english):
    rows = changed(
        r4_max_points="x",
        r6_method="Khác",
        r8_code="2..1",
        r10_na_allowed="?",
    )
    problems = refused(xlsx(rows=rows, info=info_with(Năm=1800)))
    assert problems == [
        "Thông tin, row 2, column Năm: “1800” is not a year (write it like 2025).",
        "Tiêu chí, row 4, column Điểm tối đa: “x” is not a number.",
        "Tiêu chí, row 6, column Phương pháp: unknown method “Khác”: use one of "
        "Chấm trực tiếp, Theo mức, Tỷ lệ, Điều tra XHH, Điểm trừ, Điểm thưởng.",
        "Tiêu chí, row 8, column Mã: “2..1” is not a valid code: write numbers separated by "
        "dots, at most three levels, e.g. 3.2.1.",
        "Tiêu chí, row 10, column Không áp dụng: write Có or Không, not “?”.",
    ]


def test_the_refusal_says_how_many_problems_and_reads_in_vietnamese_order(block):
    with pytest.raises(FrameworkImportError) as caught:
        framework_import(file=xlsx(rows=changed(r4_max_points="x")), year=2025, block_code="so")
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Tiêu chí", 4, "Điểm tối đa")
    assert str(problem).startswith("Tiêu chí, ")


def test_the_refusal_message_counts_the_problems(block, english):
    with pytest.raises(FrameworkImportError) as caught:
        framework_import(file=xlsx(rows=changed(r4_max_points="x", r6_method="?")), year=2025)
    assert str(caught.value) == (
        "The file was refused because of 2 problems; nothing was imported."
    )


def test_codes_typed_as_numbers_are_read_as_codes(block):
    rows = changed(r2_code=1, r6_code=1.2, r7_code=2.0)
    framework = framework_import(file=xlsx(rows=rows), year=2025, block_code="so")
    assert set(framework.criteria.values_list("code", flat=True)) >= {"1", "1.2", "2"}


def test_a_column_given_twice_is_named(block, english):
    header = [*HEADER, "Điểm tối đa"]
    assert refused(xlsx(header=header)) == [
        "Tiêu chí, row 1, column Điểm tối đa: this column appears twice."
    ]


def test_a_title_too_long_for_the_database_is_named(block, english):
    assert refused(xlsx(rows=changed(r6_title="x" * 501))) == [
        "Tiêu chí, row 6, column Nội dung: too long: at most 500 characters, this has 501."
    ]


def test_a_sheet_far_too_long_is_refused_without_reading_on(block, english, monkeypatch):
    monkeypatch.setattr("scoring.exchange.framework_reader.MAX_CRITERIA_ROWS", 5)
    assert refused(xlsx()) == [
        "Tiêu chí, row 7: the sheet has more than 5 criteria; check for stray rows below the table."
    ]


def test_blank_rows_between_criteria_are_skipped_and_rows_keep_their_excel_numbers(block, english):
    rows = changed(r6_max_points="x")
    rows = [*rows[:3], [None] * 9, ["", " "], *rows[3:]]  # row 6 moves down to row 8
    assert refused(xlsx(rows=rows)) == ["Tiêu chí, row 8, column Điểm tối đa: “x” is not a number."]
