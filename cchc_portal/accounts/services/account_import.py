"""A province's accounts from the accounts workbook: planned, shown, then written.

Accounts are matched on their username (any case): a new one is created with its roles
and invited; an existing one gets the roles the file adds (a unit role may turn into
the unit's other role) and its name or address corrected. Nothing is ever taken away:
roles are withdrawn on the account's page. All or nothing, and only what staff may do
on the page: the staff role by a superuser, nobody's own roles, no superuser's account.
"""

import hashlib
import json
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from cchc_portal.accounts.models import RoleChange
from cchc_portal.accounts.services.invitations import invitations_start
from scoring.exchange.accounts_xlsx import AccountRow, AccountsFile, read_accounts_file
from scoring.exchange.problems import ImportProblem, rows_phrase
from scoring.services.import_rows import ImportRefused, file_bytes, file_name
from units.access import may_grant_staff_role, may_manage_account, may_manage_accounts
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership, Unit
from units.people import name_parts

User = get_user_model()
BATCH_SIZE = 500


class AccountsImportChanged(Exception):
    """The accounts changed between the preview and its confirmation; nothing written."""

    def __init__(self, plan: "AccountsImportPlan") -> None:
        super().__init__(
            _("The accounts changed since the preview: check what the file would do now.")
        )
        self.plan = plan


@dataclass
class AccountPlan:
    username: str
    full_name: str
    email: str
    rows: list[int]
    account: object | None  # None: created
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    unit_roles: list[tuple[Unit, str, str]] = field(default_factory=list)  # unit, role, previous
    groups: list[str] = field(default_factory=list)


@dataclass
class AccountsImportPlan:
    accounts: list[AccountPlan]  # created, or with something to change
    unchanged: int
    digest: str = ""

    @property
    def created(self) -> list[AccountPlan]:
        return [plan for plan in self.accounts if plan.account is None]

    @property
    def changed(self) -> list[AccountPlan]:
        return [plan for plan in self.accounts if plan.account is not None]

    @property
    def nothing_to_do(self) -> bool:
        return not self.accounts


def accounts_import_plan(*, actor, file: bytes | BinaryIO) -> AccountsImportPlan:
    """What importing the file would do, writing nothing; ImportRefused names every problem."""
    if not may_manage_accounts(actor):
        raise PermissionDenied
    read = read_accounts_file(file_bytes(file), name=file_name(file))
    return _Planner(read, actor, lock=False).plan()


@transaction.atomic
def accounts_import(
    *, actor, file: bytes | BinaryIO, expected_digest: str | None = None
) -> AccountsImportPlan:
    """Import the file, all or nothing; the new accounts' invitations go once committed."""
    if not may_manage_accounts(actor):
        raise PermissionDenied
    read = read_accounts_file(file_bytes(file), name=file_name(file))
    # Two imports at once would plan the same new usernames and the second would fail on
    # the unique index: the province-wide groups' rows, which always exist, serialise
    # them (SQLite's IMMEDIATE transactions already do).
    list(Group.objects.select_for_update().filter(name__in=(APPRAISER_GROUP, STAFF_GROUP)))
    planner = _Planner(read, actor, lock=True)
    plan = planner.plan()
    if expected_digest is not None and plan.digest != expected_digest:
        raise AccountsImportChanged(plan)
    _write(plan, actor)
    return plan


