"""What blocks a workflow step besides roles and states (scoring/workflow_checks.py), and
what the user is told: each step's checks asked at a chosen moment, the sentences written
out by hand.

The deadlines are on 30/11/2016 at 17:00 in Vietnam (10:00 UTC); "now" is passed in, so
the tests hold at the very second of a deadline.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from scoring.models import Assessment, CampaignBlock, Evidence, Score
from scoring.workflow_checks import checks_problems, when
from tests.factories import make_assessment, make_block, make_framework, make_unit
from tests.scoring.conftest import fill_in, leaf

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2016, 11, 30, 10, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)
DAY = dt.timedelta(days=1)


def with_deadlines(assessment: Assessment, **deadlines) -> Assessment:
    """The assessment with its campaign's deadlines (and the unit's extensions) set."""
    campaign = assessment.campaign
    for name in ("self_assessment_deadline", "explanation_deadline"):
        if name in deadlines:
            setattr(campaign, name, deadlines.pop(name))
    campaign.save()
    for name, value in deadlines.items():
        setattr(assessment, name, value)
    assessment.save()
    return assessment


def scored(assessment: Assessment, code: str, **fields) -> Score:
    return Score.objects.create(assessment=assessment, criterion=leaf(assessment, code), **fields)


def test_a_deadline_is_written_in_vietnams_time_day_first():
    assert when(DEADLINE) == "30/11/2016 17:00"
    assert when(dt.datetime(2017, 1, 2, 20, 5, tzinfo=dt.UTC)) == "03/01/2017 03:05"


# -- the unit's own steps close at its self-assessment deadline -----------------------


def test_submission_closes_at_the_very_second_of_the_deadline(assessment, editor_a, english):
    fill_in(assessment, editor_a)
    with_deadlines(assessment, self_assessment_deadline=DEADLINE)
    assert checks_problems("submit", [assessment], now=DEADLINE - SECOND) == {}
    assert checks_problems("submit", [assessment], now=DEADLINE) == {
        assessment.pk: ["The self-assessment deadline has passed."]
    }


def test_an_extension_keeps_submission_open_past_the_campaigns_deadline(
    assessment, editor_a, english
):
    fill_in(assessment, editor_a)
    with_deadlines(
        assessment,
        self_assessment_deadline=DEADLINE,
        self_assessment_extended_to=DEADLINE + DAY,
    )
    assert checks_problems("submit", [assessment], now=DEADLINE + DAY - SECOND) == {}
    assert checks_problems("withdraw", [assessment], now=DEADLINE + DAY - SECOND) == {}
    assert checks_problems("submit", [assessment], now=DEADLINE + DAY) == {
        assessment.pk: ["The self-assessment deadline has passed."]
    }


def test_without_a_deadline_the_unit_may_always_submit(assessment, editor_a, english):
    fill_in(assessment, editor_a)
    assert checks_problems("submit", [assessment], now=DEADLINE + 1000 * DAY) == {}


def test_withdrawing_or_reopening_after_the_deadline_says_how_to_get_out(assessment, english):
    with_deadlines(assessment, self_assessment_deadline=DEADLINE)
    assert checks_problems("withdraw", [assessment], now=DEADLINE) == {
        assessment.pk: [
            "The self-assessment deadline has passed: back in draft, the assessment could not "
            "be submitted again. Ask the Interior Department to extend this unit's deadline "
            "first."
        ]
    }
    assert checks_problems("reopen", [assessment], now=DEADLINE) == {
        assessment.pk: [
            "The self-assessment deadline has passed: back in draft, the assessment could not "
            "be submitted again. Extend the campaign's deadline first, or this unit's."
        ]
    }
    assert checks_problems("reopen", [assessment], now=DEADLINE - SECOND) == {}


def test_a_late_submission_lists_the_deadline_and_every_missing_item(assessment, english):
    with_deadlines(assessment, self_assessment_deadline=DEADLINE)
    assert checks_problems("submit", [assessment], now=DEADLINE) == {
        assessment.pk: [
            "The self-assessment deadline has passed.",
            "1.1: not scored yet.",
            "1.2: not scored yet.",
            "1.3: not scored yet.",
        ]
    }


def test_waiving_the_deadlines_still_needs_a_complete_file(assessment, english):
    """An import of scores kept elsewhere skips the deadlines, never the contents."""
    with_deadlines(assessment, self_assessment_deadline=DEADLINE)
    assert checks_problems("submit", [assessment], now=DEADLINE, waive_deadlines=True) == {
        assessment.pk: ["1.1: not scored yet.", "1.2: not scored yet.", "1.3: not scored yet."]
    }
    assert checks_problems("withdraw", [assessment], now=DEADLINE, waive_deadlines=True) == {}


def test_without_now_the_checks_ask_the_clock(assessment, editor_a, english):
    fill_in(assessment, editor_a)
    with_deadlines(assessment, self_assessment_deadline=DEADLINE)
    assert checks_problems("submit", [assessment]) == {
        assessment.pk: ["The self-assessment deadline has passed."]
    }


# -- what the unit still has to fill in ---------------------------------------------------


def test_a_score_row_without_points_is_not_scored_yet(assessment, editor_a, english):
    """A row can exist before any points (evidence attached first): it is still missing."""
    fill_in(assessment, editor_a)
    Score.objects.filter(assessment=assessment, criterion__code="1.3").update(self_points=None)
    assert checks_problems("submit", [assessment], now=DEADLINE) == {
        assessment.pk: ["1.3: not scored yet."]
    }


def test_evidence_or_an_explanation_satisfies_a_leaf_that_requires_evidence(
    assessment, editor_a, english
):
    fill_in(assessment, editor_a)
    required = Score.objects.get(assessment=assessment, criterion__code="1.1")
    required.self_explanation = "   \n"
    required.save()
    missing = {assessment.pk: ["1.1: attach evidence or explain why there is none."]}
    assert checks_problems("submit", [assessment], now=DEADLINE) == missing

    Evidence.objects.create(
        score=required,
        file="evidence/2016/" + "a" * 64,
        original_name="ke-hoach-cchc.pdf",
        content_type="application/pdf",
        size=3,
        sha256="a" * 64,
    )
    assert checks_problems("submit", [assessment], now=DEADLINE) == {}


def test_a_leaf_that_does_not_apply_needs_neither_points_nor_evidence(assessment, english):
    scored(assessment, "1.1", not_applicable=True, na_reason="Không có chức năng này")
    scored(assessment, "1.2", not_applicable=True, na_reason="Không có chức năng này")
    scored(assessment, "1.3", self_points=D("1"))
    assert checks_problems("submit", [assessment], now=DEADLINE) == {}


def test_each_assessment_is_checked_against_its_own_framework(assessment, editor_a, english):
    """One call for a whole campaign: each file answers for its own framework's leaves."""
    district = make_unit(block=make_block(code="huyen", name="Huyện, thị xã", position=2))
    other_framework = make_framework(year=2016, block=district.block, leaves=2)
    campaign = assessment.campaign
    CampaignBlock.objects.create(campaign=campaign, block=district.block, framework=other_framework)
    other = make_assessment(campaign=campaign, unit=district)
    fill_in(assessment, editor_a)
    scored(other, "1.2", self_points=D("3"))
    assert checks_problems("submit", [assessment, other], now=DEADLINE) == {
        other.pk: ["1.1: not scored yet."]
    }


