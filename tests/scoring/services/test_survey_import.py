"""Survey results from a workbook: counts replace what they name, every bad cell is named."""

from datetime import UTC, datetime
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from scoring.exchange.survey_xlsx import write_survey_file
from scoring.models import Assessment, Campaign, SurveyAnswer, SurveyResult
from scoring.services.import_rows import ImportRefused
from scoring.services.score_changes import AssessmentError
from scoring.services.survey_import import survey_import
from tests.factories import make_assessment, make_unit
from tests.scoring.conftest import leaf
from tests.scoring.sheets import nothing_written
from units.access import user_roles

pytestmark = pytest.mark.django_db
ANSWERS = ("A", "B", "C", "D")


@pytest.fixture
def campaign(assessment, unit_b):
    """2016: units A and B assessed, answers weighted 100 / 60 / 20 / 0 %."""
    campaign = assessment.campaign
    make_assessment(campaign=campaign, unit=unit_b)
    for code, weight in zip(ANSWERS, (100, 60, 20, 0), strict=True):
        SurveyAnswer.objects.create(campaign=campaign, code=code, weight_percent=weight)
    return campaign


def survey_file(*rows, answers=ANSWERS) -> bytes:
    """Rows of (unit code, criterion code, group, counts...) with the names left empty."""
    return write_survey_file(
        answers, [[unit, None, code, None, group, *counts] for unit, code, group, *counts in rows]
    )


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(campaign, data: bytes, actor) -> list[tuple]:
    with nothing_written(), pytest.raises(ImportRefused) as caught:
        survey_import(campaign=campaign, file=data, actor=actor)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


def counts_of(assessment) -> dict[str, dict]:
    return {
        r.respondent_group: r.answer_counts
        for r in SurveyResult.objects.filter(assessment=assessment)
    }


def test_survey_counts_are_stored_and_turned_into_points(campaign, assessment, staff):
    units = survey_import(
        campaign=campaign,
        actor=staff,
        file=survey_file(
            ("so-gddt", "2.1", "Lãnh đạo các huyện", 10, 5, 5, 0),
            ("so-gddt", "2.1", "Người dân", 20, 0, 0, 10),
            ("so-gtvt", "2.1", "Người dân", 8, 2, None, None),
        ),
    )
    assert counts_of(assessment) == {
        "Lãnh đạo các huyện": {"A": 10, "B": 5, "C": 5, "D": 0},
        "Người dân": {"A": 20, "B": 0, "C": 0, "D": 10},
    }
    # Pooled: 30 A, 5 B, 5 C, 10 D of 50 → 5 × (3000 + 300 + 100) / 5000 = 3.4
    by_unit = {u.assessment.unit.code: u for u in units}
    gddt = by_unit["so-gddt"]
    assert (gddt.total, gddt.maximum) == (D("3.4"), D("5"))
    assert gddt.leaves[0].groups == ["Lãnh đạo các huyện", "Người dân"]
    assert gddt.leaves[0].respondents == 50
    # 8 A, 2 B of 10 → 5 × 920 / 1000 = 4.6
    assert by_unit["so-gtvt"].total == D("4.6")


def test_a_row_replaces_its_group_and_keeps_the_others(campaign, assessment, staff):
    criterion = leaf(assessment, "2.1")
    for group in ("Người dân", "Cán bộ, công chức"):
        SurveyResult.objects.create(
            assessment=assessment,
            criterion=criterion,
            respondent_group=group,
            answer_counts={"A": 1, "B": 1, "C": 1, "D": 1},
        )
    long_ago = datetime(2016, 1, 4, tzinfo=UTC)
    SurveyResult.objects.update(imported_at=long_ago)
    survey_import(
        campaign=campaign,
        file=survey_file(("SO-GDDT", "2.1", "Người dân", 3, 0, 0, 0)),
        actor=staff,
    )
    assert counts_of(assessment) == {
        "Người dân": {"A": 3, "B": 0, "C": 0, "D": 0},
        "Cán bộ, công chức": {"A": 1, "B": 1, "C": 1, "D": 1},
    }
    assert SurveyResult.objects.count() == 2
    imported_at = dict(SurveyResult.objects.values_list("respondent_group", "imported_at"))
    assert imported_at["Người dân"] > long_ago
    assert imported_at["Cán bộ, công chức"] == long_ago


