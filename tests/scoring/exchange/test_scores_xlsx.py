"""The unit's scoring sheet: what it holds, its round trip, and every way an upload fails."""

import datetime
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from scoring.exchange.bulk_scores_xlsx import COLUMNS as SCORE_COLUMNS
from scoring.exchange.bulk_scores_xlsx import write_scores_file
from scoring.exchange.scoring_sheet_reader import read_scoring_sheet
from scoring.exchange.workbook import OLE_SIGNATURE
from scoring.models import Assessment, Campaign, Score
from scoring.services.import_rows import ImportRefused
from scoring.services.score_changes import AssessmentError
from scoring.services.score_import import scores_import
from scoring.services.self_assessment import assessment_submit
from scoring.services.sheet_import import assessment_sheet_export, assessment_sheet_import
from tests.factories import make_assessment
from tests.scoring.conftest import fill_in, leaf
from tests.scoring.sheets import edit_sheet, nothing_written, sheet_rows

pytestmark = pytest.mark.django_db


def download(assessment) -> bytes:
    return assessment_sheet_export(assessment=assessment)[0]


def refused(assessment, actor, data: bytes) -> list[tuple]:
    """The problems of a refused upload as (sheet, row, column, message); checks nothing moved."""
    with nothing_written(), pytest.raises(ImportRefused) as caught:
        assessment_sheet_import(assessment=assessment, actor=actor, file=data)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


# -- what the sheet holds ---------------------------------------------------------------


def test_the_sheet_lists_every_criterion_with_how_it_is_scored(assessment, editor_a):
    rows = sheet_rows(download(assessment))
    assert list(rows) == ["1", "1.1", "1.2", "1.3", "2", "2.1"]
    assert rows["1.1"]["Nội dung"] == "Kế hoạch"
    assert rows["1.1"]["Điểm tối đa"] == 2
    assert rows["1.1"]["Phương pháp"] == "Chấm trực tiếp"
    assert rows["1.1"]["Cách chấm"] == "Từ 0 đến 2 điểm, bước 0,25"
    assert rows["1.1"]["Tài liệu kiểm chứng"] == "Có"
    assert rows["1.1"]["Được không áp dụng"] == "Không"
    assert rows["1.2"]["Cách chấm"] == "Đúng hạn=1; Chậm=0,5; Không thực hiện=0"
    assert rows["1.2"]["Được không áp dụng"] == "Có"
    assert rows["1.3"]["Cách chấm"] == ">=95%=2; >=80%=1 (tỷ lệ = tử số / mẫu số)"
    assert rows["2.1"]["Phương pháp"] == "Điều tra XHH"
    # An area is not scored: no method, no scale.
    assert rows["1"]["Phương pháp"] is None and rows["1"]["Cách chấm"] is None


def test_the_sheet_is_prefilled_with_the_units_entries(assessment, editor_a):
    fill_in(assessment, editor_a)
    rows = sheet_rows(download(assessment))
    assert rows["1.1"]["Điểm tự chấm"] == 2
    assert rows["1.1"]["Giải trình"] == "Kế hoạch số 12/KH ngày 05/01"
    assert rows["1.2"]["Mức đạt"] == "Đúng hạn"
    assert rows["1.2"]["Không áp dụng"] == "Không"
    assert (rows["1.3"]["Tử số"], rows["1.3"]["Mẫu số"]) == (90, 100)
    assert rows["1.3"]["Điểm tự chấm"] is None


def test_the_sheet_names_its_assessment(assessment):
    workbook = load_workbook(BytesIO(download(assessment)))
    info = {row[0]: row[1] for row in workbook["Thông tin"].iter_rows(values_only=True) if row[0]}
    assert info["Năm"] == 2016
    assert info["Mã đơn vị"] == "so-gddt"
    assert info["Đơn vị"] == "Sở Giáo dục và Đào tạo"
    assert info["Bộ tiêu chí"] == "Bộ tiêu chí 2016"