class _Planner:
    def __init__(self, read: AccountsFile, actor, *, lock: bool) -> None:
        self.read, self.actor = read, actor
        self.problems: list[ImportProblem] = list(read.problems)
        self.staff_rows_refused: list[int] = []
        usernames = {row.username for row in read.rows}
        emails = {row.email.lower() for row in read.rows}
        accounts = User.objects.annotate(lower=Lower("username")).filter(lower__in=usernames)
        if lock:
            accounts = accounts.select_for_update()
        self.accounts = {account.username.lower(): account for account in accounts}
        self.emails = dict(
            User.objects.annotate(lower=Lower("email"))
            .filter(lower__in=emails)
            .values_list("lower", "username")
        )
        codes = {row.unit_code for row in read.rows if row.unit_code}
        self.units = {
            unit.code.lower(): unit
            for unit in Unit.objects.annotate(lower=Lower("code")).filter(lower__in=codes)
        }
        ids = [account.pk for account in self.accounts.values()]
        self.memberships = {
            (m.user_id, m.unit_id): m.role for m in Membership.objects.filter(user_id__in=ids)
        }
        self.groups: dict[int, set[str]] = defaultdict(set)
        for user_id, name in User.groups.through.objects.filter(
            user_id__in=ids, group__name__in=(APPRAISER_GROUP, STAFF_GROUP)
        ).values_list("user_id", "group__name"):
            self.groups[user_id].add(name)
        self.staff_ids = {pk for pk, names in self.groups.items() if STAFF_GROUP in names}

    def problem(self, row: int, name: str, message: str) -> None:
        self.problems.append(self.read.problem(row, name, message))

    def plan(self) -> AccountsImportPlan:
        self._check_units()
        rows_of: dict[str, list[AccountRow]] = defaultdict(list)
        for row in self.read.rows:
            rows_of[row.username].append(row)
        plans, unchanged = [], 0
        for username, rows in rows_of.items():
            plan = self._plan_account(username, rows)
            if plan is not None and (plan.account is None or self._changes_anything(plan)):
                plans.append(plan)
            elif plan is not None:
                unchanged += 1
        if self.staff_rows_refused:
            self.problem(
                min(self.staff_rows_refused),
                "group",
                _("only a superuser grants the staff role (%(rows)s).")
                % {"rows": rows_phrase(self.staff_rows_refused)},
            )
        if self.problems:
            raise ImportRefused(self.read.ordered(self.problems))
        plan = AccountsImportPlan(accounts=plans, unchanged=unchanged)
        plan.digest = _digest(plan)
        return plan

    def _check_units(self) -> None:
        unknown: dict[str, list[int]] = defaultdict(list)
        for row in self.read.rows:
            if row.unit_code and row.unit_code not in self.units:
                unknown[row.unit_code].append(row.row)
        for code, rows in unknown.items():
            self.problem(
                rows[0],
                "unit_code",
                _(
                    "there is no unit “%(code)s” in the portal (%(rows)s): check the code, or "
                    "import the units first (Units → Import from a workbook)."
                )
                % {"code": code, "rows": rows_phrase(rows)},
            )

    def _plan_account(self, username: str, rows: list[AccountRow]) -> AccountPlan | None:
        first = rows[0]
        account = self.accounts.get(username)
        plan = AccountPlan(
            username=username,
            full_name=first.full_name,
            email=first.email,
            rows=[row.row for row in rows],
            account=account,
        )
        owner = self.emails.get(first.email.lower())
        if owner is not None and owner.lower() != username:
            self.problem(
                first.row,
                "email",
                _("the address %(email)s belongs to the account “%(owner)s”.")
                % {"email": first.email, "owner": owner},
            )
            return None
        held_groups = self.groups.get(account.pk, set()) if account else set()
        for row in rows:
            if row.group and row.group not in held_groups and row.group not in plan.groups:
                plan.groups.append(row.group)
            unit = self.units.get(row.unit_code)
            if unit is None:
                continue
            previous = self.memberships.get((account.pk, unit.pk), "") if account else ""
            if previous != row.role:
                plan.unit_roles.append((unit, row.role, previous))
        if account is not None:
            last_name, first_name = name_parts(first.full_name)
            before = (f"{account.last_name} {account.first_name}".strip(), account.email)
            for label, old, new in zip(
                (_("Full name"), _("E-mail address")),
                before,
                (f"{last_name} {first_name}".strip(), first.email),
                strict=True,
            ):
                if old != new:
                    plan.changes.append((label, old or "—", new))
        # Only what would change is judged by who may change it: a file listing a staff
        # member, or the importer, as they already are runs again without a refusal.
        if (account is None or self._changes_anything(plan)) and not self._allowed(plan, rows):
            return None
        return plan

    def _allowed(self, plan: AccountPlan, rows: list[AccountRow]) -> bool:
        """Only what the importer may do on the account's page; one problem per account."""
        account, row = plan.account, rows[0]
        if account is not None:
            message = None
            if account.pk == self.actor.pk:
                message = _("this is your own account: another staff member changes your roles.")
            elif not account.is_active:
                message = _(
                    "the account “%(username)s” is deactivated: reactivate it on its page first."
                )
            elif not may_manage_account(
                self.actor, account, holds_staff_role=account.pk in self.staff_ids
            ):
                message = _(
                    "only a superuser changes the account “%(username)s”: it is a "
                    "superuser's or holds the staff role."
                )
            if message:
                self.problem(row.row, "username", message % {"username": plan.username})
                return False
        staff_rows = [r.row for r in rows if r.group == STAFF_GROUP]
        if STAFF_GROUP in plan.groups and not may_grant_staff_role(self.actor):
            self.staff_rows_refused += staff_rows  # said once for the file, in plan()
            return False
        return True

    @staticmethod
    def _changes_anything(plan: AccountPlan) -> bool:
        return bool(plan.changes or plan.unit_roles or plan.groups)


