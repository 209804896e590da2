"""The province-wide capabilities of units.access: who may manage which account, who may do
the staff's work, and how much of its block's statistics a unit sees."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import APPRAISER_GROUP, STAFF_GROUP, make_user
from units.access import (
    ALL_FIGURES,
    BLOCK_MEANS_MIN_UNITS,
    MEANS_ONLY,
    Roles,
    block_figures_shown,
    may_draft_decisions,
    may_grant_staff_role,
    may_import_results,
    may_manage_account,
    may_manage_accounts,
    may_manage_campaigns,
    may_publish,
    user_roles,
)
from units.people import name_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    user = make_user(username="root")
    user.is_superuser = True
    user.save()
    return user


def test_staff_manage_officers_and_appraisers_but_not_staff_nor_superusers(staff, root, editor_a):
    colleague = make_user(username="colleague", groups=(STAFF_GROUP,))
    officer = make_user(username="officer", groups=(APPRAISER_GROUP,))
    assert may_manage_accounts(staff)
    assert may_manage_account(staff, editor_a) and may_manage_account(staff, officer)
    assert not may_manage_account(staff, colleague)
    assert not may_manage_account(staff, root)
    assert may_manage_account(root, colleague) and may_manage_account(root, editor_a)
    # What a caller read for many accounts at once is taken as it is.
    assert may_manage_account(staff, colleague, holds_staff_role=False)


def test_nobody_manages_their_own_account_not_even_a_superuser(staff, root):
    assert not may_manage_account(staff, staff)
    assert not may_manage_account(root, root)


@pytest.mark.parametrize("persona", ["editor_a", "head_a", "appraiser"])
def test_only_staff_manage_accounts(request, persona, editor_b):
    user = request.getfixturevalue(persona)
    assert not may_manage_accounts(user) and not may_manage_account(user, editor_b)


def test_only_superusers_grant_the_staff_role(staff, root):
    assert may_grant_staff_role(root) and not may_grant_staff_role(staff)


def test_something_that_is_not_a_user_holds_no_role_and_grants_nothing():
    # A caller with no user at hand (a script, a background job) passes None: it must get
    # no role at all rather than fail open or crash on the missing attributes.
    assert user_roles(None) == Roles()
    assert not may_grant_staff_role(None)
    assert user_roles(AnonymousUser()) == Roles() and not may_grant_staff_role(AnonymousUser())


STAFF_ONLY = [may_manage_campaigns, may_import_results, may_draft_decisions, may_publish]


@pytest.mark.parametrize("capability", STAFF_ONLY, ids=lambda f: f.__name__)
def test_the_staff_work_is_the_staff_s_alone(capability, staff, appraiser, editor_a, head_a):
    assert capability(staff)
    for someone in (appraiser, editor_a, head_a, AnonymousUser()):
        assert not capability(someone), someone


def test_a_unit_sees_its_block_s_means_from_three_units_and_nothing_in_a_smaller_block(head_a):
    # With two units the mean and the unit's own index would give the other unit's.
    assert BLOCK_MEANS_MIN_UNITS == 3
    assert block_figures_shown(head_a, published=False, units=4) == MEANS_ONLY
    assert block_figures_shown(head_a, published=False, units=3) == MEANS_ONLY
    assert block_figures_shown(head_a, published=False, units=2) == ""
    assert block_figures_shown(head_a, published=False, units=1) == ""


def test_staff_and_everyone_after_publication_see_every_figure_of_the_block(staff, head_a):
    assert block_figures_shown(staff, published=False, units=2) == ALL_FIGURES
    assert block_figures_shown(head_a, published=True, units=2) == ALL_FIGURES
    assert block_figures_shown(AnonymousUser(), published=True, units=1) == ALL_FIGURES


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn Văn", "An")),
        ("  Lê   Thị  Bình ", ("Lê Thị", "Bình")),
        ("Châu", ("", "Châu")),
        ("", ("", "")),
    ],
)
def test_a_vietnamese_name_splits_before_its_last_word(full_name, parts):
    assert name_parts(full_name) == parts
