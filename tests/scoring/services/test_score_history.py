"""Every change of a score by the appraisal keeps a history row saying who made it and why.

Appraisal disputes are where "who changed this, when, why" is asked: each path that
writes a score (appraise, accept many, reply, accept a reply, finalise) is checked
for its own history row, by actor and reason, leaf by leaf.
"""

from decimal import Decimal as D

import pytest

from scoring.models import Score
from scoring.services.appraisal import (
    assessment_finalise,
    assessment_return,
    assessment_start_appraisal,
    score_accept_reply,
    score_appraise,
    scores_accept,
)
from scoring.services.explanation import assessment_explain, score_reply
from scoring.services.self_assessment import assessment_submit
from tests.scoring.conftest import fill_in, leaf

pytestmark = pytest.mark.django_db


def history(assessment, code: str) -> list[tuple[str, str]]:
    """(reason, username) of a leaf's history rows, oldest first."""
    score = Score.objects.get(assessment=assessment, criterion__code=code)
    return [
        (row.history_change_reason, row.history_user.username if row.history_user else "")
        for row in score.history.order_by("history_date", "history_id")
    ]


def test_each_appraisal_path_writes_its_own_history_row(
    assessment, editor_a, head_a, staff, assigned
):
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    assessment_start_appraisal(assessment=assessment, actor=staff)
    # 1.1 lowered by the appraiser; 1.2 and 1.3 accepted at once by staff.
    score_appraise(
        score=Score.objects.get(assessment=assessment, criterion=leaf(assessment, "1.1")),
        actor=assigned,
        points=D("1"),
        note="Thiếu kế hoạch năm",
    )
    scores_accept(
        assessment=assessment,
        actor=staff,
        criterion_ids=[leaf(assessment, "1.2").pk, leaf(assessment, "1.3").pk],
    )
    assessment_return(assessment=assessment, actor=assigned)
    score_reply(
        score=Score.objects.get(assessment=assessment, criterion=leaf(assessment, "1.1")),
        actor=editor_a,
        reply="Kế hoạch số 12/KH ngày 05/01 có trong hồ sơ",
    )
    assessment_explain(assessment=assessment, actor=head_a)
    score_accept_reply(
        score=Score.objects.get(assessment=assessment, criterion=leaf(assessment, "1.1")),
        actor=assigned,
    )
    assessment_finalise(assessment=assessment, actor=staff)

    assert history(assessment, "1.1") == [
        ("self_assessment", "editor_a"),
        ("appraisal", "appraiser"),
        ("explanation", "editor_a"),
        ("reply_accepted", "appraiser"),
    ]
    # Accepted in bulk, then given their final points when the appraisal closed.
    for code in ("1.2", "1.3"):
        assert history(assessment, code) == [
            ("self_assessment", "editor_a"),
            ("accepted", "staff"),
            ("finalised", "staff"),
        ]
    final = {
        s.criterion.code: s.final_points for s in assessment.scores.select_related("criterion")
    }
    assert final == {"1.1": D("2"), "1.2": D("1"), "1.3": D("1")}
