"""Scoring in the admin: frameworks editable while unlocked, campaigns until published, and
assessments opened through the campaign's action (what each page answers is in
tests/cchc_portal/test_admin_access.py)."""

import pytest
from django.urls import reverse

from scoring.models import Assessment, Campaign, Criterion, Framework
from tests.factories import make_campaign, make_framework, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, staff):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    return client


def test_a_criterion_is_not_added_to_a_locked_framework(operator):
    framework = make_framework(year=2015)
    Framework.objects.filter(pk=framework.pk).update(locked=True)
    criteria = Criterion.objects.count()
    response = operator.post(
        reverse("admin:scoring_criterion_add"),
        {
            "framework": framework.pk,
            "code": "2",
            "title": "Cải cách thủ tục hành chính",
            "max_points": "5",
            "method": "direct",
            "scale": "[]",
        },
    )
    assert response.status_code == 200
    assert "đã khóa" in str(response.context["adminform"].form.errors["framework"])
    assert Criterion.objects.count() == criteria


def test_a_criterion_is_added_to_an_unlocked_framework(operator):
    framework = make_framework(year=2015)
    response = operator.post(
        reverse("admin:scoring_criterion_add"),
        {
            "framework": framework.pk,
            "code": "2",
            "title": "Cải cách thủ tục hành chính",
            "max_points": "5",
            "method": "direct",
            "scale": "[]",
        },
    )
    assert response.status_code == 302
    assert framework.criteria.filter(code="2").exists()


def test_the_admin_never_publishes_a_campaign(operator):
    campaign = make_campaign(year=2016)
    page = operator.get(reverse("admin:scoring_campaign_change", args=[campaign.pk]))
    choices = [value for value, _label in page.context["adminform"].form.fields["status"].choices]
    assert Campaign.Status.PUBLISHED not in choices
    assert Campaign.Status.SELF_ASSESSMENT in choices
    response = operator.post(
        reverse("admin:scoring_campaign_change", args=[campaign.pk]),
        {
            "year": "2016",
            "name": campaign.name,
            "status": Campaign.Status.PUBLISHED,
            "blocks-TOTAL_FORMS": "0",
            "blocks-INITIAL_FORMS": "0",
            "survey_answers-TOTAL_FORMS": "0",
            "survey_answers-INITIAL_FORMS": "0",
        },
    )
    assert list(response.context["adminform"].form.errors) == ["status"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PREPARING


def test_the_campaign_action_opens_its_assessments(operator):
    framework = make_framework(year=2016)
    campaign = make_campaign(year=2016, frameworks=(framework,))
    make_unit(block=framework.block)
    make_unit(block=framework.block)
    response = operator.post(
        reverse("admin:scoring_campaign_changelist"),
        {"action": "open_assessments", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert Assessment.objects.filter(campaign=campaign).count() == 2
    assert "đã mở 2 hồ sơ đánh giá" in response.content.decode()
