"""The what-if line: how accepting a unit's explanation would move its total, tier and rank.

The pure part on hand-built figures, then the loader against results_compute: the
unit's figures "now" must be what the computation stores, and "after" what it
stores once the reply is accepted.
"""

from decimal import Decimal as D

import pytest

from scoring import access
from scoring.calculations import Tier
from scoring.models import Assessment, Criterion, Framework, Result, SurveyAnswer, SurveyResult
from scoring.selectors.appraisal import appraisal_sheet
from scoring.services.appraisal import (
    assessment_return,
    assessment_start_appraisal,
    score_accept_reply,
    score_appraise,
    scores_accept,
)
from scoring.services.explanation import assessment_explain, score_reply
from scoring.services.results import results_compute
from scoring.services.self_assessment import assessment_submit
from scoring.whatif import AreaFigures, LeafFigures, standing, unit_total, what_if
from tests.factories import make_campaign, make_unit

TIERS = [Tier("Tốt", D("70")), Tier("Khá", D("60"))]
# Area 1 scored (1.1 and 1.2, 10 each); area 2 survey (10, the unit got 5);
# area 3 a deduction of at most 2.
AREAS = [
    AreaFigures("1", "scored"),
    AreaFigures("2", "scored", survey_points=D("5"), survey_max=D("10")),
    AreaFigures("3", "deduction"),
]


def leaves(**changes) -> list[LeafFigures]:
    figures = {
        "1.1": LeafFigures("1.1", "1", D("10"), self_points=D("8"), appraised_points=D("6")),
        "1.2": LeafFigures("1.2", "1", D("10"), self_points=D("10"), appraised_points=D("7")),
        "3.1": LeafFigures("3.1", "3", D("2"), self_points=D("0"), appraised_points=D("1")),
    }
    figures.update(changes)
    return list(figures.values())


def test_the_total_follows_the_computations_rules():
    total = unit_total(AREAS, leaves())
    # 6 + 7 appraised, 5 from the survey, 1 deducted; maximum 20 + 10.
    assert (total.total, total.applicable_max) == (D("17"), D("30"))
    assert total.index == D("56.6666666667")


def test_final_points_win_over_appraised_and_a_claim_counts_before_appraisal():
    figures = leaves(
        **{
            "1.1": LeafFigures(
                "1.1",
                "1",
                D("10"),
                self_points=D("8"),
                appraised_points=D("6"),
                final_points=D("7"),
            ),
            "1.2": LeafFigures("1.2", "1", D("10"), self_points=D("9")),
        }
    )
    assert unit_total(AREAS, figures).total == D("7") + D("9") + D("5") - D("1")


def test_a_not_applicable_leaf_leaves_the_maximum():
    figures = leaves(**{"1.2": LeafFigures("1.2", "1", D("10"), not_applicable=True)})
    total = unit_total(AREAS, figures)
    assert (total.total, total.applicable_max) == (D("10"), D("20"))
    assert total.index == D("50")


def test_a_deduction_is_capped_by_its_area():
    figures = leaves(**{"3.1": LeafFigures("3.1", "3", D("2"), appraised_points=D("3"))})
    assert unit_total(AREAS, figures).total == D("6") + D("7") + D("5") - D("2")


def test_accepting_each_reply_and_all_of_them():
    result = what_if(
        areas=AREAS,
        leaves=leaves(),
        replied=["1.1", "1.2"],
        others=[D("80"), D("65"), D("60"), D("50")],
        tiers=TIERS,
    )
    assert result.now.index == D("56.6666666667")
    assert (result.now.tier, result.now.rank, result.now.ranked_units) == ("", 4, 5)

    first = result.per_leaf["1.1"]
    assert (first.after.total, first.total_change) == (D("19"), D("2"))
    assert first.after.index == D("63.3333333333")
    assert (first.after.tier, first.after.rank, first.rank_change) == ("Khá", 3, 1)
    assert first.tier_changes and first.direction == "up"

    second = result.per_leaf["1.2"]
    assert (second.after.total, second.after.rank) == (D("20"), 2)

    every = result.all_replies
    assert (every.after.total, every.after.tier, every.after.rank) == (D("22"), "Tốt", 2)
    assert every.after.index == D("73.3333333333")