def test_only_the_units_cells_are_editable(assessment):
    workbook = load_workbook(BytesIO(download(assessment)))
    sheet = workbook["Chấm điểm"]
    assert sheet.protection.sheet
    header = {cell.value: cell.column for cell in sheet[1]}
    row_of = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}

    def unlocked(code: str) -> set[str]:
        return {
            name
            for name, column in header.items()
            if not sheet.cell(row=row_of[code], column=column).protection.locked
        }

    assert unlocked("1.1") == {"Điểm tự chấm", "Giải trình"}
    assert unlocked("1.2") == {"Mức đạt", "Không áp dụng", "Lý do không áp dụng", "Giải trình"}
    assert unlocked("1.3") == {"Tử số", "Mẫu số", "Giải trình"}
    assert unlocked("2.1") == set()
    assert unlocked("1") == set()


def test_levels_and_not_applicable_are_offered_as_lists(assessment):
    workbook = load_workbook(BytesIO(download(assessment)))
    sheet = workbook["Chấm điểm"]
    lists = workbook["Danh sách"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists[1]] == ["1.2", "Đúng hạn", "Chậm", "Không thực hiện"]
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    # 1.2 is on row 4: level in column I, not applicable in column L; 1.1's points in H3.
    assert validations["I4"].formula1 == "'Danh sách'!$B$1:$D$1"
    assert validations["L4"].formula1 == '"Có,Không"'
    assert (validations["H3"].formula1, validations["H3"].formula2) == ("0", "2")


# -- the round trip -------------------------------------------------------------------------


def test_a_filled_in_sheet_saves_every_changed_leaf_with_its_history(assessment, editor_a):
    fill_in(assessment, editor_a)
    data = edit_sheet(
        download(assessment),
        {
            "1.1": {"Điểm tự chấm": 1.5, "Giải trình": "Kế hoạch số 15/KH"},
            "1.2": {"Mức đạt": "Chậm"},
            "1.3": {"Tử số": 96, "Mẫu số": 100},
        },
    )
    result = assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)

    assert result.changed == ["1.1", "1.2", "1.3"]
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    assert scores["1.1"].self_points == D("1.5")
    assert scores["1.1"].self_explanation == "Kế hoạch số 15/KH"
    assert (scores["1.2"].self_points, scores["1.2"].self_input) == (D("0.5"), {"level": "Chậm"})
    assert scores["1.3"].self_points == D("2")
    assert scores["1.3"].self_input == {"numerator": "96", "denominator": "100"}
    for score in scores.values():
        latest = score.history.first()
        assert (latest.history_change_reason, latest.history_user) == ("import", editor_a)


def test_an_unchanged_sheet_changes_nothing(assessment, editor_a):
    fill_in(assessment, editor_a)
    data = download(assessment)
    with nothing_written():
        result = assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)
    assert result.changed == []


def test_a_first_entry_creates_the_score_and_empty_leaves_stay_absent(assessment, head_a):
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": "1,25"}})
    result = assessment_sheet_import(assessment=assessment, actor=head_a, file=data)
    assert result.changed == ["1.1"]
    score = Score.objects.get()
    assert (score.criterion.code, score.self_points) == ("1.1", D("1.25"))
    assert score.history.get().history_change_reason == "import"


def test_a_leaf_can_be_declared_not_applicable_and_emptied(assessment, editor_a):
    fill_in(assessment, editor_a)
    data = edit_sheet(
        download(assessment),
        {
            "1.2": {"Mức đạt": None, "Không áp dụng": "Có", "Lý do không áp dụng": "Không có"},
            "1.1": {"Điểm tự chấm": None, "Giải trình": None},
        },
    )
    assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)
    na = Score.objects.get(criterion=leaf(assessment, "1.2"))
    assert (na.not_applicable, na.na_reason, na.self_points) == (True, "Không có", None)
    emptied = Score.objects.get(criterion=leaf(assessment, "1.1"))
    assert (emptied.self_points, emptied.self_explanation) == (None, "")


# -- who and when ----------------------------------------------------------------------------


def test_only_the_units_officers_may_import(assessment, staff, appraiser, editor_b, english):
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 1}})
    for actor in (staff, appraiser, editor_b):
        with nothing_written(), pytest.raises(AssessmentError) as caught:
            assessment_sheet_import(assessment=assessment, actor=actor, file=data)
        assert str(caught.value) == "Only the unit's officers may fill in its self-assessment."


