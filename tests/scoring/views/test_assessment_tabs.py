"""The screens of an assessment each role is shown a way to."""

import pytest
from django.urls import reverse

from scoring.models import Assessment

pytestmark = pytest.mark.django_db


def tabs_seen(client, user, assessment) -> set[str]:
    client.force_login(user)
    html = client.get(
        reverse("assessments:assessment_detail", args=[assessment.pk])
    ).content.decode()
    names = {
        "sheet": "assessments:sheet_upload",
        "appraise": "assessments:appraise",
        "explain": "assessments:explain",
    }
    return {tab for tab, name in names.items() if reverse(name, args=[assessment.pk]) in html}


def test_unit_members_see_the_sheet_and_staff_and_appraisers_the_appraisal(
    client, assessment, editor_a, head_a, staff, assigned
):
    assert tabs_seen(client, editor_a, assessment) == {"sheet"}
    assert tabs_seen(client, head_a, assessment) == {"sheet"}
    assert tabs_seen(client, staff, assessment) == {"appraise"}
    assert tabs_seen(client, assigned, assessment) == {"appraise"}


def test_the_unit_sees_the_explanation_screen_once_the_appraisal_comes_back(
    client, assessment, editor_a
):
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.RETURNED)
    assert tabs_seen(client, editor_a, assessment) == {"sheet", "explain"}
