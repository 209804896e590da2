"""Reads of the accounts pages: the list, in a fixed number of queries however many
accounts a province has, and one account with its roles, invitation and history."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F, Prefetch, Q, QuerySet

from cchc_portal.accounts.models import Invitation, RoleChange
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership, Unit
from units.text import fold

User = get_user_model()
GROUPS = (APPRAISER_GROUP, STAFF_GROUP)

ROLE_NONE = "none"
STATUS_ACTIVE, STATUS_INACTIVE = "active", "inactive"
STATUS_NOT_SENT, STATUS_NOT_ACCEPTED = "not_sent", "not_accepted"


def account_list(*, text: str = "", role: str = "", status: str = "") -> QuerySet:
    """Accounts with their unit roles, province-wide roles and invitation, by username.

    Three queries for a page, whatever its length: the accounts with their invitation
    (a join), their memberships with the units, their groups.
    """
    accounts = User.objects.select_related("invitation").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit").order_by("unit__search_text"),
        ),
        Prefetch("groups", queryset=Group.objects.filter(name__in=GROUPS).order_by("name")),
    )
    joined = False
    for word in text.split():
        folded = fold(word)
        accounts = accounts.filter(
            Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(memberships__unit__search_text__contains=folded)
        )
        joined = True
    if role in Membership.Role.values:
        accounts, joined = accounts.filter(memberships__role=role), True
    elif role in GROUPS:
        accounts, joined = accounts.filter(groups__name=role), True
    elif role == ROLE_NONE:
        accounts = accounts.filter(memberships__isnull=True).exclude(groups__name__in=GROUPS)
    accounts = accounts.filter(_status_filter(status)) if status else accounts
    if joined:
        accounts = accounts.distinct()
    return accounts.order_by("username")


def _status_filter(status: str) -> Q:
    """The same rule as Invitation.status, in SQL."""
    if status == STATUS_ACTIVE:
        return Q(is_active=True)
    if status == STATUS_INACTIVE:
        return Q(is_active=False)
    if status == STATUS_NOT_SENT:
        return (
            Q(invitation__accepted_at__isnull=True)
            & Q(invitation__failed_at__gte=F("invitation__queued_at"))
            & (
                Q(invitation__sent_at__isnull=True)
                | Q(invitation__failed_at__gt=F("invitation__sent_at"))
            )
        )
    if status == STATUS_NOT_ACCEPTED:
        return Q(invitation__isnull=False, invitation__accepted_at__isnull=True)
    return Q()


@dataclass(frozen=True)
class AccountDetail:
    account: object
    memberships: list[Membership]
    groups: frozenset[str]
    invitation: Invitation | None
    changes: list[RoleChange]


def account_detail(pk: int) -> AccountDetail | None:
    """One account and everything its page shows (five queries); None when unknown."""
    account = User.objects.select_related("invitation__invited_by").filter(pk=pk).first()
    if account is None:
        return None
    invitation = getattr(account, "invitation", None)
    return AccountDetail(
        account=account,
        memberships=list(
            account.memberships.select_related("unit__block").order_by(
                "unit__block__position", "unit__search_text"
            )
        ),
        groups=frozenset(account.groups.filter(name__in=GROUPS).values_list("name", flat=True)),
        invitation=invitation,
        changes=list(RoleChange.objects.filter(user=account).select_related("changed_by", "unit")),
    )


def unit_choices(year: int) -> list[tuple[str, list[tuple[int, str]]]]:
    """Units still active in `year`, grouped by block, for the role forms (one query)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    units = Unit.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=year))
    for unit in units.select_related("block"):
        groups.setdefault(unit.block.name, []).append((unit.pk, f"{unit.name} ({unit.code})"))
    return list(groups.items())
