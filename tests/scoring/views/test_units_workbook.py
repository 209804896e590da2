"""The units workbook pages: upload, preview, confirm; download; staff only."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_block, make_unit
from tests.scoring.units_workbooks import DEPARTMENTS, unit, units_file
from units.held_uploads import FOLDER
from units.models import Block, Unit

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("unit_workbook:units_import")
CONFIRM_URL = reverse("unit_workbook:units_import_confirm")
EXPORT_URL = reverse("unit_workbook:units_export")

GOOD = units_file(
    unit("so-nv", "Sở Nội vụ", short_name="Sở NV"),
    unit("so-tc", "Sở Tài chính"),
    blocks=(DEPARTMENTS,),
)


def upload(client, data: bytes = GOOD, name: str = "don-vi.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def confirm_fields(response) -> dict[str, str]:
    form = response.context["confirm"]
    return {"token": form.initial["token"], "digest": form.initial["digest"]}


def held_files(media_root) -> list:
    folder = media_root / FOLDER / "units"
    return sorted(folder.iterdir()) if folder.exists() else []


# -- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["editor_a", "head_a", "appraiser"])
@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_only_staff_may_import_or_export(as_persona, persona, url):
    assert as_persona(persona).get(url).status_code == 403
    assert as_persona(persona).post(CONFIRM_URL, {"token": "x", "digest": "y"}).status_code == 403


def test_confirming_needs_a_post(as_persona):
    assert as_persona("staff").get(CONFIRM_URL).status_code == 405


def test_the_unit_list_leads_to_the_import_and_the_download(as_persona):
    page = as_persona("staff").get(reverse("units:unit_list")).content.decode()
    assert f'href="{IMPORT_URL}"' in page and f'href="{EXPORT_URL}"' in page


# -- upload, preview, confirm ------------------------------------------------------------


def test_an_upload_is_previewed_and_nothing_is_written_until_confirmed(as_persona, media_root):
    client = as_persona("staff")
    response = upload(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kiểm tra trước khi nhập" in page
    assert "2 đơn vị được tạo mới" in page and "so-tc" in page
    assert Unit.objects.count() == 0 and Block.objects.count() == 0
    assert len(held_files(media_root)) == 1

    response = client.post(CONFIRM_URL, confirm_fields(response))
    assert response.status_code == 302 and response["Location"] == reverse("units:unit_list")
    assert sorted(Unit.objects.values_list("code", flat=True)) == ["so-nv", "so-tc"]
    # The held file goes once imported, and cannot be imported twice.
    assert held_files(media_root) == []
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập: 2 đơn vị và 1 khối được tạo mới" in page


def test_a_refused_file_lists_every_problem_with_its_place(as_persona, media_root):
    bad = units_file(unit("so-nv", "Sở Nội vụ", "xa"), unit("so-tc", "", "so"))
    response = upload(as_persona("staff"), bad)
    assert response.status_code == 200
    assert [(p.sheet, p.row, p.column) for p in response.context["problems"]] == [
        ("Đơn vị", 2, "Mã khối"),
        ("Đơn vị", 3, "Tên đơn vị"),
    ]
    page = response.content.decode()
    assert "Tệp bị từ chối vì có 2 lỗi" in page and "hãy thêm khối này vào trang tính Khối" in page
    assert held_files(media_root) == [] and Unit.objects.count() == 0


def test_a_file_changing_nothing_says_so(as_persona):
    make_block(code="so", name="Sở, ban, ngành", position=1)
    block = Block.objects.get(code="so")
    block.short_name = "Sở, ban, ngành"
    block.save()
    make_unit(code="so-nv", name="Sở Nội vụ", short_name="Sở NV", block=block)
    make_unit(code="so-tc", name="Sở Tài chính", block=block)
    response = upload(as_persona("staff"))
    assert response.status_code == 302
    page = as_persona("staff").get(response["Location"]).content.decode()
    assert "Tệp không có gì mới" in page


def test_a_confirmation_without_the_held_file_asks_for_it_again(as_persona):
    client = as_persona("staff")
    response = client.post(CONFIRM_URL, {"token": "not-held", "digest": "0" * 64})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert Unit.objects.count() == 0


def test_another_sessions_file_cannot_be_confirmed(client, staff, django_user_model):
    client.force_login(staff)
    fields = confirm_fields(upload(client))
    other = django_user_model.objects.create_user("staff_2", password="pw")
    other.groups.set(staff.groups.all())
    client.force_login(other)
    assert client.post(CONFIRM_URL, fields)["Location"] == IMPORT_URL
    assert Unit.objects.count() == 0


def test_a_change_since_the_preview_shows_the_new_preview_instead(as_persona):
    client = as_persona("staff")
    fields = confirm_fields(upload(client))
    make_unit(code="so-nv", name="Sở Nội vụ cũ", block=make_block(code="so"))
    response = client.post(CONFIRM_URL, fields)
    assert response.status_code == 409
    assert "Danh mục đơn vị đã thay đổi kể từ lúc xem trước" in response.content.decode()
    assert Unit.objects.get(code="so-nv").name == "Sở Nội vụ cũ"
    response = client.post(CONFIRM_URL, confirm_fields(response))
    assert response.status_code == 302
    assert Unit.objects.get(code="so-nv").name == "Sở Nội vụ"


# -- download -----------------------------------------------------------------------------


def test_the_download_holds_every_unit_with_its_lineage(as_persona):
    block = make_block(code="so", name="Sở, ban, ngành")
    old = make_unit(code="so-tnmt", name="Sở Tài nguyên và Môi trường", block=block, active_to=2024)
    new = make_unit(
        code="so-nnmt", name="Sở Nông nghiệp và Môi trường", block=block, active_from=2025
    )
    new.predecessors.add(old)
    response = as_persona("staff").get(EXPORT_URL)
    assert response.status_code == 200
    assert "danh-muc-don-vi.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content))["Đơn vị"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["so-nnmt"][6:9] == (2025, None, "so-tnmt")
    assert rows["so-tnmt"][7] == 2024
