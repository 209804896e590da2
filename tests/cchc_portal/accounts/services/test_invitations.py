"""Invitations: the mail, its link (a week, once, voided by a newer one), failures kept and
sent again, and the page where the invited person chooses a password."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cchc_portal.accounts.models import Invitation
from cchc_portal.accounts.services.accounts import account_create
from cchc_portal.accounts.services.invitations import (
    invitation_send_again,
    invitation_tokens,
    invitations_deliver,
)
from cchc_portal.accounts.services.roles import AccountError
from units.models import Membership, Province

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ba con mèo trèo cây cau"  # noqa: S105


@pytest.fixture
def invited(staff, unit_a, outbox, django_capture_on_commit_callbacks):
    """An officer of unit A just invited (the mail is in the outbox)."""
    Province.objects.create(name="Hòa Giang", issuing_body="Ủy ban nhân dân tỉnh Hòa Giang")
    with django_capture_on_commit_callbacks(execute=True):
        return account_create(
            actor=staff,
            username="tranthib.gddt",
            full_name="Trần Thị Bình",
            email="binh.tt@gddt.hoagiang.gov.vn",
            unit=unit_a,
            role=Membership.Role.EDITOR,
        )


def link_in(message) -> str:
    return re.search(r"https://\S+", message.body).group(0)


def path_of(link: str) -> str:
    return link.removeprefix("https://chisocchc.example.gov.vn")


def test_the_mail_says_who_what_and_until_when_in_vietnamese(invited, outbox):
    [message] = outbox
    assert message.subject == (
        "Tài khoản của bạn trên Cổng thông tin Chỉ số cải cách hành chính tỉnh Hòa Giang"
    )
    for text in (
        "Kính gửi Trần Thị Bình,",
        "Tên đăng nhập của bạn: tranthib.gddt",
        "- Cán bộ nhập liệu của đơn vị — Sở Giáo dục và Đào tạo",
        "Hãy đặt mật khẩu trong vòng 7 ngày",
        "Sau đó, đăng nhập tại: https://chisocchc.example.gov.vn/login/",
    ):
        assert text in message.body
    assert link_in(message).startswith("https://chisocchc.example.gov.vn/accounts/invitation/")


def test_choosing_the_password_logs_in_and_the_link_then_dies(client, invited, outbox):
    path = path_of(link_in(outbox[0]))
    form_page = client.get(path, follow=True)
    assert "tranthib.gddt" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == invited
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=invited).status == Invitation.Status.ACCEPTED
    client.logout()
    page = client.get(path, follow=True).content.decode()
    assert 'id="invitation-link-invalid"' in page


def test_the_link_works_for_a_week_and_not_longer(invited, monkeypatch, settings):
    token = invitation_tokens.make_token(invited)
    now = datetime.now()
    monkeypatch.setattr(invitation_tokens, "_now", lambda: now + timedelta(days=6, hours=23))
    assert invitation_tokens.check_token(invited, token)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: now + timedelta(days=7, hours=1))
    assert not invitation_tokens.check_token(invited, token)
    # The week is a setting; a password reset link keeps its one day.
    settings.INVITATION_TIMEOUT = 30 * 24 * 3600
    assert invitation_tokens.check_token(invited, token)
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 3600


def test_a_reset_token_is_no_invitation_and_the_reverse(invited):
    assert not invitation_tokens.check_token(invited, default_token_generator.make_token(invited))
    assert not default_token_generator.check_token(invited, invitation_tokens.make_token(invited))


def test_a_deactivated_accounts_link_does_not_work(client, invited, outbox):
    User.objects.filter(pk=invited.pk).update(is_active=False)
    page = client.get(path_of(link_in(outbox[0])), follow=True).content.decode()
    assert 'id="invitation-link-invalid"' in page


def test_sending_again_voids_the_earlier_link(client, staff, invited, outbox):
    first = link_in(outbox[0])
    invitation = invitation_send_again(actor=staff, user=invited)
    assert invitation.status == Invitation.Status.SENT and invitation.attempts == 2
    second = link_in(outbox[1])
    assert first != second
    page = client.get(path_of(first), follow=True).content.decode()
    assert 'id="invitation-link-invalid"' in page
    page = client.get(path_of(second), follow=True).content.decode()
    assert 'id="invitation-link-invalid"' not in page


def test_a_failed_sending_is_kept_and_a_later_one_clears_it(staff, invited, settings):
    settings.EMAIL_BACKEND = "tests.cchc_portal.accounts.mail_backends.RefusingBackend"
    invitation = invitation_send_again(actor=staff, user=invited)
    assert invitation.status == Invitation.Status.FAILED
    assert "Mailbox unavailable" in invitation.failure
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert invitation_send_again(actor=staff, user=invited).status == Invitation.Status.SENT


def test_an_unreachable_server_fails_every_invitation_of_the_batch(
    staff, unit_a, unreachable_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            account_create(
                actor=staff, username=f"u{n}", full_name=f"Người {n}", email=f"u{n}@x.vn",
                unit=unit_a, role=Membership.Role.EDITOR,
            )  # fmt: skip
    statuses = {i.status for i in Invitation.objects.all()}
    assert statuses == {Invitation.Status.FAILED}
    assert all("Connection refused" in i.failure for i in Invitation.objects.all())
    assert invitations_deliver.call(user_ids=list(User.objects.values_list("pk", flat=True))) == 0


def test_sending_again_is_refused_once_the_password_is_chosen(staff, invited):
    invited.set_password(NEW_PASSWORD)
    invited.save()
    with pytest.raises(AccountError, match="đã đặt mật khẩu"):
        invitation_send_again(actor=staff, user=invited)


def test_sending_again_to_ones_own_account_is_refused(staff):
    with pytest.raises(AccountError, match="tự thay đổi"):
        invitation_send_again(actor=staff, user=staff)


def test_the_status_follows_the_latest_attempt():
    t0 = timezone.now()
    invitation = Invitation(queued_at=t0)
    assert invitation.status == "waiting"
    invitation.failed_at = t0 + timedelta(seconds=1)
    assert invitation.status == "failed"
    invitation.sent_at = t0 + timedelta(seconds=2)
    assert invitation.status == "sent"
    invitation.queued_at = t0 + timedelta(seconds=3)  # sent again: waiting, whatever came before
    assert invitation.status == "waiting"
    invitation.failed_at = t0 + timedelta(seconds=4)
    assert invitation.status == "failed"
    invitation.accepted_at = t0 + timedelta(seconds=5)
    assert invitation.status == "accepted"


def test_the_link_carries_the_accounts_id(invited, outbox):
    assert f"/{urlsafe_base64_encode(force_bytes(invited.pk))}/" in link_in(outbox[0])