def test_equal_indexes_share_a_rank():
    result = what_if(
        areas=AREAS,
        leaves=leaves(),
        replied=["1.2"],
        others=[D("66.6666666667"), D("90")],
        tiers=TIERS,
    )
    assert result.per_leaf["1.2"].after.rank == 2  # tied with the first of the others
    assert result.now.rank == 3


def test_without_computed_results_the_rank_is_unknown():
    result = what_if(areas=AREAS, leaves=leaves(), replied=["1.1"], others=None, tiers=TIERS)
    change = result.per_leaf["1.1"]
    assert change.before.rank is None and change.after.rank is None
    assert change.rank_change is None
    assert change.total_change == D("2")


def test_no_reply_no_line():
    result = what_if(areas=AREAS, leaves=leaves(), replied=[], others=[], tiers=TIERS)
    assert result.per_leaf == {} and result.all_replies is None
    assert result.now.rank == 1 and result.now.ranked_units == 1


def test_a_reply_that_changes_nothing_says_so():
    same = leaves(
        **{"1.1": LeafFigures("1.1", "1", D("10"), self_points=D("6"), appraised_points=D("6"))}
    )
    change = what_if(
        areas=AREAS, leaves=same, replied=["1.1"], others=[D("1")], tiers=TIERS
    ).per_leaf["1.1"]
    assert not change.changes_anything and change.direction == "same"


def test_standing_alone_ranks_among_the_others():
    total = unit_total(AREAS, leaves())
    assert standing(total, [D("56.6666666667")], TIERS).rank == 1
    assert standing(total, [D("56.6666666668")], TIERS).rank == 2


# -- the loader, against the computation ------------------------------------------------


@pytest.fixture
def block_2016(db, unit_a, head_a, editor_a, staff):
    """Unit A and two other departments; a survey leaf; a deduction; tiers Tốt 80, Khá 65."""
    framework = Framework.objects.create(year=2016, block=unit_a.block, name="Bộ tiêu chí 2016")

    def node(code, max_points, parent=None, **extra):
        return Criterion.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            title=f"Tiêu chí {code}",
            max_points=D(max_points),
            **extra,
        )

    area1 = node("1", "20")
    node("1.1", "10", area1)
    node("1.2", "10", area1, na_allowed=True)
    area2 = node("2", "10")
    node("2.1", "10", area2, method="survey")
    area3 = node("3", "2", method="deduction")
    node("3.1", "2", area3, method="deduction")
    campaign = make_campaign(year=2016, frameworks=(framework,))
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=D("100"))
    SurveyAnswer.objects.create(campaign=campaign, code="B", weight_percent=D("50"))

    def assessment_of(unit, *, points, survey):
        assessment = Assessment.objects.create(campaign=campaign, unit=unit, framework=framework)
        for code, value in points.items():
            assessment.scores.create(
                criterion=framework.criteria.get(code=code),
                self_points=D(value),
                appraised_points=D(value),
                final_points=D(value),
            )
        SurveyResult.objects.create(
            assessment=assessment,
            criterion=framework.criteria.get(code="2.1"),
            answer_counts=survey,
        )
        Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.APPRAISED)
        return assessment

    # The others: 29 of 30 (96.67 %) and 23 of 30 (76.67 %).
    assessment_of(
        make_unit(block=unit_a.block), points={"1.1": "10", "1.2": "9", "3.1": "0"}, survey={"A": 8}
    )
    assessment_of(
        make_unit(block=unit_a.block),
        points={"1.1": "8", "1.2": "5", "3.1": "0"},
        survey={"A": 6, "B": 0},
    )

    mine = Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)
    for code, value in {"1.1": "9", "1.2": "8", "3.1": "0"}.items():
        mine.scores.create(criterion=framework.criteria.get(code=code), self_points=D(value))
    # 1 A and 1 B of 2: 75 % of 10 points.
    SurveyResult.objects.create(
        assessment=mine, criterion=framework.criteria.get(code="2.1"), answer_counts={"A": 1}
    )
    SurveyResult.objects.create(
        assessment=mine,
        criterion=framework.criteria.get(code="2.1"),
        respondent_group="citizens",
        answer_counts={"B": 1},
    )
    assessment_submit(assessment=mine, actor=head_a)
    assessment_start_appraisal(assessment=mine, actor=staff)
    lowered = mine.scores.get(criterion__code="1.1")
    score_appraise(score=lowered, actor=staff, points=D("5"), note="Thiếu kế hoạch")
    scores_accept(
        assessment=mine,
        actor=staff,
        criterion_ids=list(framework.criteria.exclude(code="1.1").values_list("pk", flat=True)),
    )
    assessment_return(assessment=mine, actor=staff)
    lowered.refresh_from_db()
    score_reply(score=lowered, actor=editor_a, reply="Đã có Kế hoạch số 12/KH")
    assessment_explain(assessment=mine, actor=head_a)
    mine.refresh_from_db()
    return mine


