"""A staff member's first visit: the home page, logging in, the criteria tree; at two widths."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import STAFF_GROUP, make_campaign, make_framework_tree, make_user
from units.models import Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_data(db):
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    framework = make_framework_tree(
        year=2015, source_decision="Quyết định số 1294/QĐ-BNV", illustrative=True
    )
    make_campaign(year=2015, frameworks=(framework,))
    make_user(username="nguyenvana", groups=(STAFF_GROUP,))  # password "pw"
    return framework


def test_home_login_and_framework_tree(page: Page, live_server, portal_data, screenshot):
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title(re.compile("Sóc Trăng"))
    expect(page.locator("header")).to_contain_text("Ủy ban nhân dân tỉnh Sóc Trăng")
    expect(page.locator("main")).to_contain_text("Chỉ số CCHC năm 2015")
    # The interface itself is Vietnamese, whatever language the browser prefers.
    expect(page.locator("main")).to_contain_text("Chỉ số cải cách hành chính là gì")
    screenshot("home-desktop")
    page.set_viewport_size(PHONE)
    screenshot("home-phone")
    page.set_viewport_size(DESKTOP)

    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()

    page.locator("nav.portal-nav").get_by_role("link", name="Đăng nhập").click()
    page.locator("#id_username").fill("nguyenvana")
    page.locator("#id_password").fill("pw")
    screenshot("login-desktop")
    page.locator("main").get_by_role("button").click()

    nav = page.locator("nav.portal-nav")
    expect(nav).to_contain_text("nguyenvana")
    nav.get_by_role("link", name="Bộ tiêu chí").click()
    expect(page.locator("main table")).to_contain_text("Bộ tiêu chí sở 2015")
    screenshot("frameworks-desktop")

    page.get_by_role("link", name="Bộ tiêu chí sở 2015").click()
    codes = page.locator("tbody .tree-code").all_inner_texts()
    assert codes == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.1", "2.2", "2.10", "3", "3.1"]
    expect(page.locator("main")).to_contain_text("Đúng hạn: 1; Trễ hạn: 0,5")
    page.locator("#criterion-1\\.1 summary").click()
    expect(page.locator("#criterion-1\\.1 .guidance")).to_be_visible()
    screenshot("framework-tree-desktop")

    page.set_viewport_size(PHONE)
    screenshot("framework-tree-phone")
    # At phone width the menu is behind the toggler, which works from the keyboard.
    toggler = page.locator(".navbar-toggler")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#portal-nav-menu")).to_have_class(re.compile(r"\bshow\b"))
    expect(nav.get_by_role("link", name="Đợt đánh giá")).to_be_visible()
    screenshot("menu-phone")
