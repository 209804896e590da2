"""A small results story built by hand, for the analysis reads and the results pages.

Framework (make_framework_tree, 5.5 points): area 1 = 1.1 levels (1), 1.2.1 direct
(1.5, may be not applicable), 1.2.2 ratio (0.5); area 2 = 2.1 survey (1), 2.2 direct (1),
2.10 direct (0.5); area 3 = deduction 3.1 (at most 2). Survey weights A 100 %, B 50 %.

2015, every number worked out by hand:
- A ("Sở Giáo dục và Đào tạo", unit_a): 1.1 claimed 1, appraised 0.5, final 0.5;
  1.2.1 appraised 1.5 (no final); 1.2.2 claimed 0.5 only; 2.2 final 0; 2.10 never
  entered; survey 2.1 pooled A 3 + B 5 → 1 × (300 + 250) / 800 = 0.6875; deduction 0.5.
  Total 2.5 + 0.6875 − 0.5 = 2.6875 of 5.5 → 48.86 %. Rank 2.
- B ("Sở Giao thông vận tải", unit_b): full marks, 1.2.1 not applicable (max 4 + 1 survey),
  survey all A → 1. Total 4 of 4 → 100 %. Rank 1.
- C: 1.1 0, 1.2.1 1, 1.2.2 0, 2.2 0.5, 2.10 0.5, no survey answers → 2 of 5.5 → 36.36 %. Rank 3.
- D: new in 2015, 1.1 final 1 only → 18.18 %. Rank 4.
2014 (same leaves): A 1.1 = 1 → 18.18 % (rank 3); B as in 2015 → 100 % (rank 1);
C 1.1 + 1.2.1 + 1.2.2 at max → 54.55 % (rank 2). So A improved (+30.68, ▲ 1),
C declined (−18.18, ▼ 1), B unchanged, D new.
"""

from dataclasses import dataclass
from decimal import Decimal

from scoring.models import Assessment, Campaign, Criterion, Score, SurveyAnswer, SurveyResult
from scoring.services.results import results_compute
from tests.factories import make_assessment, make_campaign, make_framework_tree, make_unit
from units.models import Block, Unit

D = Decimal


def score(assessment: Assessment, code: str, **fields) -> Score:
    criterion = Criterion.objects.get(framework=assessment.framework, code=code)
    return Score.objects.create(assessment=assessment, criterion=criterion, **fields)


def survey(assessment: Assessment, code: str, group: str, counts: dict[str, int]) -> None:
    criterion = Criterion.objects.get(framework=assessment.framework, code=code)
    SurveyResult.objects.create(
        assessment=assessment, criterion=criterion, respondent_group=group, answer_counts=counts
    )


def full_marks_with_na(assessment: Assessment) -> None:
    """B's scores: everything at its maximum, 1.2.1 not applicable, survey all A."""
    score(assessment, "1.1", final_points=D("1"))
    score(assessment, "1.2.1", not_applicable=True, na_reason="Không có đơn vị trực thuộc.")
    score(assessment, "1.2.2", final_points=D("0.5"))
    score(assessment, "2.2", final_points=D("1"))
    score(assessment, "2.10", final_points=D("0.5"))
    score(assessment, "3.1", final_points=D("0"))
    survey(assessment, "2.1", "Người dân", {"A": 4})


@dataclass
class Story:
    block: Block
    campaign: Campaign
    previous: Campaign
    a: Unit
    b: Unit
    c: Unit
    d: Unit

    def assessment(self, unit: Unit) -> Assessment:
        return Assessment.objects.get(campaign=self.campaign, unit=unit)


