"""scoring.access: the standing of each persona towards one assessment, asked for one file
(assessment_access) and for many at once (assessments_access, which every workflow step
asks), which areas an appraiser may appraise, and when a unit's deadlines close.

The expectations are written out by hand, persona by persona, so the two ways of asking
are held to the same table rather than to each other.
"""

import datetime

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
    explanation_open,
    self_assessment_deadline,
    self_assessment_open,
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


# -- the deadlines ------------------------------------------------------------------------

DEADLINE = datetime.datetime(2017, 1, 15, 17, 0, tzinfo=datetime.UTC)
JUST_BEFORE = DEADLINE - datetime.timedelta(microseconds=1)


def test_editing_is_open_until_the_deadline_and_closed_from_that_very_moment(assessment):
    assessment.campaign.self_assessment_deadline = DEADLINE
    assert self_assessment_open(assessment, now=JUST_BEFORE)
    assert not self_assessment_open(assessment, now=DEADLINE)
    assessment.state = Assessment.State.SUBMITTED
    assert not self_assessment_open(assessment, now=JUST_BEFORE)


def test_replies_are_open_until_the_explanation_deadline_and_closed_from_that_very_moment(
    assessment,
):
    assessment.state = Assessment.State.RETURNED
    assessment.campaign.explanation_deadline = DEADLINE
    assert explanation_open(assessment, now=JUST_BEFORE)
    assert not explanation_open(assessment, now=DEADLINE)
    assessment.campaign.explanation_deadline = None  # no deadline: open while returned
    assert explanation_open(assessment, now=DEADLINE + datetime.timedelta(days=365))


def test_an_extension_moves_a_unit_s_deadline_later_but_never_earlier(assessment):
    later = DEADLINE + datetime.timedelta(days=3)
    assessment.campaign.self_assessment_deadline = DEADLINE
    assessment.self_assessment_extended_to = later
    assert self_assessment_deadline(assessment) == later
    assert self_assessment_open(assessment, now=DEADLINE)
    assert not self_assessment_open(assessment, now=later)
    # The campaign's deadline moved past the extension: the extension no longer counts.
    assessment.campaign.self_assessment_deadline = later + datetime.timedelta(days=1)
    assert self_assessment_deadline(assessment) == later + datetime.timedelta(days=1)