def test_no_assessments_no_problems(english):
    assert checks_problems("submit", [], now=DEADLINE) == {}
    assert checks_problems("finalise", [], now=DEADLINE) == {}


# -- staff act for a unit only once it cannot act itself ------------------------------------


@pytest.mark.parametrize("action", ["submit_for", "appraise_unsubmitted"])
def test_staff_act_for_a_unit_only_once_its_deadline_passed(assessment, english, action):
    assert checks_problems(action, [assessment], now=DEADLINE) == {
        assessment.pk: [
            "The campaign has no self-assessment deadline: the unit can still submit itself."
        ]
    }
    with_deadlines(assessment, self_assessment_deadline=DEADLINE)
    assert checks_problems(action, [assessment], now=DEADLINE - SECOND) == {
        assessment.pk: ["The unit can still submit itself until 30/11/2016 17:00."]
    }
    assert checks_problems(action, [assessment], now=DEADLINE) == {}
    assert checks_problems(action, [assessment], now=DEADLINE + DAY) == {}


def test_staff_wait_for_the_units_extension_and_are_told_until_when(assessment, english):
    with_deadlines(
        assessment,
        self_assessment_deadline=DEADLINE,
        self_assessment_extended_to=DEADLINE + DAY,
    )
    assert checks_problems("submit_for", [assessment], now=DEADLINE + SECOND) == {
        assessment.pk: ["The unit can still submit itself until 01/12/2016 17:00."]
    }


def test_waiving_the_deadlines_lets_staff_act_at_once(assessment):
    assert checks_problems("submit_for", [assessment], now=DEADLINE, waive_deadlines=True) == {}


# -- appraisal: return and finalise need every applicable leaf appraised --------------------