def test_answer_columns_may_be_left_out_and_names_and_notes_added(campaign, assessment, staff):
    data = workbook(
        ["Kết quả điều tra xã hội học năm 2016"],
        ["Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Nhóm đối tượng", "a", "B", "Ghi chú"],
        ["so-gddt", "Sở Giáo dục và Đào tạo", "2.1", "", 4, 1, "Phiếu giấy"],
    )
    survey_import(campaign=campaign, file=data, actor=staff)
    assert counts_of(assessment) == {"": {"A": 4, "B": 1, "C": 0, "D": 0}}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            ("so-xyz", "2.1", "Người dân", 1, 0, 0, 0),
            ("Mã đơn vị", "there is no unit with the code “so-xyz”."),
        ),
        (
            ("so-khcn", "2.1", "Người dân", 1, 0, 0, 0),
            ("Mã đơn vị", "Sở Khoa học và Công nghệ has no assessment in the 2016 campaign."),
        ),
        (
            ("so-gddt", "1.1", "Người dân", 1, 0, 0, 0),
            ("Mã tiêu chí", "1.1 is not a survey criterion of the framework “Bộ tiêu chí 2016”."),
        ),
        (
            ("so-gddt", "2", "Người dân", 1, 0, 0, 0),
            ("Mã tiêu chí", "2 is not a survey criterion of the framework “Bộ tiêu chí 2016”."),
        ),
        (
            ("so-gddt", "9.1", "Người dân", 1, 0, 0, 0),
            ("Mã tiêu chí", "9.1 is not a survey criterion of the framework “Bộ tiêu chí 2016”."),
        ),
        (
            ("so-gddt", "2.1", "Người dân", 1, -2, 0, 0),
            ("B", "“-2” is not a count: write a whole number, 0 or more."),
        ),
        (
            ("so-gddt", "2.1", "Người dân", 1, 0, 2.5, 0),
            ("C", "“2.5” is not a count: write a whole number, 0 or more."),
        ),
        (
            ("so-gddt", "2.1", "Người dân", 1, 0, 0, "mười"),
            ("D", "“mười” is not a count: write a whole number, 0 or more."),
        ),
        (
            ("so-gddt", "2.1", "Lãnh đạo", 1, 0, 0, 0),
            (
                "Nhóm đối tượng",
                "unit so-gddt, criterion 2.1, group “Lãnh đạo” is already on row 2.",
            ),
        ),
        (("", "2.1", "Người dân", 1, 0, 0, 0), ("Mã đơn vị", "the unit code is missing.")),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(campaign, staff, english, row, problem):
    make_unit(name="Sở Khoa học và Công nghệ", code="so-khcn")  # a unit not assessed in 2016
    data = survey_file(("so-gddt", "2.1", "Lãnh đạo", 5, 0, 0, 0), row)
    assert refused(campaign, data, staff) == [("Điều tra", 3, *problem)]


def test_every_problem_of_a_survey_file_is_named(campaign, staff, english):
    data = survey_file(
        ("so-xyz", "2.1", "", 1, 0, 0, 0),
        ("so-gddt", "1.2", "", -1, 0, 0, 0),
        answers=("A", "B", "E", "D"),
    )
    assert refused(campaign, data, staff) == [
        (
            "Điều tra",
            1,
            "E",
            "unknown answer “E”: this campaign's answers are A, B, C, D.",
        ),
        ("Điều tra", 2, "Mã đơn vị", "there is no unit with the code “so-xyz”."),
        ("Điều tra", 3, "A", "“-1” is not a count: write a whole number, 0 or more."),
        (
            "Điều tra",
            3,
            "Mã tiêu chí",
            "1.2 is not a survey criterion of the framework “Bộ tiêu chí 2016”.",
        ),
    ]


