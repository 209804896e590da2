"""Accounts from a workbook: created with their roles and invited, matched on username so
a file can run again; only what staff may do on the page; every problem named once."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc_portal.accounts.models import Invitation, RoleChange
from cchc_portal.accounts.services.account_import import (
    AccountsImportChanged,
    accounts_import,
    accounts_import_plan,
)
from scoring.exchange.accounts_xlsx import write_accounts_file
from scoring.services.import_rows import ImportRefused
from scoring.services.units_import import units_import
from tests.factories import make_unit, make_user
from tests.scoring.province_sample import (
    ACCOUNTS_SAMPLE,
    SAMPLES,
    UNITS_SAMPLE,
    accounts_sample,
    check_sample,
)
from units.access import user_roles
from units.models import Membership

pytestmark = pytest.mark.django_db


def row(username, name, email, unit="", role="", group=""):
    return (username, name, email, unit, None, role, group)


def accounts_file(*rows) -> bytes:
    return write_accounts_file(rows)


FILE = accounts_file(
    row("an.nv", "Nguyễn Văn An", "an@snv.vn", "so-gddt", "Thủ trưởng"),
    row("binh.tt", "Trần Thị Bình", "binh@gddt.vn", "so-gddt", "Cán bộ nhập liệu"),
    row("binh.tt", "Trần Thị Bình", "binh@gddt.vn", "so-gtvt", "editor"),
    row("chau.lm", "Lê Minh Châu", "chau@snv.vn", group="Thẩm định"),
)


def refused(actor, file: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        accounts_import(actor=actor, file=file)
    return [str(problem) for problem in caught.value.problems]


def test_accounts_are_created_with_their_roles_recorded_and_invited(
    staff, unit_a, unit_b, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_import(actor=staff, file=FILE)
    assert [p.username for p in plan.created] == ["an.nv", "binh.tt", "chau.lm"]
    binh = User.objects.get(username="binh.tt")
    assert (binh.last_name, binh.first_name, binh.email) == ("Trần Thị", "Bình", "binh@gddt.vn")
    assert not binh.has_usable_password()
    assert user_roles(binh).editor_of == {unit_a.pk, unit_b.pk}
    assert user_roles(User.objects.get(username="an.nv")).head_of == {unit_a.pk}
    assert user_roles(User.objects.get(username="chau.lm")).appraiser
    assert RoleChange.objects.filter(changed_by=staff, kind="granted").count() == 4
    assert sorted(message.to[0] for message in outbox) == [
        "an@snv.vn",
        "binh@gddt.vn",
        "chau@snv.vn",
    ]
    assert set(Invitation.objects.values_list("invited_by", flat=True)) == {staff.pk}


def test_the_same_file_again_changes_nothing(staff, unit_a, unit_b):
    accounts_import(actor=staff, file=FILE)
    before = RoleChange.objects.count(), User.objects.count(), Invitation.objects.count()
    plan = accounts_import_plan(actor=staff, file=FILE)
    assert plan.nothing_to_do and plan.unchanged == 3
    accounts_import(actor=staff, file=FILE)
    assert (RoleChange.objects.count(), User.objects.count(), Invitation.objects.count()) == before


def test_an_existing_account_gets_new_roles_and_corrections_and_loses_nothing(
    staff, unit_a, unit_b, editor_a, outbox, django_capture_on_commit_callbacks
):
    file = accounts_file(row("EDITOR_A", "Phạm Quốc Dũng", "dung@gddt.vn", "so-gddt", "head"))
    plan = accounts_import_plan(actor=staff, file=file)
    [change] = plan.changed
    assert change.changes == [
        ("Họ và tên", "—", "Phạm Quốc Dũng"),
        ("Địa chỉ thư điện tử", "—", "dung@gddt.vn"),
    ]
    assert [(unit.code, role, previous) for unit, role, previous in change.unit_roles] == [
        ("so-gddt", "unit_head", "unit_editor")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        accounts_import(actor=staff, file=file)
    editor_a.refresh_from_db()
    assert editor_a.email == "dung@gddt.vn" and user_roles(editor_a).head_of == {unit_a.pk}
    assert list(RoleChange.objects.filter(user=editor_a).values_list("kind", "previous_role")) == [
        ("changed", "unit_editor")
    ]
    assert outbox == []  # an existing account is not invited again


def test_an_unknown_unit_is_named_once_with_its_rows(staff, english):
    file = accounts_file(
        row("a", "A B", "a@x.vn", "x-moi", "editor"),
        row("b", "B C", "b@x.vn", "x-moi", "head"),
    )
    assert refused(staff, file) == [
        "Tài khoản, row 2, column Mã đơn vị: there is no unit “x-moi” in the portal (rows 2–3): "
        "check the code, or import the units first (Units → Import from a workbook)."
    ]
    assert not User.objects.filter(username__in=["a", "b"]).exists()


def test_bad_rows_are_named_with_their_column(staff, unit_a, english):
    file = accounts_file(
        row("Nguyễn An", "Nguyễn An", "an@x.vn", "so-gddt", "editor"),
        row("b", "", "not-an-address", "so-gddt", "boss"),
        row("c", "C D", "c@x.vn", "so-gddt"),
        row("d", "D E", "d@x.vn"),
        row("e", "E F", "e@x.vn", group="admin"),
    )
    assert refused(staff, file) == [
        "Tài khoản, row 2, column Tên đăng nhập: “Nguyễn An” is not a username: use letters "
        "without accents, digits and . @ + - _ (for example nguyenvana.snv).",
        "Tài khoản, row 3, column Họ và tên: the name is missing.",
        "Tài khoản, row 3, column Thư điện tử: “not-an-address” is not an e-mail address.",
        "Tài khoản, row 3, column Vai trò: “boss” is not one of Cán bộ nhập liệu (editor), "
        "Thủ trưởng (head).",
        "Tài khoản, row 4, column Vai trò: write the role in this unit: Cán bộ nhập liệu "
        "(editor), Thủ trưởng (head).",
        "Tài khoản, row 5, column Mã đơn vị: this row gives no role: write a unit code and a "
        "role, or a group (Thẩm định (appraiser), Sở Nội vụ (staff)).",
        "Tài khoản, row 6, column Nhóm: “admin” is not one of Thẩm định (appraiser), Sở Nội vụ "
        "(staff).",
    ]


def test_one_person_one_name_and_one_address(staff, unit_a, unit_b, english):
    make_user(username="owner").__class__.objects.filter(username="owner").update(
        email="taken@x.vn"
    )
    file = accounts_file(
        row("a", "A B", "a@x.vn", "so-gddt", "editor"),
        row("a", "A C", "a@x.vn", "so-gtvt", "editor"),
        row("b", "B C", "same@x.vn", "so-gddt", "editor"),
        row("c", "C D", "SAME@x.vn", "so-gddt", "editor"),
        row("d", "D E", "d@x.vn", "so-gddt", "editor"),
        row("d", "D E", "d@x.vn", "so-gddt", "head"),
        row("e", "E F", "taken@x.vn", group="appraiser"),
    )
    assert refused(staff, file) == [
        "Tài khoản, row 3, column Họ và tên: the account “a” is written differently on rows 2–3.",
        "Tài khoản, row 4, column Thư điện tử: the address same@x.vn is given to several "
        "accounts: b, c.",
        "Tài khoản, row 7, column Mã đơn vị: the account “d” already has a role in “so-gddt” "
        "on row 6.",
        "Tài khoản, row 8, column Thư điện tử: the address taken@x.vn belongs to the account "
        "“owner”.",
    ]


def test_the_staff_role_needs_a_superuser_and_nobody_imports_their_own_roles(
    staff, superuser, staff_2, english
):
    file = accounts_file(row("new.snv", "Mới Sở", "new@snv.vn", group="staff"))
    assert refused(staff, file) == [
        "Tài khoản, row 2, column Nhóm: only a superuser grants the staff role (row 2)."
    ]
    accounts_import(actor=superuser, file=file)
    assert user_roles(User.objects.get(username="new.snv")).staff
    assert refused(staff, accounts_file(row("staff", "Tôi", "me@snv.vn", group="appraiser"))) == [
        "Tài khoản, row 2, column Tên đăng nhập: this is your own account: another staff member "
        "changes your roles."
    ]
    assert refused(staff, accounts_file(row("staff_2", "Bạn", "b@snv.vn", group="appraiser"))) == [
        "Tài khoản, row 2, column Tên đăng nhập: only a superuser changes the account "
        "“staff_2”: it is a superuser's or holds the staff role."
    ]


def test_a_deactivated_account_is_not_changed_by_a_file(staff, editor_a, english):
    User.objects.filter(pk=editor_a.pk).update(is_active=False)
    [problem] = refused(staff, accounts_file(row("editor_a", "A B", "a@x.vn", group="appraiser")))
    assert "is deactivated: reactivate it on its page first" in problem


@pytest.mark.parametrize("persona", ["editor_a", "appraiser"])
def test_only_staff_import_accounts(request, persona, unit_a):
    with pytest.raises(PermissionDenied):
        accounts_import_plan(actor=request.getfixturevalue(persona), file=FILE)
    with pytest.raises(PermissionDenied):
        accounts_import(actor=request.getfixturevalue(persona), file=FILE)


def test_a_confirmation_refuses_when_the_accounts_changed_since_the_preview(staff, unit_a, unit_b):
    preview = accounts_import_plan(actor=staff, file=FILE)
    make_user(username="an.nv")
    with pytest.raises(AccountsImportChanged) as caught:
        accounts_import(actor=staff, file=FILE, expected_digest=preview.digest)
    assert not User.objects.filter(username="binh.tt").exists()
    assert [p.username for p in caught.value.plan.created] == ["binh.tt", "chau.lm"]


@pytest.mark.parametrize("size", [10, 600])
def test_importing_takes_queries_per_batch_not_per_account(staff, size):
    units = [make_unit(code=f"x-{n}") for n in range(5)]
    file = accounts_file(
        *[
            row(f"user{n}", f"Người Số {n}", f"user{n}@x.vn", units[n % 5].code, "editor")
            for n in range(size)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        accounts_import(actor=staff, file=file)
    batches = -(-size // 500)
    assert len(queries) <= 20 + 5 * batches
    assert User.objects.filter(username__startswith="user").count() == size
    assert Invitation.objects.count() == size


def test_the_documented_sample_is_current_and_imports_after_the_units_sample(
    staff, outbox, django_capture_on_commit_callbacks
):
    check_sample(ACCOUNTS_SAMPLE, accounts_sample())
    units_import(file=(SAMPLES / UNITS_SAMPLE).read_bytes())
    data = (SAMPLES / ACCOUNTS_SAMPLE).read_bytes()
    # No staff role in it, so the Interior Department's staff import it (as the demo does).
    with django_capture_on_commit_callbacks(execute=True):
        plan = accounts_import(actor=staff, file=data)
    assert len(plan.created) == 230 and len(outbox) == 230
    heads = Membership.objects.filter(role="unit_head", unit__active_to__isnull=True)
    assert heads.count() == 114  # every unit from 2025 has its head (and an editor)
    assert User.objects.filter(groups__name="appraiser").count() == 3
    assert User.objects.filter(groups__name="staff").count() == 1  # the fixture's only


def test_a_file_listing_accounts_as_they_are_runs_again_whoever_imports_it(
    superuser, staff, english
):
    file = accounts_file(
        row("new.snv", "Mới Sở", "new@snv.vn", group="staff"),
        row("staff", "", "staff@snv.vn", group="staff"),
    )
    User.objects.filter(username="staff").update(email="staff@snv.vn")
    assert refused(staff, file) == [
        "Tài khoản, row 2, column Nhóm: only a superuser grants the staff role (row 2).",
        "Tài khoản, row 3, column Họ và tên: the name is missing.",
    ]
    file = accounts_file(
        row("new.snv", "Mới Sở", "new@snv.vn", group="staff"),
        row("staff", "Nguyễn An", "staff@snv.vn", group="staff"),
    )
    accounts_import(actor=superuser, file=file)
    plan = accounts_import_plan(actor=staff, file=file)
    assert plan.nothing_to_do and plan.unchanged == 2