def test_nothing_is_imported_after_submission_or_the_deadline(
    assessment, editor_a, head_a, english
):
    fill_in(assessment, editor_a)
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 1}})
    Campaign.objects.filter(pk=assessment.campaign_id).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    assessment.refresh_from_db()
    with nothing_written(), pytest.raises(AssessmentError) as caught:
        assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)
    assert str(caught.value) == (
        "The self-assessment is closed: it was submitted or its deadline passed."
    )
    Campaign.objects.filter(pk=assessment.campaign_id).update(self_assessment_deadline=None)
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, actor=head_a)
    with nothing_written(), pytest.raises(AssessmentError):
        assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)


# -- every way a sheet is refused --------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (
            {"1.2": {"Mức đạt": "Sớm"}},
            (4, "Mức đạt", "unknown level “Sớm”: choose one of Đúng hạn; Chậm; Không thực hiện."),
        ),
        ({"1.1": {"Điểm tự chấm": 3}}, (3, "Điểm tự chấm", "Points must be between 0 and 2.")),
        ({"1.1": {"Điểm tự chấm": -1}}, (3, "Điểm tự chấm", "Points must be between 0 and 2.")),
        ({"1.1": {"Điểm tự chấm": 1.1}}, (3, "Điểm tự chấm", "Points go in steps of 0.25.")),
        (
            {"1.1": {"Điểm tự chấm": 1.125}},
            (3, "Điểm tự chấm", "“1.125” has more than two decimal places."),
        ),
        ({"1.1": {"Điểm tự chấm": "hai"}}, (3, "Điểm tự chấm", "“hai” is not a number.")),
        (
            {"1.3": {"Tử số": 120, "Mẫu số": 100}},
            (
                5,
                "Mẫu số",
                "The ratio needs 0 ≤ numerator ≤ denominator and a denominator above 0.",
            ),
        ),
        (
            {"1.3": {"Tử số": 5, "Mẫu số": 0}},
            (
                5,
                "Mẫu số",
                "The ratio needs 0 ≤ numerator ≤ denominator and a denominator above 0.",
            ),
        ),
        (
            {"1.3": {"Tử số": 90, "Mẫu số": None}},
            (5, "Mẫu số", "Enter both figures of the ratio."),
        ),
        (
            {"1.1": {"Không áp dụng": "Có", "Lý do không áp dụng": "Không có"}},
            (3, "Không áp dụng", "This criterion applies to every unit."),
        ),
        (
            {"1.2": {"Không áp dụng": "Có", "Mức đạt": None}},
            (4, "Lý do không áp dụng", "Say why the criterion does not apply to the unit."),
        ),
        (
            {"1.2": {"Không áp dụng": "Có", "Lý do không áp dụng": "Không có", "Mức đạt": "Chậm"}},
            (4, "Mức đạt", "the criterion is marked not applicable: leave this cell empty."),
        ),
        (
            {"1.2": {"Không áp dụng": "có lẽ"}},
            (4, "Không áp dụng", "write Có or Không, not “có lẽ”."),
        ),
        (
            {"1.2": {"Điểm tự chấm": 1}},
            (4, "Điểm tự chấm", "1.2 is scored by “Theo mức”: leave this cell empty."),
        ),
        (
            {"2.1": {"Điểm tự chấm": 4}},
            (7, "Điểm tự chấm", "Survey criteria are scored from the survey results."),
        ),
        (
            {"1": {"Giải trình": "Tốt"}},
            (
                2,
                "Giải trình",
                "a row with sub-criteria is not scored itself: leave this cell empty.",
            ),
        ),
        (
            {"1.3": {"Mã": "1.9"}},
            (5, "Mã", "there is no criterion 1.9 in the framework “Bộ tiêu chí 2016”."),
        ),
        ({"1.3": {"Mã": "1.1"}}, (5, "Mã", "the code 1.1 is already used on row 3.")),
        ({"1.3": {"Mã": None}}, (5, "Mã", "the code is missing.")),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_saved(assessment, editor_a, english, cells, problem):
    fill_in(assessment, editor_a)
    data = edit_sheet(download(assessment), cells)
    assert refused(assessment, editor_a, data) == [("Chấm điểm", *problem)]


