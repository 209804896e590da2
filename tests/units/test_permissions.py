import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import make_user
from units.models import APPRAISER_GROUP, STAFF_GROUP
from units.people import person_name
from units.permissions import grant_group_permissions


@pytest.mark.django_db
def test_staff_edit_reference_data_and_only_see_workflow_records_and_accounts():
    codenames = set(
        Group.objects.get(name=STAFF_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"change_unit", "add_framework", "change_campaign", "delete_tierband"} <= codenames
    assert {
        "view_score",
        "view_historicalscore",
        "view_assessment",
        "view_membership",
        "view_decision",
        "view_user",
    } <= codenames
    for model in ("score", "historicalscore", "assessment", "assessmentevent", "evidence"):
        assert not {f"add_{model}", f"change_{model}", f"delete_{model}"} & codenames, model
    for model in ("surveyresult", "result", "membership", "decision", "publishedresult"):
        assert not {f"add_{model}", f"change_{model}", f"delete_{model}"} & codenames, model
    assert not {"change_user", "add_user", "change_group"} & codenames


@pytest.mark.django_db
def test_a_migrate_takes_back_what_staff_were_once_granted():
    """Earlier versions granted staff every permission of the apps: a migrate revokes them."""
    staff = Group.objects.get(name=STAFF_GROUP)
    staff.permissions.add(Permission.objects.get(codename="change_score"))
    grant_group_permissions()
    assert not staff.permissions.filter(codename="change_score").exists()
    assert staff.permissions.filter(codename="view_score").exists()


@pytest.mark.django_db
def test_both_role_groups_come_back_after_the_database_is_emptied():
    """A flush (as after every transactional test) sends post_migrate: the groups the
    role pages and imports look up by name must exist again, not only staff."""
    Group.objects.all().delete()
    grant_group_permissions()
    assert set(Group.objects.values_list("name", flat=True)) == {STAFF_GROUP, APPRAISER_GROUP}


@pytest.mark.django_db
def test_people_are_named_family_name_first():
    user = make_user(username="an")
    user.first_name, user.last_name = "An", "Nguyễn Văn"
    assert person_name(user) == "Nguyễn Văn An"
    assert person_name(make_user(username="nobody")) == "nobody"
