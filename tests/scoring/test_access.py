"""scoring.access: the standing of each persona towards one assessment, asked for one file
(assessment_access) and for many at once (assessments_access, which every workflow step
asks), and which areas an appraiser may appraise.

The expectations are written out by hand, persona by persona, so the two ways of asking
are held to the same table rather than to each other.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cchc_portal.accounts.services.roles import groups_set
from scoring.access import (
    APPRAISER,
    STAFF,
    UNIT_EDITOR,
    UNIT_HEAD,
    assessment_access,
    assessments_access,
)
from scoring.models import Assessment
from scoring.services.appraisal import appraiser_assign, assessment_start_appraisal
from scoring.services.self_assessment import assessment_submit
from scoring.workflow import WorkflowError
from tests.factories import APPRAISER_GROUP, make_assessment, make_user
from tests.scoring.conftest import fill_in

pytestmark = pytest.mark.django_db

EVERY_AREA = None


@pytest.fixture
def assessment_b(assessment, unit_b):
    """Unit B's assessment in unit A's campaign (the two units share their block)."""
    assert unit_b.block == assessment.unit.block
    return make_assessment(campaign=assessment.campaign, unit=unit_b)


@pytest.fixture
def people(assessment, staff, editor_a, head_a, editor_b, head_b):
    """The personas, the appraisers assigned to unit A as their names say."""

    def appraiser(username, *areas):
        user = make_user(username=username, groups=(APPRAISER_GROUP,))
        for area in areas:
            appraiser_assign(
                campaign=assessment.campaign,
                unit=assessment.unit,
                appraiser=user,
                area_code=area,
                actor=staff,
            )
        return user

    return {
        "anonymous": AnonymousUser(),
        "staff": staff,
        "appraiser_of_every_area": appraiser("every", ""),
        "appraiser_of_area_2": appraiser("area2", "2"),
        "appraiser_of_areas_1_and_2": appraiser("areas12", "1", "2"),
        # An assignment to every area covers the one to area 2 as well.
        "appraiser_of_every_area_and_area_2": appraiser("both", "2", ""),
        "appraiser_not_assigned": appraiser("idle"),
        "editor_a": editor_a,
        "head_a": head_a,
        "editor_b": editor_b,
        "head_b": head_b,
    }


# persona -> (roles on unit A's file, areas), (roles on unit B's file, areas)
STANDINGS = {
    "anonymous": ((set(), EVERY_AREA), (set(), EVERY_AREA)),
    "staff": (({STAFF}, EVERY_AREA), ({STAFF}, EVERY_AREA)),
    "appraiser_of_every_area": (({APPRAISER}, EVERY_AREA), (set(), EVERY_AREA)),
    "appraiser_of_area_2": (({APPRAISER}, {"2"}), (set(), EVERY_AREA)),
    "appraiser_of_areas_1_and_2": (({APPRAISER}, {"1", "2"}), (set(), EVERY_AREA)),
    "appraiser_of_every_area_and_area_2": (({APPRAISER}, EVERY_AREA), (set(), EVERY_AREA)),
    "appraiser_not_assigned": ((set(), EVERY_AREA), (set(), EVERY_AREA)),
    "editor_a": (({UNIT_EDITOR}, EVERY_AREA), (set(), EVERY_AREA)),
    "head_a": (({UNIT_HEAD}, EVERY_AREA), (set(), EVERY_AREA)),
    "editor_b": ((set(), EVERY_AREA), ({UNIT_EDITOR}, EVERY_AREA)),
    "head_b": ((set(), EVERY_AREA), ({UNIT_HEAD}, EVERY_AREA)),
}


def as_table(standing):
    return set(standing.roles), None if standing.areas is None else set(standing.areas)


@pytest.mark.parametrize("persona", STANDINGS)
def test_each_persona_s_standing_on_one_file_and_on_many_at_once(
    persona, people, assessment, assessment_b
):
    user = people[persona]
    on_a, on_b = STANDINGS[persona]
    assert as_table(assessment_access(user, assessment)) == on_a
    assert as_table(assessment_access(user, assessment_b)) == on_b
    many = assessments_access(user, [assessment, assessment_b])
    assert as_table(many[assessment.pk]) == on_a
    assert as_table(many[assessment_b.pk]) == on_b


# persona -> may appraise area "1", area "2" of unit A's file
APPRAISABLE_AREAS = {
    "staff": (True, True),
    "appraiser_of_every_area": (True, True),
    "appraiser_of_area_2": (False, True),
    "appraiser_of_areas_1_and_2": (True, True),
    "appraiser_of_every_area_and_area_2": (True, True),
    "appraiser_not_assigned": (False, False),
    "editor_a": (False, False),
    "head_a": (False, False),
}


@pytest.mark.parametrize("persona", APPRAISABLE_AREAS)
def test_an_appraiser_appraises_the_areas_assigned_and_a_blank_area_means_every_area(
    persona, people, assessment, assessment_b
):
    user = people[persona]
    for standing in (
        assessment_access(user, assessment),
        assessments_access(user, [assessment, assessment_b])[assessment.pk],
    ):
        assert (
            standing.may_appraise_area("1"),
            standing.may_appraise_area("2"),
        ) == APPRAISABLE_AREAS[persona]


def test_an_appraiser_whose_role_is_withdrawn_loses_the_units_still_assigned(
    assessment, editor_a, head_a, staff, assigned
):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    groups_set(actor=staff, user=assigned, appraiser=False, staff=False)
    # The assignment stays on record (who appraised what); the role is gone.
    former = get_user_model().objects.get(pk=assigned.pk)
    assert not assessment_access(former, assessment).roles
    assert not assessments_access(former, [assessment])[assessment.pk].roles
    with pytest.raises(WorkflowError):
        assessment_start_appraisal(assessment=assessment, actor=former)
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