def test_a_total_must_be_the_sum_of_the_answers(campaign, staff, english):
    data = workbook(
        ["Mã đơn vị", "Mã tiêu chí", "Nhóm đối tượng", "A", "B", "C", "D", "Tổng số phiếu"],
        ["so-gddt", "2.1", "Người dân", 10, 5, 0, 0, 16],
        ["so-gtvt", "2.1", "Người dân", 10, 5, 0, 0, 15],
    )
    assert refused(campaign, data, staff) == [
        ("Sheet", 2, "Tổng số phiếu", "the total 16 is not the sum of the answers (15)."),
    ]


def test_a_survey_file_of_the_wrong_shape_is_refused(campaign, staff, english):
    assert refused(campaign, workbook(["Mã đơn vị", "Mã tiêu chí", "Nhóm đối tượng"]), staff) == [
        ("Sheet", None, "", "the sheet has no rows under its header row."),
        (
            "Sheet",
            1,
            "",
            "no answer columns: add one column per answer, headed A, B, C, D.",
        ),
    ]
    assert refused(
        campaign, workbook(["Mã đơn vị", "Nhóm đối tượng", "A"], ["so-gddt", "", 1]), staff
    ) == [("Sheet", 1, "Mã tiêu chí", "this required column is missing.")]
    assert refused(campaign, b"PK\x03\x04 not really", staff) == [
        (
            "",
            None,
            "",
            "the file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel "
            "as “Excel Workbook (*.xlsx)” and try again.",
        )
    ]
    assert refused(campaign, survey_file(), staff) == [
        ("Điều tra", None, "", "the sheet has no rows under its header row.")
    ]


def test_a_campaign_without_answers_or_published_takes_no_survey(campaign, staff, english):
    data = survey_file(("so-gddt", "2.1", "", 1, 0, 0, 0))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PUBLISHED)
    campaign.refresh_from_db()
    assert refused(campaign, data, staff) == [
        ("", None, "", "The 2016 results are published: their scores can no longer change.")
    ]
    campaign.survey_answers.all().delete()
    assert refused(campaign, data, staff) == [
        (
            "",
            None,
            "",
            "The 2016 campaign has no survey answers yet: set its answers (A, B, C, D…) "
            "and their weights first.",
        )
    ]


def test_a_published_assessment_takes_no_survey(campaign, assessment, staff, english):
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.PUBLISHED)
    assert refused(campaign, survey_file(("so-gddt", "2.1", "", 1, 0, 0, 0)), staff) == [
        (
            "Điều tra",
            2,
            "Mã đơn vị",
            "the assessment of Sở Giáo dục và Đào tạo is published: "
            "its scores can no longer change.",
        )
    ]


@pytest.mark.parametrize("who", ["appraiser", "editor_a", "head_a", "editor_b", "anonymous"])
def test_only_staff_may_import_survey_results(campaign, assessment, request, english, who):
    SurveyResult.objects.create(
        assessment=assessment,
        criterion=leaf(assessment, "2.1"),
        respondent_group="Người dân",
        answer_counts={"A": 1, "B": 1, "C": 1, "D": 1},
    )
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    data = survey_file(
        ("so-gddt", "2.1", "Người dân", 3, 0, 0, 0), ("so-gtvt", "2.1", "", 1, 0, 0, 0)
    )
    with nothing_written(), pytest.raises(AssessmentError) as caught:
        survey_import(campaign=campaign, file=data, actor=actor)
    assert str(caught.value) == "Only Interior Department staff import survey results."


def import_queries(campaign, actor, *, rows: int, prefix: str) -> CaptureQueriesContext:
    """The queries of importing `rows` rows over units A and B, half of them already stored."""
    assessments = list(campaign.assessments.select_related("unit").order_by("pk"))
    criterion = leaf(assessments[0], "2.1")
    lines = []
    for i in range(rows):
        assessment = assessments[i % 2]
        group = f"{prefix} {i}"
        if i % 4 < 2:
            SurveyResult.objects.create(
                assessment=assessment, criterion=criterion, respondent_group=group
            )
        lines.append((assessment.unit.code, "2.1", group, i, 1, 0, 0))
    data = survey_file(*lines)
    with CaptureQueriesContext(connection) as queries:
        survey_import(campaign=campaign, file=data, actor=actor)
    stored = SurveyResult.objects.filter(respondent_group__startswith=f"{prefix} ")
    assert sorted(counts["A"] for counts in stored.values_list("answer_counts", flat=True)) == list(
        range(rows)
    )
    return queries


