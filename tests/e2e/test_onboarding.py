"""A province's own data from the browser: its units from a workbook (a refused file, then
the sample previewed and confirmed), and an account created, invited and taken up."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in, logout_button
from tests.e2e.test_accessibility import (
    LAPTOP,
    WIDTHS,
    assert_none,
    no_sideways_scroll,
    violations_of,
)
from tests.factories import STAFF_GROUP, make_user
from tests.scoring.province_sample import SAMPLES, UNITS_SAMPLE
from tests.scoring.units_workbooks import unit, units_file

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sóng vỗ đảo Hòn Ngọc"


@pytest.fixture
def staff_member(db):
    return make_user(username="nguyenvana", groups=(STAFF_GROUP,))  # password "pw"


def test_units_come_in_from_a_workbook_after_a_preview(
    page: Page, live_server, staff_member, tmp_path, screenshot
):
    log_in(page, live_server.url, "nguyenvana")
    page.goto(live_server.url + reverse("units:unit_list"))
    page.locator(f'a[href="{reverse("unit_workbook:units_import")}"]').first.click()

    bad = tmp_path / "don-vi-loi.xlsx"
    bad.write_bytes(
        units_file(
            *[unit(f"x-{n}", f"Xã {n}", "xa") for n in range(1, 6)],
            unit("so-nv", "Sở Nội vụ", active_from="năm 2025"),
        )
    )
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("main form button[type=submit]").click()
    problems = page.locator("main table").first
    expect(problems).to_contain_text("hãy thêm khối này vào trang tính Khối")
    expect(problems).to_contain_text("Từ năm")
    screenshot("units-import-problems-desktop")

    page.locator("#id_file").set_input_files(str(SAMPLES / UNITS_SAMPLE))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-summary")).to_contain_text("142 đơn vị được tạo mới")
    expect(page.locator("#preview-units-created")).to_contain_text("Đặc khu Hòn Ngọc")
    screenshot("units-import-preview-desktop")
    page.locator(f'form[action="{reverse("unit_workbook:units_import_confirm")}"] button').click()
    expect(page.locator(".portal-messages")).to_contain_text("142 đơn vị và 4 khối được tạo mới")
    expect(page.locator("main table caption")).to_contain_text("142 đơn vị")


def test_an_account_is_created_invited_and_taken_up(
    page: Page, live_server, staff_member, unit_a, screenshot
):
    mail.outbox = []
    log_in(page, live_server.url, "nguyenvana")
    page.locator("nav.portal-nav").get_by_role("link", name="Tài khoản", exact=True).click()
    page.locator(f'a[href="{reverse("accounts:account_create")}"]').click()
    page.locator("#id_username").fill("tranthib.gddt")
    page.locator("#id_full_name").fill("Trần Thị Bình")
    page.locator("#id_email").fill("binh@gddt.example")
    page.locator("#id_unit").select_option(str(unit_a.pk))
    page.locator("#id_role").select_option("unit_editor")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#invitation")).to_contain_text("đã gửi")
    expect(page.locator("#role-changes")).to_contain_text("cấp vai trò Cán bộ nhập liệu")
    screenshot("account-detail-desktop")

    link = re.search(r"https://\S+", mail.outbox[-1].body).group(0)
    logout_button(page).click()
    page.goto(live_server.url + link.removeprefix("https://chisocchc.example.gov.vn"))
    expect(page.locator("main")).to_contain_text("tranthib.gddt")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".portal-messages")).to_contain_text("mật khẩu đã được đặt")
    expect(logout_button(page)).to_be_visible()


@pytest.mark.parametrize("size", WIDTHS)
def test_the_onboarding_pages_have_no_axe_violations(
    page: Page, live_server, staff_member, unit_a, editor_a, tmp_path, size
):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server.url, "nguyenvana")
    page.set_viewport_size(size)
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(units_file(unit("so-nv", "Sở Nội vụ", "xa"), unit("SỞ", "", "so")))
    page.goto(live_server.url + reverse("unit_workbook:units_import"))
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main table").first).to_be_visible()
    found = violations_of(page, "units import, refused")
    page.locator("#id_file").set_input_files(str(SAMPLES / UNITS_SAMPLE))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-summary")).to_be_visible()
    found += violations_of(page, "units import preview")
    no_sideways_scroll(page)
    for name, path in [
        ("accounts", reverse("accounts:account_list")),
        ("new account", reverse("accounts:account_create")),
        ("an account", reverse("accounts:account_detail", args=[editor_a.pk])),
        ("accounts import", reverse("accounts:account_import")),
    ]:
        page.goto(live_server.url + path)
        found += violations_of(page, name)
        no_sideways_scroll(page)
    assert_none(found)
