"""The documented samples (docs/samples) are what the demo writes, and each imports into it."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from demo.lam_giang import province_samples
from demo.lam_giang_criteria import framework_samples
from demo.samples import FRAMEWORK, SCORES, SHEET, SURVEY, cell_values, sample_files
from scoring.models import Assessment, Campaign, Criterion, Framework, SurveyResult
from scoring.services.frameworks import framework_import
from scoring.services.score_import import scores_import
from scoring.services.sheet_import import assessment_sheet_import
from scoring.services.survey_import import survey_import

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_the_committed_samples_are_what_the_demo_writes(demo_db):
    for name, data in sample_files().items():
        assert cell_values(sample(name)) == cell_values(data), (
            f"docs/samples/{name} is out of date: load the demo and run manage.py write_samples."
        )


def test_the_framework_sample_is_the_demos_and_imports_as_a_new_year(demo_db):
    framework = framework_import(file=sample(FRAMEWORK), year=2017, block_code="so")
    demo = Framework.objects.get(year=2016, block__code="so")
    assert framework.consistency_problems() == []
    assert framework.max_points == demo.max_points == 100
    codes = list(framework.criteria.order_by("sort_key").values_list("code", "method"))
    assert codes == list(demo.criteria.order_by("sort_key").values_list("code", "method"))


def test_the_scoring_sheet_sample_imports_into_the_demo_unit(demo_db):
    assessment = Assessment.objects.get(campaign__year=2016, unit__code="so-gddt")
    before = assessment.scores.count()
    result = assessment_sheet_import(
        assessment=assessment, actor=User.objects.get(username="gddt_editor"), file=sample(SHEET)
    )
    assert len(result.changed) == 3  # a direct, a levels and a ratio leaf filled offline
    assert assessment.scores.count() == before + 3


def test_the_scores_sample_imports_into_the_demo_campaign(demo_db):
    units = scores_import(
        campaign=Campaign.objects.get(year=2016),
        file=sample(SCORES),
        actor=User.objects.get(username="staff"),
    )
    [unit] = units
    assert unit.unit.code == "so-gtvt" and len(unit.changed) == 5
    assert (
        unit.rows
        == Criterion.objects.filter(
            framework__year=2016, framework__block__code="so", children__isnull=True
        )
        .exclude(method="survey")
        .count()
    )


def test_the_survey_sample_imports_into_the_demo_campaign(demo_db):
    units = survey_import(
        campaign=Campaign.objects.get(year=2016),
        file=sample(SURVEY),
        actor=User.objects.get(username="staff"),
    )
    assert [unit.assessment.unit.code for unit in units] == ["so-gddt", "so-gtvt"] or [
        unit.assessment.unit.code for unit in units
    ] == ["so-gtvt", "so-gddt"]
    for unit in units:
        assert all(leaf.respondents > 0 and leaf.groups for leaf in unit.leaves)
    assert SurveyResult.objects.filter(assessment__campaign__year=2016).exists()


def test_write_samples_writes_every_sample(demo_db, tmp_path):
    out = StringIO()
    call_command("write_samples", "--dir", str(tmp_path), stdout=out)
    lam_giang = [*province_samples(), *framework_samples()]  # tests/demo/test_lam_giang.py
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [FRAMEWORK, SCORES, SHEET, SURVEY, *lam_giang]
    )
    assert cell_values((tmp_path / SURVEY).read_bytes()) == cell_values(sample(SURVEY))
