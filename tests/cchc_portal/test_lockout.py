"""Login throttling: a username is locked from one address after repeated wrong passwords."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

OFFICE = "203.162.4.10"
HOME = "113.161.20.7"
LIMIT = 5  # README: "Logging in"


def log_in(client, username: str, password: str, *, address: str = OFFICE, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username: str, times: int, *, address: str = OFFICE):
    return [log_in(client, username, "wrong-password", address=address) for _ in range(times)]


def test_the_limit_is_five_wrong_passwords_for_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)


def test_the_fifth_wrong_password_locks_the_username_from_that_address(client, editor_a):
    *before, fifth = fail(client, "editor_a", LIMIT)
    assert [r.status_code for r in before] == [200] * (LIMIT - 1)
    assert all("login-locked" not in r.content.decode() for r in before)

    assert fifth.status_code == 429
    assert fifth["Retry-After"] == str(30 * 60)
    page = fifth.content.decode()
    assert 'id="login-locked"' in page
    assert "Tạm thời không đăng nhập được" in page
    assert "sai 5 lần liên tiếp" in page
    assert "trong 30 phút" in page
    assert "Sở Nội vụ" in page
    # The form is still there, with the username kept.
    assert 'name="username"' in page and 'value="editor_a"' in page

    # Even the right password is refused now, and no session is opened.
    locked = log_in(client, "editor_a", "pw")
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lockout_names_the_contact_when_one_is_configured(client, editor_a, settings):
    settings.LOGIN_HELP_CONTACT = "Phòng CCHC, Sở Nội vụ, 0299 3822 000"
    page = fail(client, "editor_a", LIMIT)[-1].content.decode()
    assert "Liên hệ: Phòng CCHC, Sở Nội vụ, 0299 3822 000." in page


def test_a_lockout_touches_neither_other_addresses_nor_other_users(client, editor_a, head_a):
    fail(client, "editor_a", LIMIT, address=OFFICE)
    # The same officer from home, and a colleague behind the same office address.
    assert log_in(client, "editor_a", "pw", address=HOME).status_code == 302
    client.logout()
    assert log_in(client, "head_a", "pw", address=OFFICE).status_code == 302


def test_failures_from_many_addresses_do_not_lock_the_user_out(client, editor_a):
    for n in range(3 * LIMIT):
        log_in(client, "editor_a", "wrong-password", address=f"198.51.100.{n}")
    assert log_in(client, "editor_a", "pw", address=OFFICE).status_code == 302


def test_changing_browser_does_not_restart_the_count(client, editor_a):
    for n in range(LIMIT - 1):
        log_in(client, "editor_a", "wrong-password", HTTP_USER_AGENT=f"Browser/{n}")
    assert log_in(client, "editor_a", "wrong", HTTP_USER_AGENT="Another/1").status_code == 429


def test_unknown_usernames_are_locked_alike(client):
    """A lockout says nothing about whether the username exists."""
    assert fail(client, "nobody-here", LIMIT)[-1].status_code == 429


def test_a_successful_login_clears_the_count(client, editor_a):
    fail(client, "editor_a", LIMIT - 1)
    assert log_in(client, "editor_a", "pw").status_code == 302
    client.logout()
    assert fail(client, "editor_a", LIMIT - 1)[-1].status_code == 200
    assert log_in(client, "editor_a", "pw").status_code == 302


def test_the_lockout_runs_out_after_thirty_minutes(client, editor_a):
    fail(client, "editor_a", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert log_in(client, "editor_a", "pw").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert log_in(client, "editor_a", "pw").status_code == 302


def test_the_admin_login_counts_and_locks_alike(client, staff):
    for _ in range(LIMIT):
        response = client.post(
            reverse("admin:login"),
            {"username": "staff", "password": "wrong-password"},
            REMOTE_ADDR=OFFICE,
        )
    assert response.status_code == 429
    assert log_in(client, "staff", "pw").status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(client, editor_a, settings):
    """A client cannot get a fresh counter by forging X-Forwarded-For entries."""
    settings.BEHIND_PROXY = True
    for n in range(LIMIT):
        response = log_in(
            client,
            "editor_a",
            "wrong-password",
            address="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {OFFICE}",
        )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
