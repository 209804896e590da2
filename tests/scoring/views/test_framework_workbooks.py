import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Framework
from tests.factories import make_block, make_framework
from tests.scoring.workbooks import changed, nothing_written, xlsx

IMPORT_URL = "/frameworks/import/"


@pytest.fixture
def block(db):
    return make_block(code="so", name="Sở, ban, ngành")


@pytest.fixture
def framework(block):
    return make_framework(year=2015, block=block)


def upload(data: bytes, name: str = "khung.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post_import(client, data: bytes, **fields):
    return client.post(
        IMPORT_URL,
        {"file": upload(data), "year": 2025, "block": "so", **fields},
    )


def test_the_url_names_are_the_documented_ones(framework):
    assert reverse("frameworks:framework_import") == IMPORT_URL
    assert reverse("frameworks:framework_export", args=[framework.pk]) == (
        f"/frameworks/{framework.pk}/export.xlsx"
    )
    assert reverse("frameworks:framework_clone", args=[framework.pk]) == (
        f"/frameworks/{framework.pk}/clone/"
    )


# -- import ------------------------------------------------------------------


def test_staff_see_the_import_form(client, staff, block, english):
    client.force_login(staff)
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b'name="file"' in response.content and b'name="block"' in response.content


def test_staff_import_a_good_file_and_land_on_the_framework(client, staff, block):
    client.force_login(staff)
    response = post_import(client, xlsx())
    framework = Framework.objects.get(year=2025, block=block)
    assert response.status_code == 302
    assert response["Location"].startswith("/frameworks/")
    assert response["Location"] == reverse("frameworks:framework_detail", args=[framework.pk])
    assert framework.criteria.count() == 9


def test_a_bad_file_is_shown_again_with_every_problem_and_nothing_written(
    english_client, staff, block
):
    client = english_client
    client.force_login(staff)
    with nothing_written():
        response = post_import(client, xlsx(rows=changed(r4_max_points="x", r6_method="?")))
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("Tiêu chí", 4, "Điểm tối đa"),
        ("Tiêu chí", 6, "Phương pháp"),
    ]
    html = response.content.decode()
    assert "The file was refused because of 2 problems. Nothing was imported." in html
    assert "“x” is not a number." in html and "Unknown method “?”" in html


def test_a_file_for_another_year_than_chosen_is_refused(english_client, staff, block):
    client = english_client
    client.force_login(staff)
    with nothing_written():
        response = post_import(client, xlsx(), year=2026)
    assert "The file is for 2025 but you are importing into 2026" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_before_reading(
    english_client, staff, block, settings
):
    settings.FRAMEWORK_UPLOAD_MAX_BYTES = 1000
    client = english_client
    client.force_login(staff)
    with nothing_written():
        response = post_import(client, xlsx())
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith("The file is ") and errors[0].endswith(
        "; the largest accepted is 1000\xa0bytes."
    )


def test_replace_from_the_form(client, staff, block):
    existing = make_framework(year=2025, block=block)
    client.force_login(staff)
    response = post_import(client, xlsx(), replace="on")
    assert response.status_code == 302
    assert existing.criteria.count() == 9


def test_anonymous_visitors_are_sent_to_log_in(client, block):
    for response in (client.get(IMPORT_URL), post_import(client, xlsx())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Framework.objects.exists()


def test_a_unit_editor_is_refused(client, editor_a):
    client.force_login(editor_a)
    assert client.get(IMPORT_URL).status_code == 403
    with nothing_written():
        assert post_import(client, xlsx()).status_code == 403


def test_import_refuses_other_methods(client, staff):
    client.force_login(staff)
    assert client.put(IMPORT_URL).status_code == 405


# -- export ------------------------------------------------------------------


def test_staff_download_the_workbook(client, staff, framework):
    client.force_login(staff)
    response = client.get(reverse("frameworks:framework_export", args=[framework.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="bo-tieu-chi-so-2015.xlsx"'
    assert response.content.startswith(b"PK")


def test_export_is_for_staff_only(client, editor_a, framework):
    url = reverse("frameworks:framework_export", args=[framework.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(editor_a)
    assert client.get(url).status_code == 403


def test_export_of_an_unknown_framework_is_404(client, staff, db):
    client.force_login(staff)
    assert client.get(reverse("frameworks:framework_export", args=[999])).status_code == 404


def test_export_refuses_post(client, staff, framework):
    client.force_login(staff)
    url = reverse("frameworks:framework_export", args=[framework.pk])
    assert client.post(url).status_code == 405


# -- clone -------------------------------------------------------------------


def test_staff_clone_to_another_year(client, staff, framework):
    client.force_login(staff)
    response = client.post(
        reverse("frameworks:framework_clone", args=[framework.pk]), {"year": 2016}
    )
    clone = Framework.objects.get(year=2016)
    assert clone.cloned_from == framework
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:framework_detail", args=[clone.pk])


def test_clone_onto_a_taken_year_shows_why(english_client, staff, framework):
    make_framework(year=2016, block=framework.block)
    english_client.force_login(staff)
    with nothing_written():
        response = english_client.post(
            reverse("frameworks:framework_clone", args=[framework.pk]), {"year": 2016}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "A framework for Sở, ban, ngành in 2016 already exists."
    ]


def test_clone_without_a_year_shows_the_form_again(client, staff, framework):
    client.force_login(staff)
    with nothing_written():
        response = client.post(reverse("frameworks:framework_clone", args=[framework.pk]), {})
    assert response.status_code == 200 and "year" in response.context["form"].errors


def test_clone_refuses_get(client, staff, framework):
    client.force_login(staff)
    assert client.get(reverse("frameworks:framework_clone", args=[framework.pk])).status_code == 405


def test_clone_is_for_staff_only(client, editor_a, framework):
    url = reverse("frameworks:framework_clone", args=[framework.pk])
    response = client.post(url, {"year": 2016})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(editor_a)
    assert client.post(url, {"year": 2016}).status_code == 403
    assert not Framework.objects.filter(year=2016).exists()


def test_clone_of_an_unknown_framework_is_404(client, staff, db):
    client.force_login(staff)
    assert (
        client.post(reverse("frameworks:framework_clone", args=[999]), {"year": 2016}).status_code
        == 404
    )
