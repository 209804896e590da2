"""Who holds which role, changed one step at a time, each change recorded (RoleChange).

Roles are unit memberships (editor or head of one unit) and two province-wide groups
(appraiser, staff). Nobody changes their own roles; the staff role is granted and
withdrawn by superusers only; an account holding the staff role is managed by
superusers only (units.access.may_manage_account says why).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cchc_portal.accounts.models import RoleChange
from units.access import may_grant_staff_role, may_manage_account, may_manage_accounts
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership, Unit

User = get_user_model()
GROUPS = (APPRAISER_GROUP, STAFF_GROUP)


class AccountError(Exception):
    """An account change was refused; the message says why, and nothing was changed."""


def require_may_manage(actor, account) -> None:
    """Refuse anyone but staff (PermissionDenied), and say why a staff member may not."""
    if not may_manage_accounts(actor):
        raise PermissionDenied
    if actor.pk == account.pk:
        raise AccountError(
            _("Nobody changes their own account or roles: ask another staff member.")
        )
    if not may_manage_account(actor, account):
        raise AccountError(
            _("Only a superuser changes a superuser's account or one holding the staff role.")
        )


def require_may_grant(actor, group: str) -> None:
    if group == STAFF_GROUP and not may_grant_staff_role(actor):
        raise AccountError(_("Only a superuser grants or withdraws the staff role."))


def locked_account(account) -> User:
    """The account's row, locked until the transaction ends: its roles are read, then written."""
    return User.objects.select_for_update().get(pk=account.pk)


@transaction.atomic
def unit_role_set(*, actor, user, unit: Unit, role: str) -> RoleChange | None:
    """Make the user editor or head of the unit; None when they already are."""
    if role not in Membership.Role.values:
        raise AccountError(_("Unknown role “%(role)s”.") % {"role": role})
    account = locked_account(user)
    require_may_manage(actor, account)
    return grant_unit_role(account=account, unit=unit, role=role, actor=actor)


@transaction.atomic
def unit_role_remove(*, actor, user, unit: Unit) -> RoleChange:
    account = locked_account(user)
    require_may_manage(actor, account)
    membership = Membership.objects.filter(user=account, unit=unit).first()
    if membership is None:
        raise AccountError(
            _("%(user)s has no role in %(unit)s.") % {"user": account.get_username(), "unit": unit}
        )
    membership.delete()
    return RoleChange.objects.create(
        user=account,
        kind=RoleChange.Kind.REVOKED,
        role=membership.role,
        unit=unit,
        changed_by=actor,
    )


@transaction.atomic
def groups_set(*, actor, user, appraiser: bool, staff: bool) -> list[RoleChange]:
    """Give or withdraw the province-wide roles; only what differs is written and recorded."""
    account = locked_account(user)
    require_may_manage(actor, account)
    held = set(account.groups.filter(name__in=GROUPS).values_list("name", flat=True))
    wanted = {name for name, on in ((APPRAISER_GROUP, appraiser), (STAFF_GROUP, staff)) if on}
    for group in held ^ wanted:
        require_may_grant(actor, group)
    changes = [grant_group(account=account, group=name, actor=actor) for name in wanted - held]
    for name in sorted(held - wanted):
        account.groups.remove(Group.objects.get(name=name))
        changes.append(
            RoleChange.objects.create(
                user=account, kind=RoleChange.Kind.REVOKED, role=name, changed_by=actor
            )
        )
    return changes


# -- steps shared with account creation and import, inside their checked transactions ---


def grant_unit_role(*, account, unit: Unit, role: str, actor) -> RoleChange | None:
    membership = Membership.objects.filter(user=account, unit=unit).first()
    if membership is not None and membership.role == role:
        return None
    if membership is None:
        Membership.objects.create(user=account, unit=unit, role=role)
        kind, previous = RoleChange.Kind.GRANTED, ""
    else:
        Membership.objects.filter(pk=membership.pk).update(role=role)
        kind, previous = RoleChange.Kind.CHANGED, membership.role
    return RoleChange.objects.create(
        user=account, kind=kind, role=role, previous_role=previous, unit=unit, changed_by=actor
    )


def grant_group(*, account, group: str, actor) -> RoleChange:
    account.groups.add(Group.objects.get(name=group))
    return RoleChange.objects.create(
        user=account, kind=RoleChange.Kind.GRANTED, role=group, changed_by=actor
    )
