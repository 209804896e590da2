"""Fixtures of the workflow tests: a small framework using every method, and its assessment."""

from decimal import Decimal as D

import pytest

from scoring.models import Assessment, Criterion, Framework
from scoring.services.appraisal import (
    appraiser_assign,
    assessment_finalise,
    assessment_return,
    assessment_start_appraisal,
    scores_accept,
)
from scoring.services.explanation import assessment_explain
from scoring.services.self_assessment import SelfInput, assessment_submit, score_self_assess
from tests.factories import make_campaign

ON_TIME = [
    {"label": "Đúng hạn", "points": "1"},
    {"label": "Chậm", "points": "0.5"},
    {"label": "Không thực hiện", "points": "0"},
]
SETTLED = [{"min_percent": "95", "points": "2"}, {"min_percent": "80", "points": "1"}]


@pytest.fixture
def framework(unit_a) -> Framework:
    """1.1 direct (2, step 0.25, evidence required); 1.2 levels (1, may not apply);
    1.3 ratio (2); 2.1 survey (5)."""
    framework = Framework.objects.create(year=2016, block=unit_a.block, name="Bộ tiêu chí 2016")
    area1 = Criterion.objects.create(framework=framework, code="1", title="Chỉ đạo", max_points=5)
    Criterion.objects.create(
        framework=framework,
        parent=area1,
        code="1.1",
        title="Kế hoạch",
        max_points=D("2"),
        step=D("0.25"),
        evidence_required=True,
    )
    Criterion.objects.create(
        framework=framework,
        parent=area1,
        code="1.2",
        title="Báo cáo",
        max_points=D("1"),
        method="levels",
        scale=ON_TIME,
        na_allowed=True,
    )
    Criterion.objects.create(
        framework=framework,
        parent=area1,
        code="1.3",
        title="Hồ sơ",
        max_points=D("2"),
        method="ratio",
        scale=SETTLED,
    )
    area2 = Criterion.objects.create(framework=framework, code="2", title="Khảo sát", max_points=5)
    Criterion.objects.create(
        framework=framework,
        parent=area2,
        code="2.1",
        title="Hài lòng",
        max_points=D("5"),
        method="survey",
    )
    assert framework.consistency_problems() == []
    return framework


@pytest.fixture
def assessment(framework, unit_a) -> Assessment:
    campaign = make_campaign(year=2016, frameworks=(framework,))
    return Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)


def leaf(assessment, code) -> Criterion:
    return assessment.framework.criteria.get(code=code)


def fill_in(assessment, editor):
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=editor,
        entry=SelfInput(points=D("2"), explanation="Kế hoạch số 12/KH ngày 05/01"),
    )
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.2"),
        actor=editor,
        entry=SelfInput(level="Đúng hạn"),
    )
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.3"),
        actor=editor,
        entry=SelfInput(numerator=D("90"), denominator=D("100")),
    )


@pytest.fixture
def assigned(assessment, appraiser, staff):
    appraiser_assign(
        campaign=assessment.campaign, unit=assessment.unit, appraiser=appraiser, actor=staff
    )
    return appraiser


def move_to(assessment, state, *, head, staff):
    """Walk an assessment along the workflow to `state` through the services."""
    path = ["submitted", "in_appraisal", "returned", "explained", "appraised"]
    for step in path[: path.index(state) + 1]:
        assessment.refresh_from_db()
        if step == "submitted":
            assessment_submit(assessment=assessment, actor=head)
        elif step == "in_appraisal":
            assessment_start_appraisal(assessment=assessment, actor=staff)
        elif step == "returned":
            scores_accept(
                assessment=assessment,
                actor=staff,
                criterion_ids=list(assessment.framework.criteria.values_list("pk", flat=True)),
            )
            assessment_return(assessment=assessment, actor=staff)
        elif step == "explained":
            assessment_explain(assessment=assessment, actor=head)
        elif step == "appraised":
            assessment_finalise(assessment=assessment, actor=staff)
    assessment.refresh_from_db()
    assert assessment.state == state