def test_every_problem_of_a_sheet_is_named_at_once(assessment, editor_a, english):
    data = edit_sheet(
        download(assessment),
        {"1.1": {"Điểm tự chấm": 5}, "1.2": {"Mức đạt": "Sớm"}, "1.3": {"Tử số": "x"}},
        append=[["9.9", None, None, None, None, None, None, 1]],
    )
    problems = refused(assessment, editor_a, data)
    assert [(row, column) for _sheet, row, column, _message in problems] == [
        (3, "Điểm tự chấm"),
        (4, "Mức đạt"),
        (5, "Tử số"),
        (8, "Mã"),
    ]


@pytest.mark.parametrize(
    ("info", "problem"),
    [
        (
            {"Mã đơn vị": "so-gtvt"},
            (
                1,
                "Mã đơn vị",
                "this sheet belongs to unit so-gtvt for 2016, not to so-gddt for 2016: "
                "download this assessment's own sheet.",
            ),
        ),
        (
            {"Năm": 2015},
            (
                0,
                "Năm",
                "this sheet belongs to unit so-gddt for 2015, not to so-gddt for 2016: "
                "download this assessment's own sheet.",
            ),
        ),
        (
            {"Mã đơn vị": None},
            (
                1,
                "Mã đơn vị",
                "the file does not say which assessment it belongs to (Năm and Mã đơn vị): "
                "download this assessment's own sheet and fill that in.",
            ),
        ),
    ],
)
def test_a_sheet_of_another_assessment_is_refused(assessment, editor_a, english, info, problem):
    row, column, message = problem
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 1}}, info=info)
    assert refused(assessment, editor_a, data) == [("Thông tin", row + 1, column, message)]


def test_another_units_sheet_is_refused(assessment, unit_b, editor_a, english):
    other = make_assessment(campaign=assessment.campaign, unit=unit_b)
    problems = refused(assessment, editor_a, download(other))
    assert [p[3] for p in problems] == [
        "this sheet belongs to unit so-gtvt for 2016, not to so-gddt for 2016: "
        "download this assessment's own sheet."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty."),
        (
            b"Ma,Diem\n1.1,2\n",
            "the file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel "
            "as “Excel Workbook (*.xlsx)” and try again.",
        ),
        (
            OLE_SIGNATURE + b"\0" * 100,
            "this is an old Excel 97–2003 file (.xls). Open it in Excel, save it as "
            "“Excel Workbook (*.xlsx)” and upload that file.",
        ),
    ],
)
def test_a_file_that_is_no_workbook_is_refused(assessment, editor_a, english, data, message):
    assert refused(assessment, editor_a, data) == [("", None, "", message)]


def test_a_workbook_without_the_sheets_or_columns_is_refused(assessment, editor_a, english):
    workbook = load_workbook(BytesIO(download(assessment)))
    del workbook["Thông tin"]
    workbook["Chấm điểm"].delete_cols(14)  # Giải trình
    buffer = BytesIO()
    workbook.save(buffer)
    assert refused(assessment, editor_a, buffer.getvalue()) == [
        (
            "Thông tin",
            None,
            "",
            "the workbook has no sheet named “Thông tin” (it has: Chấm điểm, Danh sách).",
        ),
        ("Chấm điểm", 1, "Giải trình", "this required column is missing."),
    ]


def test_reading_accepts_english_headers_and_any_case(assessment):
    workbook = load_workbook(BytesIO(download(assessment)))
    sheet = workbook["Chấm điểm"]
    sheet.title = "SCORES"
    sheet.cell(row=1, column=8, value="self points")
    sheet.cell(row=1, column=14, value="GIAI TRINH")
    sheet.cell(row=3, column=8, value=1)
    buffer = BytesIO()
    workbook.save(buffer)
    read = read_scoring_sheet(buffer.getvalue())
    assert read.problems == []
    assert read.table.sheet == "SCORES"
    assert {entry.code: entry.cells.points for entry in read.entries}["1.1"] == 1


