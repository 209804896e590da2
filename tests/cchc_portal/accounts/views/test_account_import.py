"""The accounts import pages: upload, preview, confirm (then the invitations); staff only."""

from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from scoring.exchange.accounts_xlsx import write_accounts_file

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("accounts:account_import")
CONFIRM_URL = reverse("accounts:account_import_confirm")
TEMPLATE_URL = reverse("accounts:account_import_template")

FILE = write_accounts_file(
    [
        ("an.nv", "Nguyễn Văn An", "an@gddt.vn", "so-gddt", None, "Thủ trưởng", None),
        ("binh.tt", "Trần Thị Bình", "binh@gddt.vn", "so-gddt", None, "Cán bộ nhập liệu", None),
    ]
)


def upload(client, data: bytes = FILE):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("tai-khoan.xlsx", data)})


@pytest.mark.parametrize("persona", ["editor_a", "appraiser"])
def test_only_staff_import_accounts(as_persona, persona):
    client = as_persona(persona)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x", "digest": "y"}).status_code == 403


def test_an_upload_is_previewed_then_imported_and_invited(
    as_persona, unit_a, outbox, django_capture_on_commit_callbacks
):
    client = as_persona("staff")
    response = upload(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 tài khoản được tạo mới và mời qua thư điện tử" in page and "binh.tt" in page
    assert not User.objects.filter(username="an.nv").exists() and outbox == []
    confirm = response.context["confirm"].initial
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CONFIRM_URL, {"token": confirm["token"], "digest": confirm["digest"]}
        )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account_list")
    assert User.objects.filter(username__in=["an.nv", "binh.tt"]).count() == 2
    assert len(outbox) == 2
    # The file is gone once imported: a second confirmation asks for it again.
    again = client.post(CONFIRM_URL, {"token": confirm["token"], "digest": confirm["digest"]})
    assert again["Location"] == IMPORT_URL


def test_a_refused_file_lists_its_problems_and_writes_nothing(as_persona):
    response = upload(as_persona("staff"))
    assert response.status_code == 200
    assert [(p.sheet, p.row, p.column) for p in response.context["problems"]] == [
        ("Tài khoản", 2, "Mã đơn vị")
    ]
    assert "Không có đơn vị “so-gddt” trên cổng thông tin (dòng 2–3)" in response.content.decode()
    assert not User.objects.filter(username="an.nv").exists()


def test_the_empty_workbook_holds_the_headers(as_persona):
    response = as_persona("staff").get(TEMPLATE_URL)
    sheet = load_workbook(BytesIO(response.content))["Tài khoản"]
    assert [cell.value for cell in sheet[1]] == [
        "Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Tên đơn vị", "Vai trò", "Nhóm",
    ]  # fmt: skip
