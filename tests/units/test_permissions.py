import pytest
from django.contrib.auth.models import Group

from tests.factories import make_user
from units.models import STAFF_GROUP
from units.people import person_name


@pytest.mark.django_db
def test_staff_may_manage_assessment_data_in_the_admin_but_not_accounts():
    codenames = set(
        Group.objects.get(name=STAFF_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"change_unit", "add_framework", "change_campaign", "view_score"} <= codenames
    assert "view_user" in codenames
    assert not {"change_user", "add_user", "change_group"} & codenames


@pytest.mark.django_db
def test_people_are_named_family_name_first():
    user = make_user(username="an")
    user.first_name, user.last_name = "An", "Nguyễn Văn"
    assert person_name(user) == "Nguyễn Văn An"
    assert person_name(make_user(username="nobody")) == "nobody"