def test_an_import_costs_the_same_queries_for_few_rows_and_many(campaign, assessment, staff):
    user_roles(staff)  # read once per user and kept: the first import alone would pay for it
    few = import_queries(campaign, staff, rows=4, prefix="few")
    many = import_queries(campaign, staff, rows=150, prefix="many")
    assert len(many) == len(few)
    # Past a batch each batch costs one more INSERT or UPDATE, never each row: SQLite, at
    # 999 parameters a statement, splits a thousand rows into three of each.
    thousand = import_queries(campaign, staff, rows=1000, prefix="thousand")
    assert len(thousand) <= len(few) + 10


# -- the command -----------------------------------------------------------------------------


def test_import_survey_prints_each_units_points(campaign, staff, tmp_path, english):
    path = tmp_path / "dieu-tra-2016.xlsx"
    path.write_bytes(
        survey_file(
            ("so-gddt", "2.1", "Lãnh đạo các huyện", 10, 5, 5, 0),
            ("so-gddt", "2.1", "Người dân", 20, 0, 0, 10),
        )
    )
    out = StringIO()
    call_command("import_survey", str(path), "--year", "2016", "--actor", "staff", stdout=out)
    assert out.getvalue().splitlines() == [
        "Sở Giáo dục và Đào tạo (so-gddt): 3.4 of 5 survey points",
        "  2.1 Hài lòng: 3.4 of 5 (50 respondents: Lãnh đạo các huyện; Người dân)",
    ]
    assert SurveyResult.objects.count() == 2


def test_import_survey_dry_run_shows_the_points_and_writes_nothing(
    campaign, staff, tmp_path, english
):
    path = tmp_path / "dieu-tra.xlsx"
    path.write_bytes(survey_file(("so-gtvt", "2.1", "", 8, 2, 0, 0)))
    out = StringIO()
    with nothing_written():
        call_command(
            "import_survey",
            str(path),
            "--year",
            "2016",
            "--actor",
            "staff",
            "--dry-run",
            stdout=out,
        )
    assert out.getvalue().splitlines() == [
        "Dry run: the file is valid and nothing was written.",
        "Sở Giao thông vận tải (so-gtvt): 4.6 of 5 survey points",
        "  2.1 Hài lòng: 4.6 of 5 (10 respondents: —)",
    ]


def test_import_survey_prints_every_problem_and_fails(campaign, staff, tmp_path, english):
    path = tmp_path / "dieu-tra.xlsx"
    path.write_bytes(survey_file(("so-gddt", "2.1", "", 1, 0, 0, -1)))
    err = StringIO()
    with nothing_written(), pytest.raises(CommandError) as caught:
        call_command(
            "import_survey",
            str(path),
            "--year",
            "2016",
            "--actor",
            "staff",
            stdout=StringIO(),
            stderr=err,
        )
    assert str(caught.value) == "The file was refused because of 1 problem; nothing was imported."
    assert err.getvalue().splitlines() == [
        "Điều tra, row 2, column D: “-1” is not a count: write a whole number, 0 or more."
    ]


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ((), "Error: the following arguments are required: --actor"),
        (("--actor", "nobody"), "There is no user “nobody”."),
        (("--actor", "editor_a"), "Only Interior Department staff import survey results."),
    ],
)
def test_import_survey_acts_only_for_a_staff_member(
    campaign, staff, editor_a, tmp_path, english, actor, message
):
    path = tmp_path / "dieu-tra.xlsx"
    path.write_bytes(survey_file(("so-gddt", "2.1", "", 1, 0, 0, 0)))
    with nothing_written(), pytest.raises(CommandError) as caught:
        call_command("import_survey", str(path), "--year", "2016", *actor, stdout=StringIO())
    assert str(caught.value) == message