def test_an_assessment_in_another_state_keeps_its_scores(assessment, editor_a, english):
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.IN_APPRAISAL)
    assessment.refresh_from_db()
    with nothing_written(), pytest.raises(AssessmentError):
        assessment_sheet_import(assessment=assessment, actor=editor_a, file=download(assessment))


# == the staff's scores file (import_scores) ==================================================

FIELDS = [column.field for column in SCORE_COLUMNS]


def score_row(unit: str, code: str, **values: object) -> list[object]:
    """A row of a scores file in the exporter's column order, cells named by field."""
    row = dict.fromkeys(FIELDS)
    row.update(unit_code=unit, code=code, **values)
    return [row[name] for name in FIELDS]


def scores_file(*rows: list[object]) -> bytes:
    return write_scores_file(rows)


@pytest.fixture
def both(assessment, unit_b):
    """The assessments of units A and B in the 2016 campaign."""
    return assessment, make_assessment(campaign=assessment.campaign, unit=unit_b)


def import_scores(campaign, data: bytes, actor):
    return scores_import(campaign=campaign, file=data, actor=actor)


def refused_scores(campaign, data: bytes, actor) -> list[tuple]:
    with nothing_written(), pytest.raises(ImportRefused) as caught:
        scores_import(campaign=campaign, file=data, actor=actor)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


def test_a_scores_file_brings_self_appraised_and_final_points_of_many_units(both, staff):
    a, b = both
    units = import_scores(
        a.campaign,
        scores_file(
            score_row("so-gddt", "1.1", points=2, appraised_points=1.5, appraisal_note="Thiếu"),
            score_row("so-gddt", "1.2", level="Chậm", final_points=0.5),
            score_row("SO-GTVT", "1.3", numerator=85, denominator=100, appraised_points=1),
            score_row("so-gtvt", "1.2", not_applicable="Có", na_reason="Không có chức năng"),
        ),
        staff,
    )
    assert [(u.unit.code, u.rows, u.changed) for u in units] == [
        ("so-gddt", 2, ["1.1", "1.2"]),
        ("so-gtvt", 2, ["1.3", "1.2"]),
    ]
    score = Score.objects.get(assessment=a, criterion=leaf(a, "1.1"))
    assert (score.self_points, score.appraised_points, score.appraisal_note) == (
        D("2"),
        D("1.5"),
        "Thiếu",
    )
    score = Score.objects.get(assessment=a, criterion=leaf(a, "1.2"))
    assert (score.self_points, score.self_input, score.final_points) == (
        D("0.5"),
        {"level": "Chậm"},
        D("0.5"),
    )
    score = Score.objects.get(assessment=b, criterion=leaf(b, "1.3"))
    assert (score.self_points, score.appraised_points) == (D("1"), D("1"))
    score = Score.objects.get(assessment=b, criterion=leaf(b, "1.2"))
    assert (score.not_applicable, score.na_reason) == (True, "Không có chức năng")
    history = Score.history.all()
    assert {(h.history_change_reason, h.history_user) for h in history} == {("import", staff)}


def test_spreadsheet_float_noise_is_read_as_the_points_excel_shows(assessment, editor_a, staff):
    fill_in(assessment, editor_a)
    # What Excel stores for cells showing 1,25 and 0,5 (a sum, a product).
    import_scores(
        assessment.campaign,
        scores_file(
            score_row("so-gddt", "1.1", appraised_points=1.2500000000000002, appraisal_note="x"),
            score_row("so-gddt", "1.2", appraised_points=0.49999999999999994, appraisal_note="x"),
        ),
        staff,
    )
    appraised = dict(assessment.scores.values_list("criterion__code", "appraised_points"))
    assert (appraised["1.1"], appraised["1.2"]) == (D("1.25"), D("0.5"))


def test_the_scoring_sheet_reads_float_noise_as_the_points_shown(assessment, editor_a):
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 0.7500000000000001}})
    assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)
    assert assessment.scores.get(criterion__code="1.1").self_points == D("0.75")


