"""The analysis reads over stored results: changes, lost points, areas, weak leaves."""

from decimal import Decimal as D

import pytest

from scoring.calculations import display_round
from scoring.models import CampaignBlock, Result
from scoring.selectors.campaigns import campaign_block_for
from scoring.selectors.results import block_changes, block_results
from scoring.selectors.unit_results import area_comparison, unit_lost_points, unit_results
from scoring.selectors.weak_leaves import weak_leaves
from tests.scoring.results_data import build_block_of, build_story, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(unit_a, unit_b):
    return build_story(unit_a=unit_a, unit_b=unit_b)


# -- block_changes -------------------------------------------------------------


def test_block_changes_counts_and_movers(story):
    changes = block_changes(campaign=story.campaign, block=story.block)
    assert (changes.improved, changes.declined, changes.unchanged, changes.new) == (1, 1, 1, 1)
    assert changes.compared == 3
    assert [row.unit for row in changes.risers] == [story.a]
    assert [row.unit for row in changes.fallers] == [story.c]
    assert display_round(changes.risers[0].index_change) == D("30.68")
    assert display_round(changes.fallers[0].index_change) == D("-18.18")
    assert [(row.unit, row.rank_change) for row in changes.rank_risers] == [(story.a, 1)]
    assert [(row.unit, row.rank_change) for row in changes.rank_fallers] == [(story.c, -1)]


def test_a_change_that_rounds_to_zero_is_unchanged(story):
    result = Result.objects.get(campaign=story.campaign, unit=story.a)
    result.previous_index = result.index - D("0.004")
    result.save()
    changes = block_changes(campaign=story.campaign, block=story.block)
    assert (changes.improved, changes.unchanged) == (0, 2)
    assert changes.risers == []  # +0,004 reads 0,00: not a riser


def test_movers_are_cut_to_the_top_ones(story):
    changes = block_changes(campaign=story.campaign, block=story.block, top=0)
    assert changes.risers == [] and changes.rank_fallers == []


# -- unit_lost_points ------------------------------------------------------------


def test_lost_points_are_ordered_by_points_lost_then_code(story, django_assert_num_queries):
    assessment = story.assessment(story.a)
    with django_assert_num_queries(5):
        lost = unit_lost_points(assessment=assessment)
    assert [(leaf.code, leaf.lost) for leaf in lost.leaves] == [
        ("2.2", D("1.00")),
        ("1.1", D("0.50")),
        ("2.10", D("0.50")),
        ("2.1", D("0.3125000000")),
        ("1.2.1", D("0.00")),
        ("1.2.2", D("0.00")),
    ]
    assert lost.total_lost == D("2.3125")
    assert [leaf.code for leaf in lost.losing] == ["2.2", "1.1", "2.10", "2.1"]
    assert [leaf.code for leaf in lost.full_marks] == ["1.2.1", "1.2.2"]


def test_each_leaf_counts_final_else_appraised_else_claimed(story):
    leaves = {
        leaf.code: leaf for leaf in unit_lost_points(assessment=story.assessment(story.a)).leaves
    }
    first = leaves["1.1"]
    assert (first.self_points, first.appraised_points, first.final_points) == (
        1,
        D("0.5"),
        D("0.5"),
    )
    assert first.counted == D("0.5")
    assert first.appraisal_note == "Kế hoạch ban hành trễ hạn."
    assert first.unit_reply == "Đơn vị xin tiếp thu."
    assert first.area_code == "1" and first.area_title == "Công tác chỉ đạo, điều hành CCHC"
    assert leaves["1.2.1"].counted == D("1.5")  # appraised, no final yet
    assert leaves["1.2.2"].counted == D("0.5")  # only the unit's claim
    never = leaves["2.10"]
    assert never.self_points is None and never.counted == 0 and never.scored_zero


