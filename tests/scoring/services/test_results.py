"""The campaign computation on hand-built data, on the demo, and in its query count."""

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import (
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
    Framework,
    Result,
    Score,
    SurveyAnswer,
    SurveyResult,
    TierBand,
)
from scoring.services.results import results_compute
from tests.factories import make_block, make_unit

pytestmark = pytest.mark.django_db


def build_framework(*, year: int, block) -> Framework:
    """Area 1: two direct leaves of 5 (1.2 may not apply); area 2: a survey leaf of 10;
    area 3: deductions capped at 3; area 4: bonus capped at 2. Maximum 20."""
    framework = Framework.objects.create(year=year, block=block, name=f"Bộ tiêu chí {year}")

    def node(code, max_points, method="direct", parent=None, **extra):
        return Criterion.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            title=f"Tiêu chí {code}",
            max_points=D(max_points),
            method=method,
            **extra,
        )

    area1 = node("1", "10")
    node("1.1", "5", parent=area1)
    node("1.2", "5", parent=area1, na_allowed=True)
    area2 = node("2", "10")
    node("2.1", "10", "survey", parent=area2)
    area3 = node("3", "3", "deduction")
    node("3.1", "3", "deduction", parent=area3)
    area4 = node("4", "2", "bonus")
    node("4.1", "2", "bonus", parent=area4)
    assert framework.consistency_problems() == []
    return framework


def build_campaign(*, year: int, blocks, tiers=(("Tốt", "80"), ("Khá", "50"))) -> Campaign:
    campaign = Campaign.objects.create(year=year, name=f"Chỉ số CCHC {year}")
    for block in blocks:
        framework = build_framework(year=year, block=block)
        campaign_block = CampaignBlock.objects.create(
            campaign=campaign, block=block, framework=framework
        )
        for name, minimum in tiers:
            TierBand.objects.create(campaign_block=campaign_block, name=name, min_index=D(minimum))
    for code, weight in (("A", "100"), ("B", "60"), ("C", "20"), ("D", "0")):
        SurveyAnswer.objects.create(campaign=campaign, code=code, weight_percent=D(weight))
    return campaign


def assess(
    campaign,
    unit,
    *,
    points=None,
    na=(),
    survey=None,
    state=Assessment.State.APPRAISED,
    field="final_points",
) -> Assessment:
    """An assessment with `points` {code: value} in `field`, N/A leaves, survey counts."""
    framework = campaign.blocks.get(block=unit.block).framework
    assessment = Assessment.objects.create(
        campaign=campaign, unit=unit, framework=framework, state=state
    )
    leaves = {c.code: c for c in framework.criteria.all()}
    for code, value in (points or {}).items():
        Score.objects.create(assessment=assessment, criterion=leaves[code], **{field: D(value)})
    for code in na:
        Score.objects.create(assessment=assessment, criterion=leaves[code], not_applicable=True)
    if survey:
        SurveyResult.objects.create(
            assessment=assessment,
            criterion=leaves["2.1"],
            respondent_group="Người dân",
            answer_counts=survey,
        )
    return assessment


def result_of(unit) -> Result:
    return Result.objects.get(unit=unit)


@pytest.fixture
def block():
    return make_block(code="so")


def test_a_unit_total_adds_scores_and_surveys_and_applies_adjustments(block):
    campaign = build_campaign(year=2015, blocks=[block])
    unit = make_unit(block=block)
    # 4 + 3.5 scored; survey 2×A + 1×B + 1×D = 260/400 → 6.5 of 10; −1.5 deduction; +2 bonus.
    assess(
        campaign,
        unit,
        points={"1.1": "4", "1.2": "3.5", "3.1": "1.5", "4.1": "2"},
        survey={"A": 2, "B": 1, "D": 1},
    )
    results_compute(campaign=campaign)
    result = result_of(unit)
    assert (result.scored_points, result.survey_points) == (D("7.5"), D("6.5"))
    assert (result.deductions, result.bonus) == (D("1.5"), D("2"))
    assert result.total == D("14.5") and result.applicable_max == D("20")
    assert result.index == D("72.5") and result.tier == "Khá" and result.rank == 1
    # Each area as the unit's page shows it, its survey leaves counted in; adjustments are
    # not areas of the index.
    figures = ("points", "max", "index", "survey_points", "survey_max")
    areas = {a["code"]: tuple(D(a[name]) for name in figures) for a in result.areas}
    assert areas == {
        "1": (D("7.5"), D("10"), D("75"), D("0"), D("0")),
        "2": (D("6.5"), D("10"), D("65"), D("6.5"), D("10")),
    }


