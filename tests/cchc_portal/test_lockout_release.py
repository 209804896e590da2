"""Staff clear a login lockout from the portal; the unlock is recorded; nobody else may."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from cchc_portal.accounts.models import LockoutRelease

pytestmark = pytest.mark.django_db

OFFICE = "203.162.4.10"
LIMIT = 5


def log_in(client, username: str, password: str, *, address: str = OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def locked_editor(client, editor_a):
    """editor_a is locked out from the office address."""
    for _ in range(LIMIT):
        response = log_in(client, "editor_a", "wrong-password")
    assert response.status_code == 429
    return editor_a


def release(client, username: str = "editor_a", address: str = OFFICE):
    return client.post(
        reverse("accounts:lockout_release"), {"username": username, "ip_address": address}
    )


def test_staff_see_the_locked_login_with_its_address_and_count(client, staff, locked_editor):
    client.force_login(staff)
    response = client.get(reverse("accounts:lockout_list"))
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index('id="locked-logins"') :]
    assert "editor_a" in table and OFFICE in table
    assert '<td data-label="Số lần sai" class="num">5</td>' in table
    assert f'action="{reverse("accounts:lockout_release")}"' in table
    # The menu leads there.
    assert f'href="{reverse("accounts:lockout_list")}" aria-current="page"' in page


def test_a_pair_below_the_limit_is_not_listed(client, staff, editor_a):
    for _ in range(LIMIT - 1):
        log_in(client, "editor_a", "wrong-password")
    client.force_login(staff)
    page = client.get(reverse("accounts:lockout_list")).content.decode()
    assert "Hiện không có tài khoản nào bị khoá đăng nhập." in page


def test_unlocking_lets_the_user_in_and_records_who_did_it(client, staff, locked_editor):
    client.force_login(staff)
    response = release(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:lockout_list")

    record = LockoutRelease.objects.get()
    assert (record.username, record.ip_address, record.failures) == ("editor_a", OFFICE, LIMIT)
    assert record.released_by == staff
    assert not AccessAttempt.objects.exists()

    page = client.get(reverse("accounts:lockout_list")).content.decode()
    assert f"editor_a đã có thể đăng nhập lại từ {OFFICE}." in page
    assert f"staff đã mở khoá cho editor_a từ {OFFICE} sau 5 lần đăng nhập sai." in page

    client.logout()
    assert log_in(client, "editor_a", "pw").status_code == 302


def test_unlocking_twice_is_refused_and_records_nothing_more(client, staff, locked_editor):
    client.force_login(staff)
    release(client)
    response = release(client)
    assert response.status_code == 302
    page = client.get(reverse("accounts:lockout_list")).content.decode()
    assert "editor_a không còn lần đăng nhập sai nào từ địa chỉ đó để xoá." in page
    assert LockoutRelease.objects.count() == 1


@pytest.mark.parametrize("persona", ["appraiser", "editor_a", "head_b"])
def test_others_may_neither_see_nor_unlock(client, locked_editor, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:lockout_list")).status_code == 403
    assert release(client).status_code == 403
    assert AccessAttempt.objects.filter(username="editor_a").exists()
    assert not LockoutRelease.objects.exists()


def test_anonymous_is_sent_to_log_in(client, locked_editor):
    response = client.get(reverse("accounts:lockout_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert release(client).status_code == 302
    assert not LockoutRelease.objects.exists()


def test_unlocking_is_a_post(client, staff, locked_editor):
    client.force_login(staff)
    response = client.get(
        reverse("accounts:lockout_release"), {"username": "editor_a", "ip_address": OFFICE}
    )
    assert response.status_code == 405
    assert AccessAttempt.objects.exists()


def test_a_malformed_unlock_is_refused(client, staff, locked_editor):
    client.force_login(staff)
    assert release(client, address="not-an-address").status_code == 400
    assert AccessAttempt.objects.exists()
