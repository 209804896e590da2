"""What every score change shares: one version further per save, only its own fields
written, the row read under its lock (never a stale copy), who and why in the history."""

import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Score
from scoring.services.appraisal import assessment_return, score_appraise, scores_accept
from scoring.services.evidence import evidence_attach
from scoring.services.explanation import score_reply
from scoring.services.score_changes import ScoreConflict
from scoring.services.self_assessment import SelfInput, score_self_assess
from tests.scoring.conftest import fill_in, leaf, move_to

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WHO_AND_WHEN = {"version", "updated_by_id", "updated_at"}


@pytest.fixture
def in_appraisal(assessment, editor_a, head_a, staff, assigned):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    return assessment


def columns_written(queries) -> set[str]:
    """The columns the one UPDATE of a score sets."""
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "scoring_score"')]
    assert len(updates) == 1, updates
    assignments = updates[0].split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    return set(re.findall(r'"(\w+)" = ', assignments))


def test_each_save_is_one_version_further_and_says_who_and_why(assessment, editor_a, head_a):
    criterion = leaf(assessment, "1.1")
    for number, actor in enumerate((editor_a, head_a, editor_a), start=1):
        score = score_self_assess(
            assessment=assessment,
            criterion=criterion,
            actor=actor,
            entry=SelfInput(points=D("1.5")),
            expected_version=number - 1,
        )
        assert score.version == number
    history = score.history.order_by("history_date", "pk")
    assert [(h.version, h.history_user, h.history_change_reason) for h in history] == [
        (1, editor_a, "self_assessment"),
        (2, head_a, "self_assessment"),
        (3, editor_a, "self_assessment"),
    ]


def test_a_save_on_a_version_that_moved_is_refused_and_changes_nothing(
    assessment, editor_a, head_a, english
):
    criterion = leaf(assessment, "1.1")
    score_self_assess(
        assessment=assessment, criterion=criterion, actor=head_a, entry=SelfInput(points=D("2"))
    )
    with pytest.raises(ScoreConflict, match=r"1\.1 was changed by head_a at \d\d:\d\d") as caught:
        score_self_assess(
            assessment=assessment,
            criterion=criterion,
            actor=editor_a,
            entry=SelfInput(points=D("1")),
            expected_version=0,
        )
    assert caught.value.score.self_points == D("2")
    score = assessment.scores.get(criterion=criterion)
    assert (score.self_points, score.version, score.history.count()) == (D("2"), 1, 1)


def test_an_upload_on_an_unscored_leaf_makes_an_empty_version_0_row_with_its_history(
    assessment, head_a
):
    evidence = evidence_attach(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=head_a,
        file=SimpleUploadedFile("ke-hoach.pdf", PDF),
        name="ke-hoach.pdf",
    )
    score = evidence.score
    assert (score.self_points, score.version) == (None, 0)
    assert [(h.history_user, h.history_change_reason) for h in score.history.all()] == [
        (head_a, "self_assessment")
    ]


def test_the_units_entry_writes_only_its_own_fields(assessment, editor_a):
    criterion = leaf(assessment, "1.1")
    score_self_assess(
        assessment=assessment, criterion=criterion, actor=editor_a, entry=SelfInput(points=D("1"))
    )
    with CaptureQueriesContext(connection) as queries:
        score_self_assess(
            assessment=assessment,
            criterion=criterion,
            actor=editor_a,
            entry=SelfInput(points=D("2")),
        )
    assert columns_written(queries) == {
        "not_applicable",
        "na_reason",
        "self_points",
        "self_input",
        "self_explanation",
        *WHO_AND_WHEN,
    }


def test_an_appraisal_writes_only_the_appraisal_and_reads_the_row_afresh(in_appraisal, assigned):
    stale = in_appraisal.scores.get(criterion__code="1.1")
    # Changed since `stale` was read: the appraisal must not write the old value back.
    Score.objects.filter(pk=stale.pk).update(unit_reply="Giải trình")
    with CaptureQueriesContext(connection) as queries:
        score_appraise(score=stale, actor=assigned, points=D("1"), note="Chậm")
    assert columns_written(queries) == {"appraised_points", "appraisal_note", *WHO_AND_WHEN}
    stale.refresh_from_db()
    assert (stale.appraised_points, stale.unit_reply) == (D("1"), "Giải trình")


def test_a_reply_writes_only_the_reply(in_appraisal, assigned, editor_a):
    scores_accept(
        assessment=in_appraisal,
        actor=assigned,
        criterion_ids=list(in_appraisal.framework.criteria.values_list("pk", flat=True)),
    )
    assessment_return(assessment=in_appraisal, actor=assigned)
    score = in_appraisal.scores.get(criterion__code="1.1")
    with CaptureQueriesContext(connection) as queries:
        score_reply(score=score, actor=editor_a, reply="Kế hoạch số 12/KH")
    assert columns_written(queries) == {"unit_reply", *WHO_AND_WHEN}