def _write(plan: AccountsImportPlan, actor) -> None:
    created = []
    for account_plan in plan.created:
        last_name, first_name = name_parts(account_plan.full_name)
        account = User(
            username=account_plan.username,
            email=account_plan.email,
            first_name=first_name,
            last_name=last_name,
        )
        # What set_unusable_password() stores ("!" and a random string), from one call to
        # the system's random source rather than forty: 200,000 calls for 5,000 accounts
        # took most of the import's time.
        account.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        created.append(account)
    User.objects.bulk_create(created, batch_size=BATCH_SIZE)
    if any(account.pk is None for account in created):  # a database that returns no ids
        ids = dict(
            User.objects.filter(username__in=[a.username for a in created]).values_list(
                "username", "pk"
            )
        )
        for account in created:
            account.pk = ids[account.username]
    # The plan keeps saying which accounts it created: the new rows are looked up aside.
    targets = {account.username: account for account in created}
    changed = []
    for account_plan in plan.changed:
        account = account_plan.account
        account.last_name, account.first_name = name_parts(account_plan.full_name)
        account.email = account_plan.email
        targets[account.username.lower()] = account
        if account_plan.changes:
            changed.append(account)
    User.objects.bulk_update(changed, ["first_name", "last_name", "email"], batch_size=BATCH_SIZE)
    _write_roles(plan, targets, actor)
    invitations_start(accounts=created, actor=actor)


def _write_roles(plan: AccountsImportPlan, targets: dict, actor) -> None:
    groups = {
        group.name: group for group in Group.objects.filter(name__in=(APPRAISER_GROUP, STAFF_GROUP))
    }
    new_members, turned, memberships, records = [], [], [], []
    for account_plan in plan.accounts:
        account = targets[account_plan.username]
        for unit, role, previous in account_plan.unit_roles:
            if previous:
                turned.append((account.pk, unit.pk, role))
                kind = RoleChange.Kind.CHANGED
            else:
                memberships.append(Membership(user=account, unit=unit, role=role))
                kind = RoleChange.Kind.GRANTED
            records.append(
                RoleChange(
                    user=account, kind=kind, role=role, previous_role=previous, unit=unit,
                    changed_by=actor,
                )
            )  # fmt: skip
        for name in account_plan.groups:
            new_members.append(User.groups.through(user_id=account.pk, group_id=groups[name].pk))
            records.append(
                RoleChange(user=account, kind=RoleChange.Kind.GRANTED, role=name, changed_by=actor)
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    roles = {(user_id, unit_id): role for user_id, unit_id, role in turned}
    current = Membership.objects.filter(
        user_id__in={user_id for user_id, _unit, _role in turned},
        unit_id__in={unit_id for _user, unit_id, _role in turned},
    )
    kept = [m for m in current if (m.user_id, m.unit_id) in roles]
    for membership in kept:
        membership.role = roles[membership.user_id, membership.unit_id]
    Membership.objects.bulk_update(kept, ["role"], batch_size=BATCH_SIZE)
    User.groups.through.objects.bulk_create(new_members, batch_size=BATCH_SIZE)
    RoleChange.objects.bulk_create(records, batch_size=BATCH_SIZE)


def _digest(plan: AccountsImportPlan) -> str:
    """A fingerprint of what the plan writes: the preview's must match the confirmation's."""
    writes = [
        [
            p.username,
            p.account.pk if p.account is not None else None,
            p.full_name,
            p.email,
            [[unit.pk, role, previous] for unit, role, previous in p.unit_roles],
            sorted(p.groups),
        ]
        for p in plan.accounts
    ]
    return hashlib.sha256(json.dumps(writes, ensure_ascii=False).encode()).hexdigest()