def test_a_not_applicable_leaf_leaves_the_maximum(block):
    campaign = build_campaign(year=2015, blocks=[block])
    unit = make_unit(block=block)
    assess(campaign, unit, points={"1.1": "5"}, na=["1.2"], survey={"A": 1})
    results_compute(campaign=campaign)
    result = result_of(unit)
    assert result.applicable_max == D("15")
    assert result.total == D("15") and result.index == D("100")


def test_deductions_are_capped_and_the_total_never_goes_below_zero(block):
    campaign = build_campaign(year=2015, blocks=[block])
    unit = make_unit(block=block)
    # A deduction above its cap (entered outside the form) counts for the cap only.
    assess(campaign, unit, points={"1.1": "1", "3.1": "5"})
    results_compute(campaign=campaign)
    result = result_of(unit)
    assert result.deductions == D("3")
    assert result.total == D("0") and result.index == D("0")


def test_equal_indexes_share_a_rank_and_close_ones_do_not(block):
    campaign = build_campaign(year=2015, blocks=[block])
    units = [make_unit(block=block, code=f"u{i}") for i in range(4)]
    for unit, value in zip(units, ["5", "4.25", "4.25", "4"], strict=True):
        assess(campaign, unit, points={"1.1": value})
    results_compute(campaign=campaign)
    assert [result_of(u).rank for u in units] == [1, 2, 2, 4]


def test_ranks_and_tiers_are_per_block_with_each_blocks_bands():
    so, huyen = make_block(code="so"), make_block(code="huyen", name="UBND cấp huyện")
    campaign = build_campaign(year=2015, blocks=[so, huyen])
    # Districts get lower thresholds than departments, as Nam Định did in 2020.
    TierBand.objects.filter(campaign_block__block=huyen, name="Tốt").update(min_index=D("50"))
    TierBand.objects.filter(campaign_block__block=huyen, name="Khá").update(min_index=D("30"))
    department, district = make_unit(block=so), make_unit(block=huyen)
    assess(campaign, department, points={"1.1": "5", "1.2": "5"})  # 10 of 20 = 50 %
    assess(campaign, district, points={"1.1": "5", "1.2": "5"})
    results_compute(campaign=campaign)
    assert (result_of(department).rank, result_of(department).tier) == (1, "Khá")
    assert (result_of(district).rank, result_of(district).tier) == (1, "Tốt")


def test_before_appraisal_the_results_are_a_preview_on_self_assessed_points(block):
    campaign = build_campaign(year=2016, blocks=[block])
    drafted, appraised = make_unit(block=block), make_unit(block=block)
    assess(
        campaign, drafted, points={"1.1": "5"}, field="self_points", state=Assessment.State.DRAFT
    )
    assessment = assess(campaign, appraised, points={"1.1": "5"}, field="self_points")
    assessment.scores.update(appraised_points=D("3"), final_points=D("4"))
    results_compute(campaign=campaign)
    assert (result_of(drafted).total, result_of(drafted).is_final) == (D("5"), False)
    assert (result_of(appraised).total, result_of(appraised).is_final) == (D("4"), True)


def test_last_year_follows_a_rename_but_not_a_merger(block):
    earlier = build_campaign(year=2024, blocks=[block])
    a, b, old_name = (make_unit(block=block, code=c, active_to=2024) for c in ("a", "b", "old"))
    for unit, value in ((a, "5"), (b, "4"), (old_name, "3")):
        assess(earlier, unit, points={"1.1": value})
    later = build_campaign(year=2025, blocks=[block])
    merged = make_unit(block=block, code="ab", active_from=2025)
    merged.predecessors.set([a, b])
    renamed = make_unit(block=block, code="new", active_from=2025)
    renamed.predecessors.set([old_name])
    assess(later, merged, points={"1.1": "5"})
    assess(later, renamed, points={"1.1": "4"})
    results_compute(campaign=later)  # computes 2024 first: it has no results yet
    assert Result.objects.filter(campaign=earlier).count() == 3
    assert (result_of(renamed).previous_rank, result_of(renamed).previous_index) == (3, D("15"))
    assert (result_of(merged).previous_rank, result_of(merged).previous_index) == (None, None)


def test_recomputing_replaces_the_rows_and_follows_changed_scores(block):
    campaign = build_campaign(year=2015, blocks=[block])
    unit = make_unit(block=block)
    assessment = assess(campaign, unit, points={"1.1": "5"})
    results_compute(campaign=campaign)
    assessment.scores.update(final_points=D("2"))
    results_compute(campaign=campaign)
    assert Result.objects.count() == 1 and result_of(unit).total == D("2")


