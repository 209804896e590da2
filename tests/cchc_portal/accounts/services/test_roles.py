"""Role changes: recorded with who, what and when; never one's own; the staff role and
staff accounts are for superusers; nothing written when nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from cchc_portal.accounts.models import RoleChange
from cchc_portal.accounts.services.roles import (
    AccountError,
    groups_set,
    unit_role_remove,
    unit_role_set,
)
from tests.factories import make_user
from units.access import user_roles
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership

pytestmark = pytest.mark.django_db


def roles_of(user):
    user.refresh_from_db()
    user.__dict__.pop("_cchc_roles", None)
    return user_roles(user)


def history(user) -> list[tuple]:
    return list(
        RoleChange.objects.filter(user=user)
        .order_by("pk")
        .values_list("kind", "role", "previous_role", "unit__code", "changed_by__username")
    )


def test_granting_changing_and_withdrawing_a_unit_role_is_recorded(staff, unit_a):
    officer = make_user(username="officer")
    unit_role_set(actor=staff, user=officer, unit=unit_a, role=Membership.Role.EDITOR)
    unit_role_set(actor=staff, user=officer, unit=unit_a, role=Membership.Role.HEAD)
    assert roles_of(officer).head_of == {unit_a.pk}
    unit_role_remove(actor=staff, user=officer, unit=unit_a)
    assert not roles_of(officer).any_unit
    assert history(officer) == [
        ("granted", "unit_editor", "", "so-gddt", "staff"),
        ("changed", "unit_head", "unit_editor", "so-gddt", "staff"),
        ("revoked", "unit_head", "", "so-gddt", "staff"),
    ]
    assert all(change.changed_at for change in RoleChange.objects.all())


def test_setting_a_role_already_held_writes_and_records_nothing(staff, editor_a, unit_a):
    assert unit_role_set(actor=staff, user=editor_a, unit=unit_a, role="unit_editor") is None
    assert history(editor_a) == []


def test_the_appraiser_role_is_given_and_withdrawn_by_staff(staff, editor_a):
    groups_set(actor=staff, user=editor_a, appraiser=True, staff=False)
    assert roles_of(editor_a).appraiser
    assert groups_set(actor=staff, user=editor_a, appraiser=True, staff=False) == []
    groups_set(actor=staff, user=editor_a, appraiser=False, staff=False)
    assert not roles_of(editor_a).appraiser
    assert [kind for kind, role, *_rest in history(editor_a)] == ["granted", "revoked"]


@pytest.mark.parametrize("persona", ["staff", "superuser"])
def test_nobody_changes_their_own_roles(request, persona, unit_a):
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccountError, match="tự thay đổi"):
        unit_role_set(actor=actor, user=actor, unit=unit_a, role="unit_head")
    with pytest.raises(AccountError, match="tự thay đổi"):
        groups_set(actor=actor, user=actor, appraiser=True, staff=True)
    assert history(actor) == [] and not roles_of(actor).any_unit


def test_only_a_superuser_grants_or_withdraws_the_staff_role(staff, superuser, editor_a, staff_2):
    with pytest.raises(AccountError, match="Chỉ tài khoản quản trị cao nhất"):
        groups_set(actor=staff, user=editor_a, appraiser=False, staff=True)
    assert not roles_of(editor_a).staff
    groups_set(actor=superuser, user=editor_a, appraiser=False, staff=True)
    assert roles_of(editor_a).staff
    assert history(editor_a) == [("granted", STAFF_GROUP, "", None, "root")]
    groups_set(actor=superuser, user=staff_2, appraiser=False, staff=False)
    assert not roles_of(staff_2).staff


def test_staff_accounts_and_superusers_are_managed_by_superusers_only(
    staff, staff_2, superuser, unit_a
):
    for target in (staff_2, superuser):
        with pytest.raises(AccountError):
            unit_role_set(actor=staff, user=target, unit=unit_a, role="unit_editor")
        with pytest.raises(AccountError):
            groups_set(actor=staff, user=target, appraiser=True, staff=True)
    assert not roles_of(staff_2).appraiser
    unit_role_set(actor=superuser, user=staff_2, unit=unit_a, role="unit_editor")
    assert roles_of(staff_2).editor_of == {unit_a.pk}


@pytest.mark.parametrize("persona", ["editor_a", "head_a", "appraiser"])
def test_only_staff_change_roles(request, persona, unit_b, editor_b):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        unit_role_set(actor=actor, user=editor_b, unit=unit_b, role="unit_head")
    with pytest.raises(PermissionDenied):
        groups_set(actor=actor, user=editor_b, appraiser=True, staff=False)
    assert roles_of(editor_b).editor_of == {unit_b.pk}


def test_withdrawing_a_role_not_held_is_refused(staff, editor_a, unit_b):
    with pytest.raises(AccountError):
        unit_role_remove(actor=staff, user=editor_a, unit=unit_b)
    assert history(editor_a) == []


def test_appraiser_group_names_are_the_units_constants():
    assert RoleChange.role_label(APPRAISER_GROUP) == "Thành viên Hội đồng thẩm định"
    assert RoleChange.role_label("unit_head") == "Thủ trưởng đơn vị"
