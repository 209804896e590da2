"""The demo tells DOMAIN.md's seed story, loads twice to the same database, and guards itself."""

from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import F

from demo import story
from demo.loader import demo_load
from scoring.calculations import (
    index_percent,
    level_points,
    pool_answer_counts,
    ranks,
    ratio_points,
    survey_points,
)
from scoring.criteria_tree import leaf_scale_problems
from scoring.models import Assessment, Campaign, Criterion, Framework, Score, SurveyResult
from units.models import Block, Membership, Province, Unit

pytestmark = pytest.mark.django_db

DISTRICTS_2014 = [
    "Long Phú", "Thạnh Trị", "Kế Sách", "Châu Thành", "Cù Lao Dung", "Mỹ Tú",
    "TX Vĩnh Châu", "Mỹ Xuyên", "TP Sóc Trăng", "Trần Đề", "TX Ngã Năm",
]  # fmt: skip
DISTRICTS_2015 = [
    "Long Phú", "Mỹ Xuyên", "Trần Đề", "Cù Lao Dung", "Mỹ Tú", "Thạnh Trị",
    "Kế Sách", "TP Sóc Trăng", "TX Vĩnh Châu", "Châu Thành", "TX Ngã Năm",
]  # fmt: skip


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """The demo hashes one password; the production hasher would take most of each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, demo_db):
    """Every test here runs on the demo loaded once for the module, with its PDFs."""
    settings.MEDIA_ROOT = demo_db.media
    return demo_db.media


@pytest.fixture
def demo(demo_db):
    return demo_db.report


def unit_indexes(year: int, block: str) -> dict[str, Decimal]:
    """Index per unit (by short name) from the rows, as the scoring service will compute it.

    total = final points of applicable non-survey leaves + survey points (groups pooled);
    index = total / applicable maximum × 100.
    """
    campaign = Campaign.objects.get(year=year)
    weights = {answer.code: answer.weight_percent for answer in campaign.survey_answers.all()}
    indexes = {}
    assessments = Assessment.objects.filter(campaign=campaign, unit__block__code=block)
    for assessment in assessments.select_related("unit", "framework"):
        leaves = assessment.framework.criteria.filter(children__isnull=True)
        scores = {score.criterion_id: score for score in assessment.scores.all()}
        answers = defaultdict(list)
        for result in assessment.survey_results.all():
            answers[result.criterion_id].append(result.answer_counts)
        total = maximum = Decimal("0")
        for leaf in leaves:
            score = scores.get(leaf.pk)
            if score is not None and score.not_applicable:
                continue
            maximum += leaf.max_points
            if leaf.method == Criterion.Method.SURVEY:
                counts = pool_answer_counts(answers[leaf.pk])
                total += survey_points(leaf.max_points, counts, weights)
            else:
                total += score.final_points
        indexes[assessment.unit.display_name] = index_percent(total, maximum)
    return indexes


def ranking(year: int, block: str) -> list[str]:
    rank_of = ranks(unit_indexes(year, block))
    return sorted(rank_of, key=rank_of.__getitem__)


def test_the_district_ranks_are_those_of_the_report(demo):
    assert ranking(2014, "huyen") == DISTRICTS_2014
    assert ranking(2015, "huyen") == DISTRICTS_2015


def test_fourteen_departments_improved_and_education_and_transport_improved_most(demo):
    before, after = unit_indexes(2014, "so"), unit_indexes(2015, "so")
    assert len(before) == len(after) == 22
    change = {unit: after[unit] - before[unit] for unit in before}
    assert sum(delta > 0 for delta in change.values()) == 14
    assert sum(delta < 0 for delta in change.values()) == 8
    leaders = sorted(change, key=change.__getitem__, reverse=True)[:2]
    assert set(leaders) == {"Sở GD&ĐT", "Sở GTVT"}


def test_indexes_are_realistic_and_never_tie(demo):
    for year in story.APPRAISED_YEARS:
        for block in ("so", "huyen"):
            values = list(unit_indexes(year, block).values())
            assert len(set(values)) == len(values)
            assert all(Decimal("60") <= value <= Decimal("92") for value in values)


def test_the_indexes_computed_from_the_rows_are_those_the_loader_verified(demo):
    names = {unit.code: unit.display_name for unit in Unit.objects.all()}
    for year in story.APPRAISED_YEARS:
        from_rows = unit_indexes(year, "so") | unit_indexes(year, "huyen")
        verified = {names[code]: index for (y, code), index in demo.indexes.items() if y == year}
        assert from_rows == verified


def test_the_province_blocks_and_units(demo):
    province = Province.current()
    assert (province.name, province.issuing_body) == ("Sóc Trăng", "Ủy ban nhân dân tỉnh Sóc Trăng")
    assert list(Block.objects.values_list("code", "position")) == [
        ("so", 1), ("huyen", 2), ("xa", 3),
    ]  # fmt: skip
    assert Unit.objects.filter(block__code="so").count() == 22
    assert Unit.objects.filter(block__code="huyen").count() == 11
    assert not Unit.objects.filter(block__code="xa").exists()
    assert Unit.objects.get(code="h-tran-de").active_from == 2010
    assert Unit.objects.search("giao duc").get().code == "so-gddt"


def test_every_framework_is_illustrative_sound_locked_and_worth_100(demo):
    frameworks = Framework.objects.all()
    assert sorted(frameworks.values_list("year", "block__code")) == [
        (year, block) for year in (2014, 2015, 2016) for block in ("huyen", "so")
    ]
    for framework in frameworks:
        assert framework.illustrative and framework.locked
        assert "Minh họa" in framework.source_decision
        assert str(framework.year) in framework.name
        assert framework.consistency_problems() == []
        assert framework.max_points == 100
        leaves = framework.criteria.filter(children__isnull=True)
        assert 35 <= leaves.count() <= 45
        assert leaves.filter(parent__isnull=True).count() == 0  # areas are never leaves
        assert framework.criteria.filter(parent__isnull=True).count() == 8
        survey = sum(leaf.max_points for leaf in leaves if leaf.method == "survey")
        assert survey == 30
        for leaf in leaves:
            assert (
                leaf_scale_problems(
                    method=leaf.method, max_points=leaf.max_points, step=leaf.step, scale=leaf.scale
                )
                == []
            )
    assert Framework.objects.get(year=2016, block__code="so").cloned_from.year == 2015
    assert Framework.objects.filter(block__code="so", criteria__na_allowed=True).exists()


def test_appraised_assessments_are_complete_and_consistent(demo):
    for year in story.APPRAISED_YEARS:
        campaign = Campaign.objects.get(year=year)
        # The demo's last step publishes the 2014 and 2015 decisions.
        assert campaign.status == Campaign.Status.PUBLISHED
        assessments = campaign.assessments.all()
        assert assessments.count() == 33
        assert set(assessments.values_list("state", flat=True)) == {Assessment.State.PUBLISHED}
        for assessment in assessments.select_related("framework"):
            leaves = assessment.framework.criteria.filter(children__isnull=True)
            survey = {leaf.pk for leaf in leaves if leaf.method == "survey"}
            scored = {leaf.pk for leaf in leaves} - survey
            assert set(assessment.scores.values_list("criterion_id", flat=True)) == scored
            results = assessment.survey_results.values_list("criterion_id", flat=True)
            assert sorted(results) == sorted(survey)  # one result per survey leaf


def test_scores_hold_claims_appraisals_and_replies(demo):
    scores = Score.objects.filter(assessment__campaign__year__in=story.APPRAISED_YEARS)
    applicable = scores.filter(not_applicable=False).select_related("criterion")
    for score in applicable:
        leaf = score.criterion
        assert score.final_points <= leaf.max_points and score.self_points <= leaf.max_points
        if leaf.method == "levels":
            assert level_points(leaf.scale, score.self_input["level"]) == score.self_points
        elif leaf.method == "ratio":
            figures = score.self_input
            assert ratio_points(leaf.scale, figures["numerator"], figures["denominator"]) == (
                score.self_points
            )
        if score.appraised_points < score.self_points and not score.unit_reply:
            assert score.appraisal_note and score.final_points == score.appraised_points
        if score.final_points > score.appraised_points:
            assert score.unit_reply and score.appraisal_note
            assert score.self_points >= score.final_points
    # Every lowered leaf says why.
    assert not applicable.filter(appraisal_note="").exclude(self_points=F("appraised_points"))
    lowered = [s for s in applicable if s.appraised_points < s.self_points]
    raised = [s for s in applicable if s.final_points > s.appraised_points]
    assert len(lowered) > 66 and len(raised) > 10

    na = scores.filter(not_applicable=True)
    assert set(na.values_list("assessment__unit__code", flat=True)) == set(story.NOT_APPLICABLE)
    assert not na.filter(criterion__na_allowed=False).exists()
    assert not na.exclude(self_points=None, appraised_points=None, final_points=None).exists()
    assert not na.filter(na_reason="").exists()


def test_appraisal_lowers_the_self_assessed_totals_by_two_to_four_points(demo):
    for year in story.APPRAISED_YEARS:
        for block in ("so", "huyen"):
            gaps = []
            for assessment in Assessment.objects.filter(
                campaign__year=year, unit__block__code=block
            ):
                claims = assessment.scores.filter(not_applicable=False)
                gaps.append(sum(s.self_points - s.appraised_points for s in claims))
            average = sum(gaps) / len(gaps)
            assert Decimal("2") <= average <= Decimal("4")
            assert min(gaps) > 0


def test_2016_is_open_with_part_way_self_assessments(demo):
    campaign = Campaign.objects.get(year=2016)
    assert campaign.status == Campaign.Status.SELF_ASSESSMENT
    assert campaign.self_assessment_deadline is None
    assert {b.framework.year for b in campaign.blocks.select_related("framework")} == {2016}
    assessments = campaign.assessments.all()
    assert assessments.count() == 33
    assert set(assessments.values_list("state", flat=True)) == {Assessment.State.DRAFT}
    started = assessments.filter(scores__isnull=False).distinct()
    assert set(started.values_list("unit__code", flat=True)) == set(story.PARTLY_FILLED_2016)
    assert 9 <= started.count() <= 13
    for assessment in started:
        leaves = assessment.framework.criteria.filter(children__isnull=True)
        assert 0 < assessment.scores.count() < leaves.exclude(method="survey").count()
    scores = Score.objects.filter(assessment__campaign=campaign)
    assert not scores.filter(self_points__isnull=True).exists()
    assert not scores.exclude(appraised_points=None, final_points=None).exists()
    assert not scores.exclude(appraisal_note="", unit_reply="").exists()
    assert not SurveyResult.objects.filter(assessment__campaign=campaign).exists()


def test_the_demo_accounts_have_their_roles(demo):
    staff = User.objects.get(username="staff")
    assert staff.get_full_name() and staff.is_staff and not staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == ["staff"]
    assert list(User.objects.get(username="appraiser").groups.values_list("name", flat=True)) == [
        "appraiser"
    ]
    roles = set(Membership.objects.values_list("user__username", "unit__code", "role"))
    assert roles == {
        ("gddt_editor", "so-gddt", "unit_editor"),
        ("gddt_head", "so-gddt", "unit_head"),
        ("gtvt_editor", "so-gtvt", "unit_editor"),
        ("gtvt_head", "so-gtvt", "unit_head"),
    }
    for user in User.objects.all():
        assert user.check_password("cchc-demo-2016")
        assert user.first_name and user.last_name


def dump() -> str:
    out = StringIO()
    call_command(
        "dumpdata",
        "units",
        "scoring",
        "auth.user",
        "auth.group",
        format="json",
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [Province, Block, Unit, Membership, User, Group, Framework, Criterion, Campaign,
              Assessment, Score, SurveyResult]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_a_second_run_writes_nothing_and_says_so(settings):
    settings.DEBUG = True
    call_command("load_demo", story="soc-trang", stdout=StringIO())
    first, counts = dump(), row_counts()
    out = StringIO()
    call_command("load_demo", story="soc-trang", stdout=out)
    assert dump() == first
    assert row_counts() == counts
    assert counts["Score"] > 2000 and counts["Assessment"] == 99
    lines = [line for line in out.getvalue().splitlines() if line.endswith("already loaded.")]
    assert len(lines) == 11
    assert "Demo already loaded: nothing to do." in out.getvalue()


def test_a_second_run_keeps_the_users_edits_and_fills_what_is_missing(demo):
    unit = Unit.objects.get(code="so-gddt")
    unit.short_name = "GD&ĐT"
    unit.save()
    score = Score.objects.filter(assessment__unit=unit, assessment__campaign__year=2015).first()
    Score.objects.filter(pk=score.pk).update(final_points=0, appraisal_note="Sửa tay")
    Assessment.objects.filter(unit__code="h-tran-de", campaign__year=2016).delete()
    User.objects.filter(username="gtvt_head").delete()

    summary = demo_load()

    assert Unit.objects.get(code="so-gddt").short_name == "GD&ĐT"
    score.refresh_from_db()
    assert (score.final_points, score.appraisal_note) == (0, "Sửa tay")
    assert Assessment.objects.filter(unit__code="h-tran-de", campaign__year=2016).exists()
    assert Membership.objects.filter(user__username="gtvt_head", role="unit_head").exists()
    assert {part for part, created in summary.created.items() if created} == {
        "Assessments 2016", "Accounts",
    }  # fmt: skip


def test_allowed_in_production_it_loads_but_never_prints_the_accounts(settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", allow_production=True, story="soc-trang", stdout=out)
    assert Assessment.objects.count() == 99
    assert "cchc-demo-2016" not in out.getvalue()
    assert "gddt_editor" not in out.getvalue()
    assert "publicly known password" in out.getvalue()


def test_in_development_it_prints_the_accounts_with_their_password(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", story="soc-trang", stdout=out)
    text = out.getvalue()
    assert "cchc-demo-2016" in text
    for username in ("staff", "appraiser", "gddt_editor", "gddt_head", "gtvt_editor", "gtvt_head"):
        assert username in text


def test_the_demo_appraiser_can_appraise_the_demo_units_of_the_open_campaign(demo):
    from scoring.models import AppraiserAssignment

    assigned = AppraiserAssignment.objects.filter(
        campaign__year=2016, appraiser__username="appraiser", area_code=""
    ).values_list("unit__code", flat=True)
    assert sorted(assigned) == ["so-gddt", "so-gtvt"]
