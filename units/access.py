"""Who holds which role. Every view and service asks here, never checks groups itself."""

from dataclasses import dataclass, field

from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership


@dataclass(frozen=True)
class Roles:
    staff: bool = False
    appraiser: bool = False
    editor_of: frozenset[int] = field(default_factory=frozenset)
    head_of: frozenset[int] = field(default_factory=frozenset)

    @property
    def any_unit(self) -> bool:
        return bool(self.editor_of or self.head_of)


def user_roles(user) -> Roles:
    """The roles of a user, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_cchc_roles", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    editor, head = set(), set()
    for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
        (head if role == Membership.Role.HEAD else editor).add(unit_id)
    roles = Roles(
        staff=user.is_superuser or STAFF_GROUP in groups,
        appraiser=APPRAISER_GROUP in groups,
        editor_of=frozenset(editor),
        head_of=frozenset(head),
    )
    user._cchc_roles = roles
    return roles


# -- capabilities that do not depend on one assessment ---------------------------------
# Each is named for what it allows, so views and services ask the same question in the
# same words; the rule behind several is the same role today, and may not be tomorrow.


def is_staff_member(user) -> bool:
    """Interior Department staff: the staff pages (units, frameworks, campaigns)."""
    return user_roles(user).staff


def may_manage_campaigns(user) -> bool:
    """Set up frameworks and campaigns and compute their results: staff."""
    return user_roles(user).staff


def may_assign_appraisers(user) -> bool:
    return user_roles(user).staff


def may_import_results(user) -> bool:
    """Bring in scores or survey counts for many units at once: staff."""
    return user_roles(user).staff


def may_draft_decisions(user) -> bool:
    """Draft, edit and correct the People's Committee's decision: staff."""
    return user_roles(user).staff


def may_publish(user) -> bool:
    """Publish a decision (and with it the campaign's assessments), or cancel that: staff."""
    return user_roles(user).staff


def may_open_worklist(user) -> bool:
    """The appraisal worklist: staff, and appraisers (who see what is assigned to them)."""
    roles = user_roles(user)
    return roles.staff or roles.appraiser


def is_appraiser(user) -> bool:
    """Whether someone may be assigned units to appraise."""
    return user_roles(user).appraiser


# Before publication a unit's members see of their block its mean and median only, and only
# in a block of at least this many units: with two, the mean and the unit's own index
# would give the other unit's index.
BLOCK_MEANS_MIN_UNITS = 3

ALL_FIGURES = "all"
MEANS_ONLY = "means"


def block_figures_shown(user, *, published: bool, units: int) -> str:
    """How much of its block's statistics a unit's results page shows someone.

    ALL_FIGURES for staff, and for anyone once the results are published (they are
    public then). Before publication a unit's members see MEANS_ONLY: where they stand
    against the middle of the block, which their own provisional rank tells anyway, but
    not the highest and lowest index (another unit's provisional figure) nor the units
    per tier (in a small block, a lone unit in the bottom tier is known to all). In a
    block under BLOCK_MEANS_MIN_UNITS units: nothing ("").
    """
    if published or user_roles(user).staff:
        return ALL_FIGURES
    return MEANS_ONLY if units >= BLOCK_MEANS_MIN_UNITS else ""


def can_view_unit_results(user, unit) -> bool:
    """A unit's detailed results: staff, and the editors and head of that unit only.

    Appraisers and other units' members are refused too; the views answer them 404,
    as for a unit that does not exist, so the page does not reveal what it holds.
    """
    roles = user_roles(user)
    return roles.staff or unit.pk in roles.editor_of or unit.pk in roles.head_of


def may_manage_accounts(user) -> bool:
    """The accounts pages: list, create, import, deactivate accounts and change roles: staff."""
    return user_roles(user).staff


def may_grant_staff_role(user) -> bool:
    """Grant or withdraw the staff role: superusers only, so staff cannot widen their own circle."""
    return bool(getattr(user, "is_superuser", False))


def may_manage_account(actor, account, *, holds_staff_role: bool | None = None) -> bool:
    """Change this account (its name, e-mail, roles, whether it is active, its invitation).

    Nobody changes their own: a role change needs a second person. An account holding
    the staff role, or a superuser's, is managed by superusers only: staff who could
    change another staff member's e-mail address could reset that password and act in
    their name. `holds_staff_role`, when the caller read it for many accounts at once,
    saves reading it again.
    """
    if not may_manage_accounts(actor) or actor.pk == account.pk:
        return False
    if holds_staff_role is None:
        holds_staff_role = user_roles(account).staff
    if account.is_superuser or holds_staff_role:
        return may_grant_staff_role(actor)
    return True
