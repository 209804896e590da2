"""The public pages in a browser, at phone and desktop width, with screenshots to look at."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.reports.factories import make_published_years
from units.models import Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(db):
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    return make_published_years()


def pages(data) -> list[tuple[str, str, str]]:
    d2015 = data["decisions"][2015]
    return [
        ("home", "/", "Năm 2015 có 1 đơn vị tăng hạng."),
        ("rankings", "/ket-qua/2015/so/", "Sở Giáo dục và Đào tạo"),
        ("unit", "/don-vi/tx-moi/", "Huyện An Lạc"),
        ("decisions", "/quyet-dinh/", d2015.number),
        ("decision", f"/quyet-dinh/{d2015.pk}/", "Năm 2015 có 1 đơn vị tăng hạng."),
        ("compare", "/so-sanh/2014/2015/huyen/", "Huyện Châu Giang"),
        ("methodology", "/phuong-phap/2015/so/", "Tiêu chí 1"),
        ("open-data", "/du-lieu-mo/", "area_{code}"),
        ("verify", "/xac-thuc/" + "a" * 64 + "/", "a" * 64),
    ]


def test_public_pages_at_two_widths(page: Page, live_server, published, screenshot):
    for name, path, text in pages(published):
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.locator("main")).to_contain_text(text)
        screenshot(f"public-{name}-desktop")
        page.set_viewport_size(PHONE)
        screenshot(f"public-{name}-phone")
        # Nothing but a table scrolls sideways at phone width.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than the phone"


def test_sorting_and_tier_filter_from_the_keyboard(page: Page, live_server, published):
    page.goto(live_server.url + "/ket-qua/2015/huyen/")
    page.locator("thead a.sort-link").nth(1).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("th[aria-sort='ascending']")).to_have_count(1)
    page.locator("#tier").select_option("Khá")
    page.locator("form.tier-filter button").press("Enter")
    expect(page.locator(".ranking-table tbody tr")).to_have_count(1)
    expect(page.locator(".ranking-table tbody")).to_contain_text("Thị xã Mới")
    page.emulate_media(media="print")
    expect(page.locator("nav.portal-nav")).to_be_hidden()