def build_story(*, unit_a: Unit, unit_b: Unit, compute: bool = True) -> Story:
    block = unit_a.block
    c = make_unit(name="Sở Công Thương", short_name="Sở CT", code="so-ct", block=block)
    d = make_unit(
        name="Sở Du lịch", short_name="Sở DL", code="so-dl", block=block, active_from=2015
    )
    appraised = Assessment.State.APPRAISED

    previous = make_campaign(year=2014, frameworks=(make_framework_tree(year=2014, block=block),))
    SurveyAnswer.objects.create(campaign=previous, code="A", weight_percent=D("100"))
    a14 = make_assessment(campaign=previous, unit=unit_a, state=appraised)
    score(a14, "1.1", final_points=D("1"))
    full_marks_with_na(make_assessment(campaign=previous, unit=unit_b, state=appraised))
    c14 = make_assessment(campaign=previous, unit=c, state=appraised)
    score(c14, "1.1", final_points=D("1"))
    score(c14, "1.2.1", final_points=D("1.5"))
    score(c14, "1.2.2", final_points=D("0.5"))

    campaign = make_campaign(year=2015, frameworks=(make_framework_tree(year=2015, block=block),))
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=D("100"))
    SurveyAnswer.objects.create(campaign=campaign, code="B", weight_percent=D("50"))
    a15 = make_assessment(campaign=campaign, unit=unit_a, state=appraised)
    score(
        a15,
        "1.1",
        self_points=D("1"),
        appraised_points=D("0.5"),
        final_points=D("0.5"),
        appraisal_note="Kế hoạch ban hành trễ hạn.",
        unit_reply="Đơn vị xin tiếp thu.",
    )
    score(a15, "1.2.1", self_points=D("1.5"), appraised_points=D("1.5"))
    score(a15, "1.2.2", self_points=D("0.5"))
    score(
        a15,
        "2.2",
        self_points=D("1"),
        appraised_points=D("0"),
        final_points=D("0"),
        appraisal_note="Không có tài liệu kiểm chứng.",
    )
    score(a15, "3.1", final_points=D("0.5"), appraisal_note="Chậm báo cáo quý.")
    survey(a15, "2.1", "Người dân", {"A": 3, "B": 1})
    survey(a15, "2.1", "Lãnh đạo UBND cấp huyện", {"A": 0, "B": 4})
    full_marks_with_na(make_assessment(campaign=campaign, unit=unit_b, state=appraised))
    c15 = make_assessment(campaign=campaign, unit=c, state=appraised)
    score(c15, "1.1", final_points=D("0"))
    score(c15, "1.2.1", final_points=D("1"))
    score(c15, "1.2.2", final_points=D("0"))
    score(c15, "2.2", final_points=D("0.5"))
    score(c15, "2.10", final_points=D("0.5"))
    d15 = make_assessment(campaign=campaign, unit=d, state=appraised)
    score(d15, "1.1", final_points=D("1"))

    if compute:
        results_compute(campaign=campaign)
    return Story(block=block, campaign=campaign, previous=previous, a=unit_a, b=unit_b, c=c, d=d)


def build_block_of(size: int, *, year: int = 2015) -> tuple[Campaign, list[Unit]]:
    """`size` units of one block, each with a few scores and survey answers, computed."""
    block = Block.objects.create(code=f"k{size}", name=f"Khối {size}", position=9)
    campaign = make_campaign(year=year, frameworks=(make_framework_tree(year=year, block=block),))
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=D("100"))
    leaves = {
        c.code: c for c in Criterion.objects.filter(framework__year=year, framework__block=block)
    }
    units, scores, answers = [], [], []
    for i in range(size):
        unit = make_unit(block=block, code=f"k{size}-{i}")
        assessment = make_assessment(campaign=campaign, unit=unit)
        units.append(unit)
        for code in ("1.1", "1.2.1", "2.2"):
            scores.append(
                Score(
                    assessment=assessment,
                    criterion=leaves[code],
                    self_points=leaves[code].max_points,
                    appraised_points=leaves[code].max_points if i % 2 else D("0"),
                    appraisal_note="Ghi chú",
                )
            )
        answers.append(
            SurveyResult(assessment=assessment, criterion=leaves["2.1"], answer_counts={"A": i})
        )
    Score.objects.bulk_create(scores)
    SurveyResult.objects.bulk_create(answers)
    results_compute(campaign=campaign)
    return campaign, units
