"""Password rules, changing a password, and resetting a forgotten one by e-mail."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db

STRONG = "sông Hậu mùa nước nổi"


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_the_password_of_the_testers_report_is_refused(editor_a):
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự." in refusals("cchc2016", editor_a)


@pytest.mark.parametrize(
    "password,message",
    [
        ("Soctrang201", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ("password1234", "Mật khẩu này quá phổ biến."),
        ("201620172018", "Mật khẩu này hoàn toàn là số."),
        ("editor_a-2016", "Mật khẩu quá giống với tên đăng nhập."),
    ],
)
def test_short_common_numeric_and_lookalike_passwords_are_refused(editor_a, password, message):
    assert message in refusals(password, editor_a)


def test_a_long_uncommon_password_is_accepted(editor_a):
    assert refusals(STRONG, editor_a) == []
    assert refusals("Tr@m-bay-muoi-hai", editor_a) == []


def test_every_logged_in_user_can_change_their_password(client, head_b):
    client.force_login(head_b)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Đổi mật khẩu" in page
    assert "Mật khẩu của bạn phải chứa ít nhất 12 ký tự." in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert "Mật khẩu mới đã có hiệu lực" in client.get(response["Location"]).content.decode()
    head_b.refresh_from_db()
    assert head_b.check_password(STRONG)
    # Still logged in after the change.
    assert client.session[SESSION_KEY] == str(head_b.pk)


def test_a_weak_new_password_is_refused_with_the_reason(client, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw", "new_password1": "cchc2016", "new_password2": "cchc2016"},
    )
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in response.content.decode()
    editor_a.refresh_from_db()
    assert editor_a.check_password("pw")


def test_the_old_password_is_required(client, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    editor_a.refresh_from_db()
    assert editor_a.check_password("pw")


def test_changing_a_password_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_leads_to_the_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("accounts:password_reset")}">Quên mật khẩu?</a>' in page


def test_a_forgotten_password_is_reset_through_the_link_in_the_email(client, editor_a):
    editor_a.email = "chau.lm@sgddt.soctrang.gov.vn"
    editor_a.save()

    response = client.post(reverse("accounts:password_reset"), {"email": editor_a.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor_a.email]
    assert message.subject == "Đặt lại mật khẩu trên cổng thông tin Chỉ số cải cách hành chính"
    assert "Có yêu cầu đặt lại mật khẩu của tài khoản editor_a" in message.body

    link = re.search(r"https?://\S+", message.body).group(0)
    # Django swaps the token for a session key and redirects to a URL without it.
    form_url = client.get(link)["Location"]
    page = client.get(form_url).content.decode()
    assert "Chọn mật khẩu mới" in page
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response["Location"] == reverse("accounts:password_reset_complete")

    editor_a.refresh_from_db()
    assert editor_a.check_password(STRONG)
    login = client.post(reverse("login"), {"username": "editor_a", "password": STRONG})
    assert login.status_code == 302

    # The link works once.
    client.logout()
    used = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này không còn hiệu lực" in used


def test_the_reset_enforces_the_password_rules(client, editor_a):
    editor_a.email = "chau.lm@sgddt.soctrang.gov.vn"
    editor_a.save()
    client.post(reverse("accounts:password_reset"), {"email": editor_a.email})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "cchc2016", "new_password2": "cchc2016"})
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, editor_a):
    response = client.post(reverse("accounts:password_reset"), {"email": "ai@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
