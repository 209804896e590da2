"""Logging in, in a browser: the lockout explained, changing a password, and no CSP breakage."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in, logout_button
from tests.factories import STAFF_GROUP, make_user
from units.models import Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STRONG = "mùa nước nổi sông Hậu"


@pytest.fixture
def accounts(db):
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    make_user(username="nguyenvana", groups=(STAFF_GROUP,))  # password "pw"
    make_user(username="lethic")


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """What Chromium refused under the Content-Security-Policy, as it reports to the console."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_five_wrong_passwords_show_the_lockout(page: Page, live_server, accounts, screenshot):
    page.goto(live_server.url + reverse("login"))
    for _ in range(5):
        page.locator("#id_username").fill("lethic")
        page.locator("#id_password").fill("not-the-password")
        page.locator("main form button[type=submit]").click()
    alert = page.locator("#login-locked")
    expect(alert).to_contain_text("Tạm thời không đăng nhập được")
    expect(alert).to_contain_text("trong 30 phút")
    expect(alert).to_contain_text("Sở Nội vụ")
    screenshot("login-locked-desktop")

    # Staff see it and unlock it.
    log_in(page, live_server.url, "nguyenvana")
    page.locator("nav.portal-nav").get_by_role("link", name="Đăng nhập bị khoá").click()
    expect(page.locator("#locked-logins")).to_contain_text("lethic")
    screenshot("lockouts-desktop")
    page.locator("#locked-logins button[type=submit]").click()
    expect(page.locator(".portal-messages")).to_contain_text("lethic đã có thể đăng nhập lại")
    expect(page.locator("#lockout-releases")).to_contain_text("nguyenvana đã mở khoá cho lethic")


def test_changing_a_password_in_the_browser(
    page: Page, live_server, accounts, screenshot, csp_violations
):
    log_in(page, live_server.url, "lethic")
    page.locator("nav.portal-nav").get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    page.locator("#id_old_password").fill("pw")
    page.locator("#id_new_password1").fill("cchc2016")
    page.locator("#id_new_password2").fill("cchc2016")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Mật khẩu quá ngắn: cần ít nhất 12 ký tự.")
    screenshot("password-change-desktop")

    page.locator("#id_old_password").fill("pw")
    page.locator("#id_new_password1").fill(STRONG)
    page.locator("#id_new_password2").fill(STRONG)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Đã đổi mật khẩu")
    expect(logout_button(page)).to_be_visible()
    assert csp_violations == []