def test_survey_leaves_show_pooled_survey_points_and_no_claim(story):
    leaves = {
        leaf.code: leaf for leaf in unit_lost_points(assessment=story.assessment(story.a)).leaves
    }
    survey = leaves["2.1"]
    assert survey.is_survey
    assert survey.counted == D("0.6875")  # (3 × 100 + 5 × 50) / (100 × 8)
    assert survey.self_points is None and survey.appraised_points is None
    assert survey.block_best == D("1")  # B: every answer A
    assert survey.block_did_better


def test_block_best_is_the_best_counted_points_of_the_block(story):
    leaves = {
        leaf.code: leaf for leaf in unit_lost_points(assessment=story.assessment(story.a)).leaves
    }
    assert leaves["1.1"].block_best == D("1") and leaves["1.1"].block_did_better
    # B does not apply 1.2.1, so the best is A's 1.5 (appraised), not C's 1.
    assert leaves["1.2.1"].block_best == D("1.5") and not leaves["1.2.1"].block_did_better
    assert leaves["2.2"].scored_zero and leaves["2.2"].block_best == D("1")


def test_not_applicable_leaves_and_adjustments_are_listed_apart(story):
    lost_b = unit_lost_points(assessment=story.assessment(story.b))
    assert [leaf.code for leaf in lost_b.not_applicable] == ["1.2.1"]
    assert lost_b.not_applicable[0].na_reason == "Không có đơn vị trực thuộc."
    assert "1.2.1" not in [leaf.code for leaf in lost_b.leaves]
    assert lost_b.adjustments == []  # a deduction of 0 is not shown
    lost_a = unit_lost_points(assessment=story.assessment(story.a))
    assert [(leaf.code, leaf.counted, leaf.lost) for leaf in lost_a.adjustments] == [
        ("3.1", D("0.5"), D("0.5"))
    ]


# -- area_comparison -------------------------------------------------------------


def test_area_comparison_against_the_block(story, django_assert_num_queries):
    result = Result.objects.get(campaign=story.campaign, unit=story.a)
    # The block's figures, and its tiers for its statistics.
    with django_assert_num_queries(2):
        comparison = area_comparison(result=result)
    assert comparison.units == 4 and comparison.statistics.units == 4
    first, second = comparison.areas
    assert (first.code, first.points, first.max_points) == ("1", D("2.5"), D("3"))
    assert display_round(first.index) == D("83.33")
    # Area 1 indexes: A 83.33, B 100, C 33.33, D 33.33.
    assert display_round(first.block_average) == D("62.50")
    assert first.block_best == D("100")
    # Area 2 (with the survey): A 0.6875 / 2.5 = 27.5, B 100, C 40, D 0.
    assert second.index == D("27.5")
    assert second.survey_points == D("0.6875")
    assert second.block_average == D("41.875")
    assert second.block_best == D("100")


# -- weak_leaves -----------------------------------------------------------------


def test_weak_leaves_count_units_below_max_and_at_zero(story, django_assert_num_queries):
    with django_assert_num_queries(4):
        weak = weak_leaves(campaign=story.campaign, block=story.block)
    # D has no Score row on most leaves: it counts 0 there, as in its total. B does
    # not apply 1.2.1 (three units). The survey 2.1 and the deduction 3.1 are left out.
    assert [(leaf.code, leaf.units, leaf.below_max, leaf.at_zero) for leaf in weak] == [
        ("2.2", 4, 3, 2),
        ("1.2.2", 4, 2, 2),
        ("2.10", 4, 2, 2),
        ("1.1", 4, 2, 1),
        ("1.2.1", 3, 2, 1),
    ]
    by_code = {leaf.code: leaf for leaf in weak}
    assert by_code["1.1"].average == D("0.625")  # (0.5 + 1 + 0 + 1) / 4
    assert by_code["1.2.1"].average == D("0.8333333333")  # (1.5 + 1 + 0) / 3
    assert by_code["2.2"].share_below_max == D("75")