def test_finalising_lists_the_leaves_not_yet_appraised_in_criteria_order(assessment, english):
    # Written out of order: the message follows the framework's order.
    scored(assessment, "1.3", self_points=D("1"))
    scored(assessment, "1.2", not_applicable=True, na_reason="Không áp dụng")
    scored(assessment, "1.1", self_points=D("2"))
    assert checks_problems("finalise", [assessment], now=DEADLINE) == {
        assessment.pk: ["1.1: not appraised yet.", "1.3: not appraised yet."]
    }
    Score.objects.filter(assessment=assessment, criterion__code="1.1").update(
        appraised_points=D("1.5")
    )
    assert checks_problems("finalise", [assessment], now=DEADLINE) == {
        assessment.pk: ["1.3: not appraised yet."]
    }
    Score.objects.filter(assessment=assessment, criterion__code="1.3").update(
        appraised_points=D("0")
    )
    assert checks_problems("finalise", [assessment], now=DEADLINE) == {}


def test_only_the_files_with_leaves_left_are_held_back(assessment, unit_b, english):
    other = Assessment.objects.create(
        campaign=assessment.campaign, unit=unit_b, framework=assessment.framework
    )
    scored(assessment, "1.1", self_points=D("2"), appraised_points=D("2"))
    scored(other, "1.1", self_points=D("2"))
    assert checks_problems("finalise", [assessment, other], now=DEADLINE) == {
        other.pk: ["1.1: not appraised yet."]
    }


def test_finalising_ignores_the_explanation_deadline(assessment, english):
    with_deadlines(assessment, explanation_deadline=DEADLINE)
    assert checks_problems("finalise", [assessment], now=DEADLINE + DAY) == {}


def test_returning_after_the_explanation_deadline_says_the_unit_could_not_reply(
    assessment, english
):
    scored(assessment, "1.1", self_points=D("2"))
    with_deadlines(assessment, explanation_deadline=DEADLINE)
    assert checks_problems("return", [assessment], now=DEADLINE - SECOND) == {
        assessment.pk: ["1.1: not appraised yet."]
    }
    assert checks_problems("return", [assessment], now=DEADLINE) == {
        assessment.pk: [
            "1.1: not appraised yet.",
            "The explanation deadline (30/11/2016 17:00) has passed: the unit could not reply. "
            "Move the campaign's explanation deadline or extend this unit's first.",
        ]
    }
    assert checks_problems("return", [assessment], now=DEADLINE, waive_deadlines=True) == {
        assessment.pk: ["1.1: not appraised yet."]
    }


def test_returning_is_timed_by_the_units_extended_explanation_deadline(assessment, english):
    with_deadlines(
        assessment, explanation_deadline=DEADLINE, explanation_extended_to=DEADLINE + DAY
    )
    assert checks_problems("return", [assessment], now=DEADLINE + SECOND) == {}
    assert checks_problems("return", [assessment], now=DEADLINE + DAY) == {
        assessment.pk: [
            "The explanation deadline (01/12/2016 17:00) has passed: the unit could not reply. "
            "Move the campaign's explanation deadline or extend this unit's first."
        ]
    }


def test_without_an_explanation_deadline_a_file_may_always_be_returned(assessment):
    assert checks_problems("return", [assessment], now=DEADLINE + 1000 * DAY) == {}


# -- the explanation: sent until its deadline, closed by staff only after it ---------------


def test_the_explanation_is_sent_until_the_very_second_of_its_deadline(assessment, english):
    with_deadlines(assessment, explanation_deadline=DEADLINE)
    assert checks_problems("explain", [assessment], now=DEADLINE - SECOND) == {}
    assert checks_problems("explain", [assessment], now=DEADLINE) == {
        assessment.pk: ["The explanation deadline has passed."]
    }
    with_deadlines(assessment, explanation_extended_to=DEADLINE + DAY)
    assert checks_problems("explain", [assessment], now=DEADLINE) == {}


def test_staff_close_an_explanation_only_once_the_unit_cannot_send_it(assessment, english):
    assert checks_problems("close_explanation", [assessment], now=DEADLINE) == {
        assessment.pk: [
            "The campaign has no explanation deadline: the unit can still send its explanation."
        ]
    }
    with_deadlines(assessment, explanation_deadline=DEADLINE)
    assert checks_problems("close_explanation", [assessment], now=DEADLINE - SECOND) == {
        assessment.pk: ["The unit can still send its explanation until 30/11/2016 17:00."]
    }
    assert checks_problems("close_explanation", [assessment], now=DEADLINE) == {}
    with_deadlines(assessment, explanation_extended_to=DEADLINE + DAY)
    assert checks_problems("close_explanation", [assessment], now=DEADLINE) == {
        assessment.pk: ["The unit can still send its explanation until 01/12/2016 17:00."]
    }


def test_steps_with_no_checks_of_their_own_are_never_held_back(assessment):
    with_deadlines(assessment, self_assessment_deadline=DEADLINE, explanation_deadline=DEADLINE)
    assert checks_problems("start_appraisal", [assessment], now=DEADLINE + DAY) == {}
