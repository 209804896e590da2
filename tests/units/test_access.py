"""The account capabilities of units.access: who may manage which account."""

import pytest

from tests.factories import APPRAISER_GROUP, STAFF_GROUP, make_user
from units.access import may_grant_staff_role, may_manage_account, may_manage_accounts
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
