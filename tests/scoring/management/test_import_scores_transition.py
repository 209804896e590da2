"""import_scores --transition: imported appraisals go through the workflow's own steps."""

from io import StringIO

import pytest
from django.core.management import call_command

from scoring.models import Assessment, AssessmentEvent, Score
from tests.factories import make_assessment
from tests.scoring.exchange.test_scores_xlsx import score_row, scores_file

pytestmark = pytest.mark.django_db
State = Assessment.State


def appraised_rows(unit: str, *, skip: str = "") -> list[list[object]]:
    rows = [
        score_row(unit, "1.1", points=2, appraised_points=1.5, appraisal_note="Thiếu tài liệu"),
        score_row(unit, "1.2", level="Đúng hạn", appraised_points=1),
        score_row(unit, "1.3", numerator=90, denominator=100, appraised_points=1),
    ]
    return [row for row in rows if row[2] != skip]


def run(path, *flags) -> str:
    out = StringIO()
    call_command(
        "import_scores", str(path), "--year", "2016", "--actor", "staff", *flags, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def both(assessment, unit_b):
    return assessment, make_assessment(campaign=assessment.campaign, unit=unit_b)


def test_imported_appraisals_are_carried_to_appraised_and_recorded_as_imported(
    both, staff, tmp_path, english
):
    first, second = both
    path = tmp_path / "diem.xlsx"
    path.write_bytes(scores_file(*appraised_rows("so-gddt"), *appraised_rows("so-gtvt")))
    out = run(path, "--transition")
    for assessment in both:
        assessment.refresh_from_db()
        assert assessment.state == State.APPRAISED
        events = list(assessment.events.order_by("pk").values_list("action", "reason", "actor"))
        assert events == [
            ("submit_for", "imported", staff.pk),
            ("start_appraisal", "imported", staff.pk),
            ("finalise", "imported", staff.pk),
        ]
    # Finalised as in the portal: the final points are the appraised ones.
    assert not Score.objects.filter(final_points__isnull=True).exists()
    assert "Sở Giáo dục và Đào tạo: now “Appraised”" in out


def test_self_assessed_points_alone_go_as_far_as_submitted(assessment, staff, tmp_path, english):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(
        scores_file(
            score_row("so-gddt", "1.1", points=2),
            score_row("so-gddt", "1.2", level="Chậm"),
        )
    )
    run(path, "--transition")
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED


def test_a_unit_with_a_leaf_not_appraised_stops_in_appraisal_and_says_why(
    both, staff, tmp_path, english
):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(
        scores_file(*appraised_rows("so-gddt"), *appraised_rows("so-gtvt", skip="1.3"))
    )
    out = run(path, "--transition")
    first, second = (Assessment.objects.get(pk=a.pk) for a in both)
    assert first.state == State.APPRAISED
    assert second.state == State.IN_APPRAISAL
    assert "Stopped: 1.3: not appraised yet." in out


def test_without_the_flag_no_state_changes(assessment, staff, tmp_path, english):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(scores_file(*appraised_rows("so-gddt")))
    run(path)
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
    assert not AssessmentEvent.objects.exists()


def test_a_dry_run_carries_nothing(assessment, staff, tmp_path, english):
    path = tmp_path / "diem.xlsx"
    path.write_bytes(scores_file(*appraised_rows("so-gddt")))
    out = run(path, "--transition", "--dry-run")
    assert "now “Appraised”" in out
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
    assert not AssessmentEvent.objects.exists()