def test_the_history_of_an_imported_score_names_the_staff_member(assessment, editor_a, staff):
    fill_in(assessment, editor_a)
    import_scores(
        assessment.campaign,
        scores_file(score_row("so-gddt", "1.1", appraised_points=1.5, appraisal_note="Thiếu")),
        staff,
    )
    score = Score.objects.get(criterion=leaf(assessment, "1.1"))
    history = list(score.history.order_by("history_id"))
    assert [(h.history_change_reason, h.history_user) for h in history] == [
        ("self_assessment", editor_a),
        ("import", staff),
    ]
    assert history[-1].appraised_points == D("1.5")
    assert score.updated_by == staff


def test_an_empty_cell_changes_nothing(assessment, editor_a, staff):
    fill_in(assessment, editor_a)
    import_scores(
        assessment.campaign, scores_file(score_row("so-gddt", "1.1", appraised_points=2)), staff
    )
    score = Score.objects.get(criterion=leaf(assessment, "1.1"))
    assert (score.self_points, score.appraised_points) == (D("2"), D("2"))
    assert score.self_explanation == "Kế hoạch số 12/KH ngày 05/01"
    again = import_scores(
        assessment.campaign, scores_file(score_row("so-gddt", "1.1", appraised_points=2)), staff
    )
    assert again[0].changed == []


def test_a_file_with_only_some_columns_is_read(assessment, editor_a, staff):
    fill_in(assessment, editor_a)
    workbook = Workbook()
    workbook.active.append(["Mã đơn vị", "Mã tiêu chí", "Điểm thẩm định", "Ý kiến thẩm định"])
    workbook.active.append(["so-gddt", "1.3", 1, "Tỷ lệ chưa đạt 95%"])
    buffer = BytesIO()
    workbook.save(buffer)
    import_scores(assessment.campaign, buffer.getvalue(), staff)
    score = Score.objects.get(criterion=leaf(assessment, "1.3"))
    assert (score.appraised_points, score.appraisal_note) == (D("1"), "Tỷ lệ chưa đạt 95%")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            score_row("so-xyz", "1.1", points=1),
            ("Mã đơn vị", "there is no unit with the code “so-xyz”."),
        ),
        (
            score_row("so-gtvt", "1.1", points=1),
            ("Mã đơn vị", "Sở Giao thông vận tải has no assessment in the 2016 campaign."),
        ),
        (
            score_row("so-gddt", "1.9", points=1),
            ("Mã tiêu chí", "there is no criterion 1.9 in the framework “Bộ tiêu chí 2016”."),
        ),
        (
            score_row("so-gddt", "1", points=1),
            ("Mã tiêu chí", "1 has sub-criteria and is not scored itself."),
        ),
        (
            score_row("so-gddt", "2.1", points=1),
            ("Mã tiêu chí", "Survey criteria are scored from the survey results."),
        ),
        (
            score_row("so-gddt", "1.1", points=2.5),
            ("Điểm tự chấm", "Points must be between 0 and 2."),
        ),
        (
            score_row("so-gddt", "1.1", appraised_points=3),
            ("Điểm thẩm định", "Points must be between 0 and 2."),
        ),
        (
            score_row("so-gddt", "1.1", final_points="nhiều"),
            ("Điểm chính thức", "“nhiều” is not a number."),
        ),
        # Appraised and final points follow the leaf's rule, as self-assessed points do.
        (
            score_row("so-gddt", "1.1", appraised_points=1.4, appraisal_note="Thiếu"),
            ("Điểm thẩm định", "Points go in steps of 0.25."),
        ),
        (
            score_row("so-gddt", "1.2", final_points=0.75),
            ("Điểm chính thức", "1.2 takes one of these points: 1; 0.5; 0."),
        ),
        (
            score_row("so-gddt", "1.3", appraised_points=1.5, appraisal_note="Thiếu"),
            ("Điểm thẩm định", "1.3 takes one of these points: 2; 1; 0."),
        ),
        (
            score_row("so-gddt", "1.1", appraised_points=1),
            (
                "Điểm thẩm định",
                "Write a note saying why 1.1 gets fewer points than the unit claimed.",
            ),
        ),
        (
            score_row("so-gddt", "1.2", level="Sớm"),
            ("Mức đạt", "unknown level “Sớm”: choose one of Đúng hạn; Chậm; Không thực hiện."),
        ),
        (
            score_row("so-gddt", "1.3", numerator=101, denominator=100),
            (
                "Mẫu số",
                "The ratio needs 0 ≤ numerator ≤ denominator and a denominator above 0.",
            ),
        ),
        (
            score_row("so-gddt", "1.1", not_applicable="Có", na_reason="Không có"),
            ("Không áp dụng", "This criterion applies to every unit."),
        ),
        (
            score_row("so-gddt", "1.2", not_applicable="Có", na_reason="Không có", final_points=1),
            ("Điểm chính thức", "the criterion is marked not applicable: leave this cell empty."),
        ),
        (
            score_row("so-gddt", "1.2", points=1),
            ("Điểm tự chấm", "1.2 is scored by “Theo mức”: leave this cell empty."),
        ),
        (score_row("", "1.2", points=1), ("Mã đơn vị", "the unit code is missing.")),
    ],
)
def test_a_bad_row_of_a_scores_file_is_named_and_nothing_is_saved(
    assessment, unit_b, editor_a, staff, english, row, problem
):
    fill_in(assessment, editor_a)
    good = score_row("so-gddt", "1.1", appraised_points=2, appraisal_note="Đạt")
    data = scores_file(row, good) if row[2] != "1.1" else scores_file(row)
    assert refused_scores(assessment.campaign, data, staff) == [("Điểm", 2, *problem)]


