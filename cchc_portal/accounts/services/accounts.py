"""Accounts of a province made and kept by staff: create (with an invitation), edit,
deactivate, reactivate. Roles change in cchc_portal.accounts.services.roles."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cchc_portal.accounts.models import RoleChange
from cchc_portal.accounts.services.invitations import invitations_start
from cchc_portal.accounts.services.roles import (
    AccountError,
    grant_group,
    grant_unit_role,
    locked_account,
    require_may_grant,
    require_may_manage,
)
from units.access import may_manage_accounts
from units.models import APPRAISER_GROUP, STAFF_GROUP, Unit
from units.people import name_parts

User = get_user_model()


def username_taken(username: str, *, other_than: int | None = None) -> bool:
    """Usernames differ by more than case: "An.NV" and "an.nv" would be one person twice."""
    return User.objects.filter(username__iexact=username).exclude(pk=other_than).exists()


def email_taken(email: str, *, other_than: int | None = None) -> bool:
    """An address belongs to one account: a reset link goes to every account holding it."""
    return User.objects.filter(email__iexact=email).exclude(pk=other_than).exists()


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    full_name: str,
    email: str,
    unit: Unit | None = None,
    role: str = "",
    appraiser: bool = False,
    staff: bool = False,
):
    """A new account with its roles, no password yet, and its invitation queued.

    Only staff create accounts, and only a superuser one with the staff role; the
    account is never a superuser nor opens the Django admin.
    """
    if not may_manage_accounts(actor):
        raise PermissionDenied
    if staff:
        require_may_grant(actor, STAFF_GROUP)
    if bool(unit) != bool(role):
        raise AccountError(_("Choose both a unit and the role in it, or neither."))
    if not (unit or appraiser or staff):
        raise AccountError(_("Give the account a role: a unit and its role, or a group."))
    if username_taken(username):
        raise AccountError(_("The username “%(username)s” is taken.") % {"username": username})
    if email_taken(email):
        raise AccountError(
            _("The address %(email)s belongs to another account.") % {"email": email}
        )
    last_name, first_name = name_parts(full_name)
    account = User(username=username, email=email, first_name=first_name, last_name=last_name)
    account.set_unusable_password()
    account.save()
    if unit is not None:
        grant_unit_role(account=account, unit=unit, role=role, actor=actor)
    for group, wanted in ((APPRAISER_GROUP, appraiser), (STAFF_GROUP, staff)):
        if wanted:
            grant_group(account=account, group=group, actor=actor)
    invitations_start(accounts=[account], actor=actor)
    return account


@transaction.atomic
def account_update(*, actor, user, full_name: str, email: str) -> list[str]:
    """Correct the name or the e-mail address; the names of the fields changed.

    A new address voids the invitation links sent to the old one (the token hashes it):
    send the invitation again afterwards.
    """
    account = locked_account(user)
    require_may_manage(actor, account)
    if email.lower() != account.email.lower() and email_taken(email, other_than=account.pk):
        raise AccountError(
            _("The address %(email)s belongs to another account.") % {"email": email}
        )
    last_name, first_name = name_parts(full_name)
    wanted = {"first_name": first_name, "last_name": last_name, "email": email}
    changed = [name for name, value in wanted.items() if getattr(account, name) != value]
    if changed:
        User.objects.filter(pk=account.pk).update(**{name: wanted[name] for name in changed})
    return changed


@transaction.atomic
def account_deactivate(*, actor, user) -> RoleChange:
    """The account can no longer log in, and its open sessions end; nothing is deleted."""
    return _set_active(actor=actor, user=user, active=False)


@transaction.atomic
def account_reactivate(*, actor, user) -> RoleChange:
    return _set_active(actor=actor, user=user, active=True)


def _set_active(*, actor, user, active: bool) -> RoleChange:
    account = locked_account(user)
    require_may_manage(actor, account)
    if account.is_active == active:
        message = (
            _("The account is already active.")
            if active
            else _("The account is already deactivated.")
        )
        raise AccountError(message)
    User.objects.filter(pk=account.pk).update(is_active=active)
    kind = RoleChange.Kind.REACTIVATED if active else RoleChange.Kind.DEACTIVATED
    return RoleChange.objects.create(user=account, kind=kind, changed_by=actor)
