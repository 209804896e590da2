"""The scoring sheet's download and upload pages and the survey import page: who, what, how."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from scoring.exchange.bulk_scores_xlsx import write_scores_template
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.exchange.workbook import XLSX_CONTENT_TYPE
from scoring.models import Score, SurveyAnswer, SurveyResult
from scoring.selectors import import_templates
from scoring.services.appraisal import appraiser_assign
from scoring.services.score_import import scores_import
from scoring.services.sheet_import import assessment_sheet_export
from tests.factories import make_assessment, make_unit
from tests.scoring.conftest import fill_in, leaf, move_to
from tests.scoring.sheets import edit_sheet, nothing_written

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "cham-diem.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def download_url(assessment) -> str:
    return reverse("assessments:sheet_download", args=[assessment.pk])


def upload_url(assessment) -> str:
    return reverse("assessments:sheet_upload", args=[assessment.pk])


def filled_sheet(assessment, **cells) -> bytes:
    data = assessment_sheet_export(assessment=assessment)[0]
    return edit_sheet(data, cells or {"1.1": {"Điểm tự chấm": 1.5}})


def test_the_url_names_are_the_documented_ones(assessment):
    assert download_url(assessment) == f"/assessments/{assessment.pk}/sheet.xlsx"
    assert upload_url(assessment) == f"/assessments/{assessment.pk}/sheet/"
    assert reverse("campaigns:survey_import", args=[2016]) == "/campaigns/2016/survey/"


# -- download -----------------------------------------------------------------------------


@pytest.fixture
def people(staff, appraiser, editor_a, head_a, editor_b, head_b):
    return {
        "staff": staff,
        "appraiser": appraiser,
        "editor_a": editor_a,
        "head_a": head_a,
        "editor_b": editor_b,
        "head_b": head_b,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("assigned_appraiser", 200),
        ("editor_a", 200),
        ("head_a", 200),
        ("appraiser", 404),
        ("editor_b", 404),
        ("head_b", 404),
    ],
)
def test_anyone_with_a_role_may_download_the_sheet(client, assessment, people, who, status):
    if who == "assigned_appraiser":
        appraiser_assign(
            campaign=assessment.campaign,
            unit=assessment.unit,
            appraiser=people["appraiser"],
            actor=people["staff"],
        )
        who = "appraiser"
    client.force_login(people[who])
    response = client.get(download_url(assessment))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert response["Content-Disposition"] == (
            'attachment; filename="cham-diem-so-gddt-2016.xlsx"'
        )
        assert response.content.startswith(b"PK")


def test_the_download_asks_a_visitor_to_log_in_and_knows_no_other_method(
    client, assessment, editor_a
):
    response = client.get(download_url(assessment))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    client.force_login(editor_a)
    assert client.post(download_url(assessment)).status_code == 405
    assert client.get(f"/assessments/{assessment.pk + 99}/sheet.xlsx").status_code == 404


# -- upload ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("editor_a", 200),
        ("head_a", 200),
        ("staff", 403),
        ("editor_b", 404),
        ("head_b", 404),
        ("appraiser", 404),
    ],
)
def test_the_upload_page_is_for_the_units_officers(client, assessment, people, who, status):
    client.force_login(people[who])
    assert client.get(upload_url(assessment)).status_code == status


def test_the_upload_page_asks_a_visitor_to_log_in(client, assessment):
    response = client.get(upload_url(assessment))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_upload_page_offers_the_download_and_the_form(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    response = english_client.get(upload_url(assessment))
    html = response.content.decode()
    assert download_url(assessment) in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert "Scoring sheet of Sở Giáo dục và Đào tạo, 2016" in html


def test_staff_may_not_upload_a_units_sheet(client, assessment, staff):
    client.force_login(staff)
    with nothing_written():
        response = client.post(upload_url(assessment), {"file": upload(filled_sheet(assessment))})
    assert response.status_code == 403


def test_an_officer_uploads_the_sheet_and_sees_what_changed(english_client, assessment, editor_a):
    fill_in(assessment, editor_a)
    english_client.force_login(editor_a)
    data = filled_sheet(assessment, **{"1.1": {"Điểm tự chấm": 1.5}, "1.2": {"Mức đạt": "Chậm"}})
    response = english_client.post(upload_url(assessment), {"file": upload(data)})
    assert response.status_code == 302
    assert response["Location"] == upload_url(assessment)
    score = Score.objects.get(criterion=leaf(assessment, "1.1"))
    assert score.self_points == D("1.5")
    assert score.history.first().history_change_reason == "import"
    page = english_client.get(response["Location"]).content.decode()
    assert "The sheet was imported: 2 criteria changed (1.1, 1.2)." in page


def test_a_bad_sheet_is_shown_with_every_problem_and_nothing_saved(
    english_client, assessment, editor_a
):
    fill_in(assessment, editor_a)
    english_client.force_login(editor_a)
    data = filled_sheet(assessment, **{"1.1": {"Điểm tự chấm": 7}, "1.2": {"Mức đạt": "Sớm"}})
    with nothing_written():
        response = english_client.post(upload_url(assessment), {"file": upload(data)})
    assert response.status_code == 200
    assert [(p.sheet, p.row, p.column) for p in response.context["problems"]] == [
        ("Chấm điểm", 3, "Điểm tự chấm"),
        ("Chấm điểm", 4, "Mức đạt"),
    ]
    html = response.content.decode()
    assert "The file was refused because of 2 problems. Nothing was imported." in html
    assert "Points must be between 0 and 2." in html


def test_a_file_that_is_no_workbook_is_refused_on_the_page(english_client, assessment, editor_a):
    english_client.force_login(editor_a)
    with nothing_written():
        response = english_client.post(upload_url(assessment), {"file": upload(b"%PDF-1.7")})
    assert [p.message for p in response.context["problems"]] == [
        "the file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel "
        "as “Excel Workbook (*.xlsx)” and try again."
    ]


def test_after_submission_the_sheet_is_refused(english_client, assessment, editor_a, head_a):
    fill_in(assessment, editor_a)
    data = filled_sheet(assessment)
    move_to(assessment, "submitted", head=head_a, staff=None)
    english_client.force_login(editor_a)
    page = english_client.get(upload_url(assessment))
    assert page.status_code == 200
    assert 'name="file"' not in page.content.decode()
    assert "The self-assessment is closed" in page.content.decode()
    with nothing_written():
        response = english_client.post(upload_url(assessment), {"file": upload(data)})
    assert response.status_code == 200
    assert "The self-assessment is closed: it was submitted or its deadline passed." in (
        response.content.decode()
    )


def test_the_upload_answers_only_get_and_post(client, assessment, editor_a):
    client.force_login(editor_a)
    assert client.put(upload_url(assessment)).status_code == 405


# -- survey import ---------------------------------------------------------------------------


@pytest.fixture
def campaign(assessment, unit_b):
    make_assessment(campaign=assessment.campaign, unit=unit_b)
    for code, weight in (("A", 100), ("B", 60), ("C", 20), ("D", 0)):
        SurveyAnswer.objects.create(campaign=assessment.campaign, code=code, weight_percent=weight)
    return assessment.campaign


SURVEY_URL = "/campaigns/2016/survey/"


def survey_file(*rows) -> bytes:
    return write_survey_file(
        ("A", "B", "C", "D"),
        [[unit, None, code, None, group, *counts] for unit, code, group, *counts in rows],
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("appraiser", 403), ("editor_a", 403), ("head_b", 403)],
)
def test_the_survey_page_is_for_staff(client, campaign, people, who, status):
    client.force_login(people[who])
    assert client.get(SURVEY_URL).status_code == status


def test_the_survey_page_asks_a_visitor_to_log_in_and_knows_its_campaigns(client, campaign, staff):
    response = client.get(SURVEY_URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(staff)
    assert client.get("/campaigns/2030/survey/").status_code == 404
    assert client.put(SURVEY_URL).status_code == 405


def test_staff_import_survey_results_and_see_the_points(english_client, campaign, staff):
    english_client.force_login(staff)
    data = survey_file(
        ("so-gddt", "2.1", "Người dân", 30, 5, 5, 10),
        ("so-gtvt", "2.1", "Người dân", 8, 2, 0, 0),
    )
    response = english_client.post(SURVEY_URL, {"file": upload(data, "dieu-tra.xlsx")})
    assert response.status_code == 302 and response["Location"] == SURVEY_URL
    assert SurveyResult.objects.count() == 2
    page = english_client.get(SURVEY_URL)
    units = {u.assessment.unit.code: u.total for u in page.context["units"]}
    assert units == {"so-gddt": D("3.4"), "so-gtvt": D("4.6")}
    html = page.content.decode()
    assert "Survey results imported for 2 units." in html
    assert "3.4 / 5" in html and "4.6 / 5" in html


def test_a_bad_survey_file_is_shown_with_its_problems(english_client, campaign, staff):
    english_client.force_login(staff)
    data = survey_file(("so-xyz", "2.1", "", 1, 0, 0, 0), ("so-gddt", "1.1", "", 1, 0, 0, 0))
    with nothing_written():
        response = english_client.post(SURVEY_URL, {"file": upload(data)})
    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["problems"]] == [
        (2, "Mã đơn vị"),
        (3, "Mã tiêu chí"),
    ]
    assert "There is no unit with the code “so-xyz”." in response.content.decode()


def test_the_survey_page_costs_the_same_queries_for_more_units(client, campaign, staff):
    client.force_login(staff)
    survey_import_file = survey_file(("so-gddt", "2.1", "Người dân", 1, 0, 0, 0))
    client.post(SURVEY_URL, {"file": upload(survey_import_file)})
    with CaptureQueriesContext(connection) as one_unit:
        client.get(SURVEY_URL)
    client.post(
        SURVEY_URL,
        {"file": upload(survey_file(("so-gtvt", "2.1", "Cán bộ", 1, 2, 0, 0)))},
    )
    with CaptureQueriesContext(connection) as two_units:
        response = client.get(SURVEY_URL)
    assert len(response.context["units"]) == 2
    assert len(two_units) == len(one_unit)


def test_the_sheet_costs_the_same_queries_whatever_the_scores(client, assessment, editor_a):
    client.force_login(editor_a)
    with CaptureQueriesContext(connection) as empty:
        client.get(download_url(assessment))
    fill_in(assessment, editor_a)
    with CaptureQueriesContext(connection) as filled:
        client.get(download_url(assessment))
    assert len(filled) == len(empty)


def test_the_survey_page_s_old_address_redirects_permanently(client, campaign, staff):
    client.force_login(staff)
    response = client.get("/frameworks/campaigns/2016/survey/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/campaigns/2016/survey/?page=2"


# -- the templates to fill in -----------------------------------------------------------------

SURVEY_TEMPLATE_URL = "/campaigns/2016/survey/template.xlsx"
SCORES_TEMPLATE_URL = "/campaigns/2016/scores/template.xlsx"


def table(data: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))


@pytest.mark.parametrize("address", [SURVEY_TEMPLATE_URL, SCORES_TEMPLATE_URL])
@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("appraiser", 403), ("editor_a", 403), ("head_b", 403)],
)
def test_the_templates_are_for_staff(client, campaign, people, who, status, address):
    client.force_login(people[who])
    response = client.get(address)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert "attachment" in response["Content-Disposition"]


def test_the_survey_template_lists_units_criteria_and_groups_with_what_was_imported(
    client, campaign, staff
):
    client.force_login(staff)
    client.post(SURVEY_URL, {"file": upload(survey_file(("so-gddt", "2.1", "Người dân", 9, 1)))})
    rows = table(client.get(SURVEY_TEMPLATE_URL).content)
    assert rows[0] == (
        "Mã đơn vị",
        "Tên đơn vị",
        "Mã tiêu chí",
        "Nội dung",
        "Nhóm đối tượng",
        "A",
        "B",
        "C",
        "D",
    )
    # Unit A keeps its counts; unit B is offered the group another unit answered in.
    assert rows[1:] == [
        ("so-gddt", "Sở Giáo dục và Đào tạo", "2.1", "Hài lòng", "Người dân", 9, 1, 0, 0),
        (
            "so-gtvt",
            "Sở Giao thông vận tải",
            "2.1",
            "Hài lòng",
            "Người dân",
            None,
            None,
            None,
            None,
        ),
    ]


def test_a_survey_template_filled_in_part_imports_what_was_filled(client, campaign, staff):
    client.force_login(staff)
    data = client.get(SURVEY_TEMPLATE_URL).content
    workbook = load_workbook(BytesIO(data))
    sheet = workbook.active
    assert sheet["E2"].value is None  # no group known yet: left to fill in
    sheet["E2"], sheet["F2"], sheet["G2"] = "Người dân", 8, 2  # so-gddt only
    buffer = BytesIO()
    workbook.save(buffer)
    response = client.post(SURVEY_URL, {"file": upload(buffer.getvalue())})
    assert response.status_code == 302
    assert list(SurveyResult.objects.values_list("assessment__unit__code", "answer_counts")) == [
        ("so-gddt", {"A": 8, "B": 2, "C": 0, "D": 0})
    ]


def test_the_scores_template_lists_every_unit_and_scored_criterion(client, campaign, staff):
    client.force_login(staff)
    rows = table(client.get(SCORES_TEMPLATE_URL).content)
    assert rows[0][:6] == (
        "Mã đơn vị",
        "Tên đơn vị",
        "Mã tiêu chí",
        "Nội dung",
        "Cách chấm",
        "Điểm tự chấm",
    )
    assert [row[:3] for row in rows[1:]] == [
        ("so-gddt", "Sở Giáo dục và Đào tạo", code) for code in ("1.1", "1.2", "1.3")
    ] + [("so-gtvt", "Sở Giao thông vận tải", code) for code in ("1.1", "1.2", "1.3")]
    assert rows[1][4] == "Từ 0 đến 2 điểm, bước 0,25"
    assert all(value is None for row in rows[1:] for value in row[5:])


def test_a_scores_template_imports_the_cells_filled_in(campaign, staff):
    rows = import_templates.scores_template(campaign)
    workbook = load_workbook(BytesIO(write_scores_template(rows)))
    workbook.active["L2"] = 1.75  # so-gddt 1.1, appraised
    workbook.active["M2"] = "Thiếu phụ lục"
    buffer = BytesIO()
    workbook.save(buffer)
    units = scores_import(campaign=campaign, file=buffer.getvalue(), actor=staff)
    assert [(u.unit.code, u.changed) for u in units] == [("so-gddt", ["1.1"]), ("so-gtvt", [])]
    assert Score.objects.get().appraised_points == D("1.75")


@pytest.mark.parametrize("address", [SURVEY_TEMPLATE_URL, SCORES_TEMPLATE_URL])
def test_a_template_costs_the_same_queries_for_more_units(client, campaign, staff, address):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as two_units:
        client.get(address)
    for number in range(3):
        make_assessment(
            campaign=campaign,
            unit=make_unit(
                name=f"Sở {number}", code=f"so-{number}", block=campaign.blocks.get().block
            ),
        )
    with CaptureQueriesContext(connection) as five_units:
        client.get(address)
    assert len(five_units) == len(two_units)
