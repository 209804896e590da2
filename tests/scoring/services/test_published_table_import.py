"""A year's published table from a workbook: the sample imports, every bad row is named,
nothing is written on a refusal, a year is replaced whole; the command and the staff page."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from scoring.exchange.published_table_xlsx import write_published_table
from scoring.models import Campaign, ImportedResult
from scoring.services.import_rows import ImportRefused
from scoring.services.published_table_import import published_table_import
from scoring.services.score_changes import AssessmentError
from tests.factories import make_block, make_unit
from tests.samples import SAMPLES, check_sample
from tests.scoring.published_table_sample import NAME, YEAR, sample_table, sample_units

pytestmark = pytest.mark.django_db

DECISION = ["125/QĐ-UBND", "20/01/2025"]


@pytest.fixture
def units():
    return sample_units()


def stored() -> list[tuple]:
    return list(
        ImportedResult.objects.order_by("rank", "unit__code").values_list(
            "year", "unit__code", "index", "rank", "tier", "decision_number", "decision_date"
        )
    )


def refused(data: bytes, actor, year: int = YEAR) -> list[tuple]:
    before = stored()
    with pytest.raises(ImportRefused) as caught:
        published_table_import(year=year, file=data, actor=actor)
    assert stored() == before
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_the_sample_is_what_the_writer_writes_and_it_imports(units, staff):
    check_sample(NAME, sample_table())
    table = published_table_import(year=YEAR, file=(SAMPLES / NAME).read_bytes(), actor=staff)
    assert (table.rows, table.replaced) == (4, 0)
    rows = stored()
    assert rows[0][:5] == (2024, "so-gddt", D("91.25"), 1, "Tốt")
    assert [(code, rank) for _y, code, _i, rank, *_ in rows] == [
        ("so-gddt", 1),
        ("so-gtvt", 2),
        ("so-yt", 2),
        ("so-tc", 4),
    ]
    assert rows[0][5:] == ("125/QĐ-UBND", datetime.date(2025, 1, 20))
    assert ImportedResult.objects.get(unit=units["so-yt"]).block.code == "so"


def test_every_bad_row_is_named_and_nothing_is_written(units, staff):
    data = write_published_table(
        [
            ["so-gddt", None, 91.25, 1, "Tốt", *DECISION],
            ["so-khong-co", None, 90, 2, "Tốt", *DECISION],  # row 3: unknown unit
            ["so-gtvt", None, 89, 3, "Khá", *DECISION],
            ["so-yt", None, 92, 4, "Khá", *DECISION],  # row 5: above rank 3's index
            ["so-tc", None, "101", 5, "", "125/QĐ-UBND", "32/01/2025"],  # row 6: index, date
            ["so-gddt", None, 80, 6, "", *DECISION],  # row 7: twice
            ["so-x", None, 70, "hai", "", "", "20/01/2023"],  # row 8: rank, number, date
        ]
    )
    assert refused(data, staff) == [
        (3, "Mã đơn vị", "không có đơn vị nào mang mã “so-khong-co”."),
        (5, "Xếp hạng", "hạng 4 có chỉ số cao hơn dòng 4 (89), là dòng xếp trên."),
        (6, "Chỉ số (%)", "chỉ số là tỷ lệ phần trăm từ 0 đến 100, không phải 101."),
        (6, "Ngày quyết định", "“32/01/2025” không phải là ngày: hãy viết như 17/10/2016."),
        (7, "Mã đơn vị", "đơn vị so-gddt đã có ở dòng 2."),
        (8, "Xếp hạng", "“hai” không phải là số."),
        (8, "Số quyết định", "thiếu số của quyết định."),
        (
            8,
            "Ngày quyết định",
            "quyết định công bố chỉ số năm 2024 không thể ghi ngày 20/01/2023, trước năm 2024.",
        ),
    ]


def test_a_shared_rank_needs_an_equal_index_and_a_block_one_decision(units, staff):
    data = write_published_table(
        [
            ["so-gddt", None, 91.25, 1, "Tốt", *DECISION],
            ["so-gtvt", None, 88.7, 2, "Khá", *DECISION],
            ["so-yt", None, 88.69, 2, "Khá", *DECISION],  # row 4: shared rank, other index
            ["so-tc", None, 80, 4, "Khá", "126/QĐ-UBND", "20/01/2025"],  # row 5: other decision
        ]
    )
    problems = refused(data, staff)
    assert [(row, column) for row, column, _message in problems] == [
        (4, "Xếp hạng"),
        (5, "Số quyết định"),
    ]
    assert "dòng 3" in problems[0][2] and "88,7" in problems[0][2]
    assert "125/QĐ-UBND" in problems[1][2]


def test_an_inactive_unit_is_refused(staff):
    block = make_block()
    make_unit(code="so-moi", name="Sở Mới", block=block, active_from=2025)
    data = write_published_table([["so-moi", None, 90, 1, "", *DECISION]])
    assert refused(data, staff) == [(2, "Mã đơn vị", "Sở Mới không hoạt động trong năm 2024.")]


def test_a_new_import_of_a_year_replaces_the_old_one(units, staff):
    published_table_import(year=YEAR, file=sample_table(), actor=staff)
    data = write_published_table([["so-tc", None, 70, 1, "", *DECISION]])
    table = published_table_import(year=YEAR, file=data, actor=staff)
    assert (table.rows, table.replaced) == (1, 4)
    assert [row[1] for row in stored()] == ["so-tc"]


def test_a_year_the_portal_published_itself_is_refused(units, staff):
    Campaign.objects.create(year=YEAR, name="2024", status=Campaign.Status.PUBLISHED)
    problems = refused(sample_table(), staff)
    assert problems[0][0] is None and "2024" in problems[0][2]


def test_only_staff_import_a_table(units, appraiser):
    with pytest.raises(AssessmentError):
        published_table_import(year=YEAR, file=sample_table(), actor=appraiser)
    assert stored() == []


def test_the_command_imports_and_a_dry_run_writes_nothing(units, staff, tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(sample_table())
    out = StringIO()
    call_command(
        "import_published_table",
        str(path),
        "--year",
        "2024",
        "--actor",
        "staff",
        "--dry-run",
        stdout=out,
    )
    assert stored() == []
    assert "Sở, ban, ngành: 4" in out.getvalue()
    call_command(
        "import_published_table", str(path), "--year", "2024", "--actor", "staff", stdout=out
    )
    assert len(stored()) == 4


def test_the_command_prints_every_problem(units, staff, tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(write_published_table([["so-khong-co", None, 90, 1, "", *DECISION]]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_published_table",
            str(path),
            "--year",
            "2024",
            "--actor",
            "staff",
            stderr=err,
        )
    assert "dòng 2" in err.getvalue() and "so-khong-co" in err.getvalue()


# -- the staff page -----------------------------------------------------------------------

PAGE = "campaigns:published_table_import"


@pytest.mark.parametrize(("persona", "status"), [("editor_a", 403), ("appraiser", 403)])
def test_the_page_is_for_staff_only(as_persona, persona, status):
    assert as_persona(persona).get(reverse(PAGE)).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(reverse(PAGE)).status_code == 302


def test_staff_import_a_table_and_see_it_listed(as_persona, units):
    response = as_persona("staff").post(
        reverse(PAGE),
        {"year": "2024", "file": SimpleUploadedFile("bang-2024.xlsx", sample_table())},
        follow=True,
    )
    html = response.content.decode()
    assert "Đã nhập bảng năm 2024: 4 đơn vị." in html
    assert "cả khối" in html and "125/QĐ-UBND (20/01/2025)" in html


def test_a_refused_file_lists_its_problems_on_the_page(as_persona, units):
    data = write_published_table([["so-khong-co", None, 90, 1, "", *DECISION]])
    response = as_persona("staff").post(
        reverse(PAGE), {"year": "2024", "file": SimpleUploadedFile("bang.xlsx", data)}
    )
    assert response.status_code == 200
    assert "so-khong-co" in response.content.decode()
    assert stored() == []
