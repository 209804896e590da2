"""The admin is an operator's tool, but a locked framework is locked there too."""

import pytest
from django.urls import reverse

from scoring.models import Framework
from tests.factories import make_framework

pytestmark = pytest.mark.django_db


def change_url(framework: Framework) -> str:
    return reverse("admin:scoring_framework_change", args=[framework.pk])


def test_a_locked_framework_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    framework = make_framework(year=2016, name="Bộ tiêu chí 2016")
    Framework.objects.filter(pk=framework.pk).update(locked=True)
    page = admin_client.get(change_url(framework)).content.decode()
    assert 'name="name"' not in page and 'name="year"' not in page
    admin_client.post(change_url(framework), {"name": "Đổi tên", "year": "2017"})
    framework.refresh_from_db()
    assert (framework.name, framework.year) == ("Bộ tiêu chí 2016", 2016)
    delete = reverse("admin:scoring_framework_delete", args=[framework.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_an_unlocked_framework_stays_editable(admin_client):
    framework = make_framework(year=2016)
    page = admin_client.get(change_url(framework)).content.decode()
    assert 'name="name"' in page