def test_every_bad_row_of_a_scores_file_is_named(assessment, staff, english):
    data = scores_file(
        score_row("so-xyz", "1.1", points=1),
        score_row("so-gddt", "1.1", points="x"),
        score_row("so-gddt", "1.2", level="Chậm"),
        score_row("so-gddt", "1.2", level="Đúng hạn"),
    )
    assert refused_scores(assessment.campaign, data, staff) == [
        ("Điểm", 2, "Mã đơn vị", "there is no unit with the code “so-xyz”."),
        ("Điểm", 3, "Điểm tự chấm", "“x” is not a number."),
        ("Điểm", 5, "Mã tiêu chí", "unit so-gddt, criterion 1.2 is already on row 4."),
    ]


def test_published_scores_never_change(assessment, staff, english):
    data = scores_file(score_row("so-gddt", "1.1", points=1))
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.PUBLISHED)
    assert refused_scores(assessment.campaign, data, staff) == [
        (
            "Điểm",
            2,
            "Mã đơn vị",
            "the assessment of Sở Giáo dục và Đào tạo is published: "
            "its scores can no longer change.",
        )
    ]
    Campaign.objects.filter(pk=assessment.campaign_id).update(status=Campaign.Status.PUBLISHED)
    assessment.campaign.refresh_from_db()
    problems = refused_scores(assessment.campaign, data, staff)
    assert problems[0] == (
        "",
        None,
        "",
        "The 2016 results are published: their scores can no longer change.",
    )


def test_a_scores_file_of_the_wrong_shape_is_refused(assessment, staff, english):
    workbook = Workbook()
    workbook.active.title = "Khác"
    workbook.create_sheet("Khác nữa")
    buffer = BytesIO()
    workbook.save(buffer)
    assert refused_scores(assessment.campaign, buffer.getvalue(), staff) == [
        (
            "Điểm",
            None,
            "",
            "the workbook has no sheet named “Điểm” (it has: Khác, Khác nữa).",
        )
    ]
    workbook = Workbook()
    workbook.active.append(["Mã tiêu chí", "Điểm tự chấm"])
    workbook.active.append(["1.1", 1])
    buffer = BytesIO()
    workbook.save(buffer)
    assert refused_scores(assessment.campaign, buffer.getvalue(), staff) == [
        ("Sheet", 1, "Mã đơn vị", "this required column is missing.")
    ]
    assert refused_scores(assessment.campaign, b"", staff) == [("", None, "", "the file is empty.")]


