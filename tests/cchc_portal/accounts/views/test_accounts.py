"""The accounts pages: who may open them, the list (fixed queries at any size), a new
account, and each change on an account's page, refused ones re-rendered with the reason."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from cchc_portal.accounts.models import Invitation, RoleChange
from tests.factories import STAFF_GROUP, make_unit, make_user
from units.access import user_roles
from units.models import Membership

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accounts:account_list")
CREATE_URL = reverse("accounts:account_create")


def url(name: str, account, *args) -> str:
    return reverse(f"accounts:{name}", args=[account.pk, *args])


def roles_of(user):
    return user_roles(User.objects.get(pk=user.pk))


POST_ACTIONS = [
    ("account_edit", {"full_name": "A B", "email": "a@b.vn"}),
    ("account_unit_role_set", {"unit": "", "role": "unit_head"}),
    ("account_groups_set", {"appraiser": "on"}),
    ("account_deactivate", {}),
    ("account_reactivate", {}),
    ("invitation_send", {}),
]


# -- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "create", "detail"])
def test_anonymous_is_sent_to_log_in(client, editor_b, page):
    target = {"list": LIST_URL, "create": CREATE_URL, "detail": url("account_detail", editor_b)}
    response = client.get(target[page])
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["editor_a", "head_a", "appraiser"])
def test_only_staff_open_or_change_accounts(as_persona, persona, editor_b, unit_b):
    client = as_persona(persona)
    for target in (LIST_URL, CREATE_URL, url("account_detail", editor_b)):
        assert client.get(target).status_code == 403
    for name, data in POST_ACTIONS:
        assert client.post(url(name, editor_b), data).status_code == 403
    remove = url("account_unit_role_remove", editor_b, unit_b.pk)
    assert client.post(remove).status_code == 403
    assert roles_of(editor_b).editor_of == {unit_b.pk}


def test_actions_need_a_post_and_an_existing_account(as_persona, editor_b):
    client = as_persona("staff")
    for name, _data in POST_ACTIONS:
        assert client.get(url(name, editor_b)).status_code == 405
    assert client.get(reverse("accounts:account_detail", args=[9999])).status_code == 404
    assert client.post(reverse("accounts:account_deactivate", args=[9999])).status_code == 404


def test_the_menu_leads_staff_to_the_accounts(as_persona):
    page = as_persona("staff").get(LIST_URL).content.decode()
    assert f'href="{LIST_URL}" aria-current="page">Tài khoản</a>' in page


# -- the list -----------------------------------------------------------------------------


def test_the_list_shows_roles_and_invitations(as_persona, editor_a, unit_a, appraiser):
    Invitation.objects.create(
        user=editor_a, invited_by=editor_a, queued_at="2026-01-01T00:00Z",
        failed_at="2026-01-01T00:01Z", failure="SMTPRecipientsRefused: 550 Mailbox unavailable",
    )  # fmt: skip
    page = as_persona("staff").get(LIST_URL).content.decode()
    table = page[page.index('id="account-list"') :]
    assert "Cán bộ nhập liệu của đơn vị · Sở GD&amp;ĐT" in table
    assert "Thành viên Hội đồng thẩm định" in table
    assert "chưa gửi được" in table and "550 Mailbox unavailable" in table
    assert url("account_detail", editor_a) in table


def test_the_list_filters_by_text_role_and_status(as_persona, editor_a, head_a, appraiser):
    client = as_persona("staff")
    User.objects.filter(pk=head_a.pk).update(is_active=False)

    def listed(**query) -> set[str]:
        page = client.get(LIST_URL, query).context["page_obj"]
        return {account.username for account in page}

    assert listed(q="giao duc") == {"editor_a", "head_a"}  # the unit's name, accents optional
    assert listed(role="unit_head") == {"head_a"}
    assert listed(role="appraiser") == {"appraiser"}
    assert listed(status="inactive") == {"head_a"}
    assert listed(role="none") == set()


@pytest.mark.parametrize("size", [10, 500])
def test_the_list_takes_the_same_queries_for_ten_or_five_hundred_accounts(
    as_persona, size, django_assert_max_num_queries
):
    units = [make_unit(code=f"x-{n}") for n in range(10)]
    users = User.objects.bulk_create(
        [
            User(username=f"officer{n:03}", email=f"o{n}@x.vn", first_name=f"{n}")
            for n in range(size)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=units[n % 10], role="unit_editor")
            for n, user in enumerate(users)
        ]
    )
    appraisers = Group.objects.get(name="appraiser")
    appraisers.user_set.add(*users[::3])
    Invitation.objects.bulk_create(
        [Invitation(user=user, invited_by=user, queued_at="2026-01-01T00:00Z") for user in users]
    )
    client = as_persona("staff")
    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(size + 1, 50)


# -- a new account ------------------------------------------------------------------------


def new_account(**fields) -> dict:
    return {
        "username": "NguyenVanA.SNV",
        "full_name": "Nguyễn Văn An",
        "email": "an@snv.vn",
        "unit": "",
        "role": "",
        **fields,
    }


def test_staff_create_an_account_with_a_role(
    as_persona, unit_a, outbox, django_capture_on_commit_callbacks
):
    client = as_persona("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE_URL, new_account(unit=unit_a.pk, role="unit_head"))
    account = User.objects.get(username="nguyenvana.snv")
    assert response.status_code == 302 and response["Location"] == url("account_detail", account)
    assert roles_of(account).head_of == {unit_a.pk}
    assert [m.to for m in outbox] == [["an@snv.vn"]]


def test_a_wrong_new_account_is_shown_again_with_its_errors(as_persona, staff):
    client = as_persona("staff")
    response = client.post(CREATE_URL, new_account(username="staff", email="bad"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["username"] == ["Tên đăng nhập này đã có người dùng."]
    assert "email" in errors
    response = client.post(CREATE_URL, new_account(username="ok"))
    assert response.context["form"].non_field_errors() == [
        "Hãy cấp cho tài khoản một vai trò: một đơn vị và vai trò trong đơn vị, hoặc một nhóm."
    ]
    assert not User.objects.filter(username="ok").exists()


def test_staff_cannot_grant_the_staff_role_nor_superuser_from_the_page(as_persona):
    client = as_persona("staff")
    client.post(
        CREATE_URL,
        new_account(appraiser="on", staff="on", is_superuser="on", is_staff="on"),
    )
    account = User.objects.get(username="nguyenvana.snv")
    assert roles_of(account).appraiser and not roles_of(account).staff
    assert not (account.is_superuser or account.is_staff)


def test_a_superuser_grants_the_staff_role_from_the_page(client, superuser):
    client.force_login(superuser)
    client.post(CREATE_URL, new_account(staff="on"))
    assert roles_of(User.objects.get(username="nguyenvana.snv")).staff


# -- an account's page --------------------------------------------------------------------


def test_the_page_shows_the_roles_and_who_changed_them_when(as_persona, staff, editor_b, unit_b):
    RoleChange.objects.create(
        user=editor_b, kind="granted", role="unit_editor", unit=unit_b, changed_by=staff
    )
    page = as_persona("staff").get(url("account_detail", editor_b)).content.decode()
    history = page[page.index('id="role-changes"') :]
    assert "staff cấp vai trò Cán bộ nhập liệu của đơn vị tại Sở Giao thông vận tải." in history
    assert url("account_unit_role_remove", editor_b, unit_b.pk) in page


def test_roles_are_given_changed_and_withdrawn_from_the_page(as_persona, editor_b, unit_a, unit_b):
    client = as_persona("staff")
    response = client.post(
        url("account_unit_role_set", editor_b), {"unit": unit_a.pk, "role": "unit_head"}
    )
    assert response.status_code == 302
    client.post(url("account_groups_set", editor_b), {"appraiser": "on"})
    client.post(url("account_unit_role_remove", editor_b, unit_b.pk))
    roles = roles_of(editor_b)
    assert roles.head_of == {unit_a.pk} and not roles.editor_of and roles.appraiser
    assert RoleChange.objects.filter(user=editor_b).count() == 3


def test_staff_posting_the_staff_box_changes_nothing(as_persona, editor_b):
    as_persona("staff").post(url("account_groups_set", editor_b), {"staff": "on"})
    assert not roles_of(editor_b).staff and not RoleChange.objects.exists()


def test_ones_own_page_is_read_only_and_a_post_is_refused_with_the_reason(
    as_persona, staff, unit_a
):
    client = as_persona("staff")
    page = client.get(url("account_detail", staff)).content.decode()
    assert "Đây là tài khoản của chính bạn" in page
    assert url("account_unit_role_set", staff) not in page
    response = client.post(
        url("account_unit_role_set", staff), {"unit": unit_a.pk, "role": "unit_head"}
    )
    assert response.status_code == 409
    assert "Không ai tự thay đổi tài khoản hoặc vai trò của chính mình" in response.content.decode()
    assert not roles_of(staff).any_unit


def test_a_colleagues_staff_account_is_read_only_for_staff(as_persona):
    colleague = make_user(username="staff_2", groups=(STAFF_GROUP,))
    client = as_persona("staff")
    page = client.get(url("account_detail", colleague)).content.decode()
    assert "Chỉ tài khoản quản trị cao nhất mới được thay đổi tài khoản này" in page
    assert client.post(url("account_deactivate", colleague)).status_code == 409
    assert User.objects.get(pk=colleague.pk).is_active


def test_deactivating_and_reactivating_from_the_page(as_persona, editor_b):
    client = as_persona("staff")
    client.post(url("account_deactivate", editor_b))
    assert not User.objects.get(pk=editor_b.pk).is_active
    page = client.get(url("account_detail", editor_b)).content.decode()
    assert "Đã vô hiệu hóa" in page and url("account_reactivate", editor_b) in page
    client.post(url("account_reactivate", editor_b))
    assert User.objects.get(pk=editor_b.pk).is_active


def test_an_edit_with_a_taken_address_is_shown_again(as_persona, editor_a, editor_b):
    User.objects.filter(pk=editor_a.pk).update(email="a@x.vn")
    response = as_persona("staff").post(
        url("account_edit", editor_b), {"full_name": "B C", "email": "A@x.vn"}
    )
    assert response.status_code == 200
    assert response.context["edit_form"].errors["email"] == [
        "Địa chỉ này thuộc về một tài khoản khác."
    ]


def test_sending_the_invitation_again_says_how_it_went(as_persona, editor_b, outbox, settings):
    editor_b.set_unusable_password()
    editor_b.email = "b@x.vn"
    editor_b.save()
    client = as_persona("staff")
    response = client.post(url("invitation_send", editor_b), follow=True)
    assert "Đã gửi thư mời đến b@x.vn" in response.content.decode()
    settings.EMAIL_BACKEND = "tests.cchc_portal.accounts.mail_backends.RefusingBackend"
    response = client.post(url("invitation_send", editor_b), follow=True)
    page = response.content.decode()
    assert "Không gửi được thư mời: SMTPRecipientsRefused" in page
    assert len(outbox) == 1 and User.objects.filter(pk=editor_b.pk).exists()


def test_sending_again_to_an_account_with_a_password_is_refused(as_persona, editor_b):
    response = as_persona("staff").post(url("invitation_send", editor_b))
    assert response.status_code == 409
    assert "đã đặt mật khẩu" in response.content.decode()


def test_the_records_are_read_only_in_the_admin(client, superuser, staff, editor_b):
    RoleChange.objects.create(user=editor_b, kind="deactivated", changed_by=staff)
    User.objects.filter(pk=superuser.pk).update(is_staff=True)
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_rolechange_changelist"))
    assert page.status_code == 200 and "editor_b" in page.content.decode()
    assert client.get(reverse("admin:accounts_rolechange_add")).status_code == 403
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403