def _queries_to_compute(units: int) -> int:
    block = make_block(code=f"b{units}", name=f"Khối {units}")
    campaign = build_campaign(year=2000 + units, blocks=[block])
    for i in range(units):
        assess(
            campaign,
            make_unit(block=block, code=f"q{units}-{i}"),
            points={"1.1": "4", "1.2": "3"},
            survey={"A": i + 1, "C": 2},
        )
    with CaptureQueriesContext(connection) as queries:
        results_compute(campaign=campaign)
    return len(queries)


def test_the_computation_takes_the_same_number_of_queries_for_3_or_30_units():
    # 30 first: its campaign (2030) must not be the previous year of the other (2003).
    many = _queries_to_compute(30)
    assert _queries_to_compute(3) == many


# -- the command on the demo ---------------------------------------------------------

DISTRICTS_2014 = [
    "h-long-phu",
    "h-thanh-tri",
    "h-ke-sach",
    "h-chau-thanh",
    "h-cu-lao-dung",
    "h-my-tu",
    "tx-vinh-chau",
    "h-my-xuyen",
    "tp-soc-trang",
    "h-tran-de",
    "tx-nga-nam",
]
DISTRICTS_2015 = [
    "h-long-phu",
    "h-my-xuyen",
    "h-tran-de",
    "h-cu-lao-dung",
    "h-my-tu",
    "h-thanh-tri",
    "h-ke-sach",
    "tp-soc-trang",
    "tx-vinh-chau",
    "h-chau-thanh",
    "tx-nga-nam",
]


def compute_json(*args: str) -> list[dict]:
    out = StringIO()
    call_command("compute_results", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo(demo_db):
    return demo_db.report


def test_compute_results_tells_the_district_story_of_2014_and_2015(demo):
    rows_2014 = compute_json("2014", "--block", "huyen")
    rows_2015 = compute_json("2015", "--block", "huyen")
    assert [r["unit_code"] for r in rows_2014] == DISTRICTS_2014
    assert [r["rank"] for r in rows_2015] == list(range(1, 12))
    assert [r["unit_code"] for r in rows_2015] == DISTRICTS_2015
    moves = {r["unit_code"]: r["previous_rank"] - r["rank"] for r in rows_2015}
    assert moves == {
        "h-long-phu": 0,
        "h-my-xuyen": 6,
        "h-tran-de": 7,
        "h-cu-lao-dung": 1,
        "h-my-tu": 1,
        "h-thanh-tri": -4,
        "h-ke-sach": -4,
        "tp-soc-trang": 1,
        "tx-vinh-chau": -2,
        "h-chau-thanh": -6,
        "tx-nga-nam": 0,
    }


def test_compute_results_shows_14_of_22_departments_improved_most_of_all_education_and_transport(
    demo,
):
    rows = compute_json("2015", "--block", "so")
    assert len(rows) == 22
    change = {r["unit_code"]: D(str(r["index"])) - D(str(r["previous_index"])) for r in rows}
    assert sum(1 for c in change.values() if c > 0) == 14
    assert sum(1 for c in change.values() if c < 0) == 8
    assert set(sorted(change, key=change.get, reverse=True)[:2]) == {"so-gddt", "so-gtvt"}


def test_compute_results_prints_every_column_as_a_table_and_csv(demo):
    out, err = StringIO(), StringIO()
    call_command("compute_results", "2015", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    # Headed by the labels, in the active language.
    assert lines[0].startswith("Khối")
    assert "Mã đơn vị" in lines[0] and "Chỉ số (%)" in lines[0]
    assert len(lines) == 2 + 33
    assert "33 units; final results." in err.getvalue()
    csv_out = StringIO()
    call_command("compute_results", "2015", "--block", "huyen", "--format", "csv", stdout=csv_out)
    header, first = csv_out.getvalue().splitlines()[:2]
    assert header.startswith("\ufeff")  # the byte order mark Excel needs
    assert header.removeprefix("\ufeff").split(",") == [
        "block",
        "unit_code",
        "unit_name",
        *(f"area_{i}" for i in range(1, 9)),
        "survey_points",
        "deductions",
        "bonus",
        "total",
        "applicable_max",
        "index",
        "rank",
        "tier",
        "previous_rank",
        "previous_index",
    ]
    assert first.startswith("huyen,h-long-phu,Huyện Long Phú,")


def test_compute_results_names_what_is_wrong(demo):
    with pytest.raises(CommandError, match="No campaign for 1999. Campaigns: 2016, 2015, 2014"):
        call_command("compute_results", "1999", stdout=StringIO())
    with pytest.raises(CommandError, match="Unknown block 'tinh'"):
        call_command("compute_results", "2015", "--block", "tinh", stdout=StringIO())