@pytest.mark.parametrize("who", ["appraiser", "editor_a", "head_a", "editor_b", "anonymous"])
def test_only_staff_may_import_scores(assessment, unit_b, editor_a, request, english, who):
    fill_in(assessment, editor_a)
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    data = scores_file(
        score_row("so-gddt", "1.1", appraised_points=1.5, appraisal_note="Thiếu"),
        score_row("so-gddt", "1.2", final_points=0.5),
    )
    with nothing_written(), pytest.raises(AssessmentError) as caught:
        scores_import(campaign=assessment.campaign, file=data, actor=actor)
    assert str(caught.value) == "Only Interior Department staff import scores."
    # Refused before the file is read: an unreadable one gets the same answer.
    with pytest.raises(AssessmentError):
        scores_import(campaign=assessment.campaign, file=b"", actor=actor)


# -- the command -----------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_scores_prints_a_summary_per_unit(both, staff, tmp_path, english):
    path = tmp_path / "diem-2016.xlsx"
    path.write_bytes(
        scores_file(
            score_row("so-gddt", "1.1", points=2),
            score_row("so-gtvt", "1.1", points=1),
            score_row("so-gtvt", "1.2", level="Chậm"),
        )
    )
    out, _err = run("import_scores", str(path), "--year", "2016", "--actor", "staff")
    assert out.splitlines() == [
        "Sở Giáo dục và Đào tạo (so-gddt): 1 rows, 1 criteria changed (1.1).",
        "Sở Giao thông vận tải (so-gtvt): 2 rows, 2 criteria changed (1.1, 1.2).",
    ]
    assert Score.objects.count() == 3
    assert {(h.history_change_reason, h.history_user) for h in Score.history.all()} == {
        ("import", staff)
    }


def test_import_scores_dry_run_writes_nothing(assessment, staff, tmp_path, english):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(scores_file(score_row("so-gddt", "1.1", points=2)))
    with nothing_written():
        out, _err = run(
            "import_scores", str(path), "--year", "2016", "--actor", "staff", "--dry-run"
        )
    assert out.splitlines() == [
        "Dry run: the file is valid and nothing was written.",
        "Sở Giáo dục và Đào tạo (so-gddt): 1 rows, 1 criteria changed (1.1).",
    ]


def test_import_scores_prints_every_problem_and_fails(assessment, staff, tmp_path, english):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(
        scores_file(score_row("so-xyz", "1.1", points=2), score_row("so-gddt", "1.1", points=9))
    )
    err = StringIO()
    with nothing_written(), pytest.raises(CommandError) as caught:
        call_command(
            "import_scores",
            str(path),
            "--year",
            "2016",
            "--actor",
            "staff",
            stdout=StringIO(),
            stderr=err,
        )
    assert str(caught.value) == "The file was refused because of 2 problems; nothing was imported."
    assert err.getvalue().splitlines() == [
        "Điểm, row 2, column Mã đơn vị: there is no unit with the code “so-xyz”.",
        "Điểm, row 3, column Điểm tự chấm: Points must be between 0 and 2.",
    ]


def test_import_scores_needs_a_campaign_and_a_file(assessment, staff, tmp_path, english):
    with pytest.raises(CommandError, match="No campaign for 2030. Campaigns: 2016."):
        run("import_scores", str(tmp_path / "x.xlsx"), "--year", "2030", "--actor", "staff")
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_scores", str(tmp_path / "x.xlsx"), "--year", "2016", "--actor", "staff")


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ((), "Error: the following arguments are required: --actor"),
        (("--actor", "nobody"), "There is no user “nobody”."),
        (("--actor", "editor_a"), "Only Interior Department staff import scores."),
        (("--actor", "appraiser"), "Only Interior Department staff import scores."),
    ],
)
def test_import_scores_acts_only_for_a_staff_member(
    assessment, staff, editor_a, appraiser, tmp_path, english, actor, message
):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(scores_file(score_row("so-gddt", "1.1", points=2)))
    with nothing_written(), pytest.raises(CommandError) as caught:
        run("import_scores", str(path), "--year", "2016", *actor)
    assert str(caught.value) == message
