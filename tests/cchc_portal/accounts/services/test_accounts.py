"""Creating, editing, deactivating and reactivating accounts; who may; what is recorded."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cchc_portal.accounts.models import Invitation, RoleChange
from cchc_portal.accounts.services.accounts import (
    account_create,
    account_deactivate,
    account_reactivate,
    account_update,
)
from cchc_portal.accounts.services.roles import AccountError
from tests.factories import make_user
from units.access import user_roles
from units.models import Membership

pytestmark = pytest.mark.django_db


def create(actor, **fields):
    values = {
        "username": "nguyenvana.snv",
        "full_name": "Nguyễn Văn An",
        "email": "an.nv@snv.hoagiang.gov.vn",
    }
    return account_create(actor=actor, **{**values, **fields})


def test_a_new_account_has_its_roles_no_password_and_an_invitation(
    staff, unit_a, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = create(staff, unit=unit_a, role=Membership.Role.HEAD, appraiser=True)
    account.refresh_from_db()
    assert (account.last_name, account.first_name) == ("Nguyễn Văn", "An")
    assert not account.has_usable_password()
    assert not (account.is_staff or account.is_superuser)
    roles = user_roles(account)
    assert roles.head_of == {unit_a.pk} and roles.appraiser and not roles.staff
    assert sorted(RoleChange.objects.filter(user=account).values_list("role", "changed_by")) == [
        ("appraiser", staff.pk),
        ("unit_head", staff.pk),
    ]
    invitation = Invitation.objects.get(user=account)
    assert invitation.invited_by == staff and invitation.status == Invitation.Status.SENT
    assert [message.to for message in outbox] == [["an.nv@snv.hoagiang.gov.vn"]]


def test_no_mail_leaves_before_the_account_is_committed(staff, unit_a, outbox):
    # Without the commit (the test's transaction is rolled back), nothing is sent.
    create(staff, unit=unit_a, role=Membership.Role.EDITOR)
    assert outbox == []
    assert Invitation.objects.get().status == Invitation.Status.WAITING


def test_a_mail_failure_keeps_the_account_and_says_why(
    staff, unit_a, refusing_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = create(staff, unit=unit_a, role=Membership.Role.EDITOR)
    invitation = Invitation.objects.get(user=account)
    assert User.objects.filter(pk=account.pk).exists()
    assert invitation.status == Invitation.Status.FAILED and invitation.attempts == 1
    assert (
        "SMTPRecipientsRefused" in invitation.failure
        and "Mailbox unavailable" in invitation.failure
    )


def test_only_a_superuser_creates_a_staff_account(staff, superuser):
    with pytest.raises(AccountError, match="cán bộ Sở Nội vụ"):
        create(staff, staff=True)
    assert not User.objects.filter(username="nguyenvana.snv").exists()
    account = create(superuser, staff=True)
    assert user_roles(account).staff and not account.is_superuser


@pytest.mark.parametrize("persona", ["editor_a", "head_a", "appraiser"])
def test_only_staff_create_accounts(request, persona):
    with pytest.raises(PermissionDenied):
        create(request.getfixturevalue(persona), appraiser=True)
    assert not User.objects.filter(username="nguyenvana.snv").exists()


def test_a_taken_username_or_address_and_a_roleless_account_are_refused(staff, unit_a):
    make_user(username="nguyenvana.snv")
    with pytest.raises(AccountError, match="đã có người dùng"):
        create(staff, username="NguyenVanA.SNV", appraiser=True)
    other = make_user(username="other")
    other.email = "AN.NV@snv.hoagiang.gov.vn"
    other.save()
    with pytest.raises(AccountError, match="thuộc về một tài khoản khác"):
        create(staff, username="an2", appraiser=True)
    with pytest.raises(AccountError, match="cấp cho tài khoản một vai trò"):
        create(staff, username="an3", email="an3@x.vn")
    with pytest.raises(AccountError, match="cả đơn vị và vai trò"):
        create(staff, username="an4", email="an4@x.vn", unit=unit_a)


def test_editing_writes_only_what_changed(staff, editor_a):
    editor_a.email = "old@x.vn"
    editor_a.save()
    assert account_update(
        actor=staff, user=editor_a, full_name="Trần Thị Bình", email="old@x.vn"
    ) == ["first_name", "last_name"]
    assert (
        account_update(actor=staff, user=editor_a, full_name="Trần Thị Bình", email="old@x.vn")
        == []
    )
    editor_a.refresh_from_db()
    assert (editor_a.last_name, editor_a.first_name) == ("Trần Thị", "Bình")


def test_nobody_edits_their_own_account_here(staff):
    with pytest.raises(AccountError, match="tự thay đổi"):
        account_update(actor=staff, user=staff, full_name="X Y", email="x@y.vn")


def log_in(client, username: str) -> bool:
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": "pw"})
    return response.status_code == 302


def test_a_deactivated_account_cannot_log_in_and_loses_its_session(client, staff, editor_a):
    client.force_login(editor_a)
    assert client.get("/").wsgi_request.user.is_authenticated
    account_deactivate(actor=staff, user=editor_a)
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert not log_in(client, "editor_a")
    account_reactivate(actor=staff, user=editor_a)
    assert log_in(client, "editor_a")
    assert list(RoleChange.objects.filter(user=editor_a).values_list("kind", flat=True)) == [
        "reactivated",
        "deactivated",
    ]


def test_deactivating_twice_or_oneself_is_refused(staff, editor_a, staff_2):
    account_deactivate(actor=staff, user=editor_a)
    with pytest.raises(AccountError, match="đã bị vô hiệu hóa"):
        account_deactivate(actor=staff, user=editor_a)
    with pytest.raises(AccountError, match="tự thay đổi"):
        account_deactivate(actor=staff, user=staff)
    with pytest.raises(AccountError, match="quản trị cao nhất"):
        account_deactivate(actor=staff, user=staff_2)
    assert User.objects.get(pk=staff_2.pk).is_active