def test_a_leaf_most_units_kept_whole_is_not_weak(story):
    score(story.assessment(story.d), "1.2.1", final_points=D("1.5"))
    weak = weak_leaves(campaign=story.campaign, block=story.block)
    # 1.2.1: A and D at 1.5, C at 1: one unit of three below the maximum, none at zero.
    assert "1.2.1" not in [leaf.code for leaf in weak]


def test_weak_leaves_of_a_block_outside_the_campaign_are_empty(story):
    other = CampaignBlock.objects.get(campaign=story.campaign).block
    other_block = type(other).objects.create(code="xa", name="UBND cấp xã", position=3)
    assert weak_leaves(campaign=story.campaign, block=other_block) == []


# -- the block's table -------------------------------------------------------------


def block_of(story):
    return campaign_block_for(year=2015, block_code=story.block.code)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["b", "a", "c", "d"]),
        ("rank", ["b", "a", "c", "d"]),
        ("-rank", ["d", "c", "a", "b"]),
        ("index", ["b", "a", "c", "d"]),
        ("-index", ["d", "c", "a", "b"]),
        ("name", ["c", "d", "a", "b"]),  # Công Thương, Du lịch, Giáo dục, Giao thông
        ("change", ["a", "b", "c", "d"]),  # ▲ 1, –, ▼ 1, then the new unit
        ("-change", ["c", "b", "a", "d"]),
        ("nonsense", ["b", "a", "c", "d"]),
    ],
)
def test_the_table_sorts_by_a_column(story, sort, expected):
    results = block_results(campaign_block=block_of(story), sort=sort)
    names = {story.a: "a", story.b: "b", story.c: "c", story.d: "d"}
    assert [names[row.unit] for row in results.rows] == expected


def test_sort_links_reverse_the_current_column(story):
    results = block_results(campaign_block=block_of(story), sort="index")
    links = results.sort_links
    assert (links["index"].query, links["index"].aria_sort) == ("?sort=-index", "descending")
    assert (links["rank"].query, links["rank"].aria_sort) == ("?sort=rank", None)
    reversed_links = block_results(campaign_block=block_of(story), sort="-index").sort_links
    assert (reversed_links["index"].query, reversed_links["index"].aria_sort) == (
        "?sort=index",
        "ascending",
    )


def test_the_table_has_area_columns_and_status(story):
    results = block_results(campaign_block=block_of(story))
    assert [area.code for area in results.areas] == ["1", "2"]
    row_a = next(row for row in results.rows if row.unit == story.a)
    # Area 2 holds only a survey leaf: its points are in the survey column, so the
    # row adds up (Σ areas + survey − deductions = total).
    assert row_a.area_points == (D("2.5"), D("0"))
    assert row_a.result.survey_points == D("0.6875")
    assert results.is_final and results.preview_count == 0
    assert results.has_deductions and not results.has_bonus
    assert results.computed_at is not None


# -- fixed number of queries -----------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_every_read_takes_a_fixed_number_of_queries(size, django_assert_num_queries):
    campaign, units = build_block_of(size)
    block = units[0].block
    result = Result.objects.select_related("assessment").get(unit=units[-1])
    with django_assert_num_queries(1):
        block_changes(campaign=campaign, block=block)
    with django_assert_num_queries(5):
        unit_lost_points(assessment=result.assessment)
    with django_assert_num_queries(2):
        area_comparison(result=result)
    with django_assert_num_queries(4):
        weak_leaves(campaign=campaign, block=block)
    campaign_block = campaign_block_for(year=campaign.year, block_code=block.code)
    # + the block's tiers, and which year it compares with (none here)
    with django_assert_num_queries(7):
        results = block_results(campaign_block=campaign_block, sort="change")
    assert len(results.rows) == size
    with django_assert_num_queries(8):
        page = unit_results(unit=units[0], year=campaign.year)
    assert page.comparison.units == size