def sheet_of(assessment, user):
    assessment = Assessment.objects.select_related("campaign", "unit__block", "framework").get(
        pk=assessment.pk
    )
    return appraisal_sheet(assessment, access.assessment_access(user, assessment), user)


def test_without_stored_results_the_page_gives_the_index_but_no_rank(block_2016, staff):
    whatif = sheet_of(block_2016, staff).whatif
    assert whatif.results_computed_at is None
    now = whatif.result.now
    # 5 + 8 appraised, 7.5 from the survey: 20.5 of 30.
    assert (now.total, now.rank) == (D("20.5"), None)
    change = whatif.result.all_replies
    assert change.after.total == D("24.5") and change.after.rank is None


def test_now_and_after_match_what_the_computation_stores(block_2016, staff):
    results_compute(campaign=block_2016.campaign)
    sheet = sheet_of(block_2016, staff)
    stored = Result.objects.get(assessment=block_2016)
    now = sheet.whatif.result.now
    assert (now.total, now.index, now.tier, now.rank) == (
        stored.total,
        stored.index,
        stored.tier,
        stored.rank,
    )
    assert (now.rank, now.ranked_units) == (3, 3)  # 68.33 % behind 96.67 % and 76.67 %
    assert sheet.whatif.previews == 0  # the others are final
    leaf_pk = block_2016.framework.criteria.get(code="1.1").pk
    change = sheet.whatif.result.per_leaf[leaf_pk]
    assert [row.change for row in sheet.rows if row.criterion.pk == leaf_pk] == [change]
    assert (change.after.total, change.after.tier, change.after.rank) == (D("24.5"), "Tốt", 2)

    score_accept_reply(score=block_2016.scores.get(criterion_id=leaf_pk), actor=staff)
    results_compute(campaign=block_2016.campaign)
    after = Result.objects.get(assessment=block_2016)
    assert (after.total, after.index, after.tier, after.rank) == (
        change.after.total,
        change.after.index,
        change.after.tier,
        change.after.rank,
    )
    # Accepted: nothing pending is left to show.
    assert sheet_of(block_2016, staff).whatif.result.per_leaf == {}


def test_an_answer_without_a_weight_is_reported_not_raised(block_2016, staff):
    SurveyResult.objects.filter(assessment=block_2016).update(answer_counts={"Z": 1})
    whatif = sheet_of(block_2016, staff).whatif
    assert whatif.result is None and "Z" in whatif.problem


def test_the_line_only_appears_in_the_explained_state(assessment, staff):
    assert sheet_of(assessment, staff).whatif is None


def test_the_page_says_how_many_ranks_rest_on_previews(block_2016, staff):
    other = Assessment.objects.filter(campaign=block_2016.campaign).exclude(pk=block_2016.pk)[0]
    Assessment.objects.filter(pk=other.pk).update(state=Assessment.State.IN_APPRAISAL)
    results_compute(campaign=block_2016.campaign)
    assert sheet_of(block_2016, staff).whatif.previews == 1
