"""Two people writing at once lose nothing: real races on PostgreSQL (tests/concurrency.py).

Each race is forced once in the order that used to lose a write (one writer held in
flight while the other starts), then run freely for several rounds started together.
"""

import threading
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scoring.models import Evidence, EvidenceFile, Score
from scoring.services.appraisal import score_appraise
from scoring.services.evidence import evidence_attach, evidence_remove
from scoring.services.score_changes import ScoreConflict
from scoring.services.self_assessment import SelfInput, score_self_assess
from tests.concurrency import InFlight, Racer, blocked_or_done, postgresql_only, race
from tests.factories import make_assessment, make_unit, make_user
from tests.scoring.conftest import fill_in, leaf, move_to
from units.models import Membership
from units.people import person_name

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]
ROUNDS = 12
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOTE = "Kế hoạch ban hành chậm"


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


# -- two appraisals of one score -------------------------------------------------------------


@pytest.fixture
def in_appraisal(assessment, editor_a, head_a, staff, assigned):
    fill_in(assessment, editor_a)
    move_to(assessment, "in_appraisal", head=head_a, staff=staff)
    return assessment


def appraise(score_pk: int, actor, points: D, opened: int):
    """What the appraisal form's post does, with the version the form was opened on."""

    def work():
        score = Score.objects.select_related("assessment", "criterion").get(pk=score_pk)
        return score_appraise(
            score=score, actor=actor, points=points, note=NOTE, expected_version=opened
        )

    return work


def check_one_saved_one_refused(score_pk: int, outcomes: list, opened: int, history: int):
    saved = [outcome for outcome in outcomes if isinstance(outcome, Score)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ScoreConflict)]
    assert (len(saved), len(refused)) == (1, 1), outcomes
    winner = saved[0]
    stored = Score.objects.get(pk=score_pk)
    # The one told "saved" is the one whose points are stored, once, with who and why.
    assert (stored.appraised_points, stored.updated_by, stored.version) == (
        winner.appraised_points,
        winner.updated_by,
        opened + 1,
    )
    latest = stored.history.order_by("-history_date", "-pk").first()
    assert stored.history.count() == history + 1
    assert (latest.history_user, latest.history_change_reason) == (winner.updated_by, "appraisal")
    # The other is told who got there first, and sees the saved values.
    assert person_name(winner.updated_by) in str(refused[0])
    assert refused[0].score.appraised_points == winner.appraised_points


def test_an_appraisers_save_held_in_flight_makes_staffs_wait_then_refuses_it(
    in_appraisal, assigned, staff
):
    score = in_appraisal.scores.get(criterion__code="1.1")
    opened, history = score.version, score.history.count()
    first = InFlight(appraise(score.pk, assigned, D("1.5"), opened)).start()
    second = Racer(appraise(score.pk, staff, D("1"), opened))
    second.start()
    assert blocked_or_done(second) == "blocked"
    outcomes = [first.release(), second.outcome()]
    check_one_saved_one_refused(score.pk, outcomes, opened, history)
    assert Score.objects.get(pk=score.pk).appraised_points == D("1.5")


def test_an_appraiser_and_staff_saving_one_score_at_once_never_both_hear_saved(
    in_appraisal, assigned, staff
):
    score = in_appraisal.scores.get(criterion__code="1.1")
    for round_ in range(ROUNDS):
        stored = Score.objects.get(pk=score.pk)
        opened, history = stored.version, stored.history.count()
        outcomes = race(
            appraise(score.pk, assigned, D("1.5") - D("0.25") * (round_ % 2), opened),
            appraise(score.pk, staff, D("1"), opened),
        )
        check_one_saved_one_refused(score.pk, outcomes, opened, history)


# -- a score's save racing an evidence upload on the same unscored leaf ------------------------


def post_points(user, assessment, criterion, points: str, version: int = 0):
    """The editor's form, opened on the leaf before it had a score (version 0)."""

    def work():
        client = Client()
        client.force_login(user)
        prefix = f"s{criterion.pk}"
        return client.post(
            url("score_self", assessment.pk, criterion.pk),
            {f"{prefix}-points": points, f"{prefix}-version": str(version)},
        ).status_code

    return work


def post_upload(user, assessment, criterion):
    def work():
        client = Client()
        client.force_login(user)
        upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
        return client.post(
            url("evidence_upload", assessment.pk, criterion.pk), {f"e{criterion.pk}-file": upload}
        ).status_code

    return work


def check_points_and_evidence_kept(assessment, criterion, history_users: set):
    score = Score.objects.get(assessment=assessment, criterion=criterion)
    assert score.self_points == D("1.5")
    assert [e.original_name for e in score.evidence.all()] == ["ke-hoach.pdf"]
    # Every save says who made it and why (the empty row the upload made included).
    assert {(r.history_user_id, r.history_change_reason) for r in score.history.all()} == (
        history_users
    )


def test_a_save_held_in_flight_keeps_its_points_when_an_upload_starts_meanwhile(
    assessment, editor_a, head_a
):
    criterion = leaf(assessment, "1.1")
    first = InFlight(
        lambda: score_self_assess(
            assessment=assessment,
            criterion=criterion,
            actor=editor_a,
            entry=SelfInput(points=D("1.5")),
            expected_version=0,
        )
    ).start()
    upload = Racer(post_upload(head_a, assessment, criterion))
    upload.start()
    assert blocked_or_done(upload) == "blocked"
    first.release()
    assert upload.outcome() == 302
    check_points_and_evidence_kept(assessment, criterion, {(editor_a.pk, "self_assessment")})


def test_an_upload_held_in_flight_lets_the_save_opened_before_it_through(
    assessment, editor_a, head_a
):
    criterion = leaf(assessment, "1.1")
    first = InFlight(
        lambda: evidence_attach(
            assessment=assessment,
            criterion=criterion,
            actor=head_a,
            file=SimpleUploadedFile("ke-hoach.pdf", PDF),
            name="ke-hoach.pdf",
        )
    ).start()
    save = Racer(post_points(editor_a, assessment, criterion, "1.5"))
    save.start()
    assert blocked_or_done(save) == "blocked"
    first.release()
    # The empty row the upload made holds nothing the form could lose: no conflict.
    assert save.outcome() == 302
    check_points_and_evidence_kept(
        assessment,
        criterion,
        {(head_a.pk, "self_assessment"), (editor_a.pk, "self_assessment")},
    )


def test_points_and_an_upload_posted_at_once_on_an_unscored_leaf_are_both_kept(
    assessment, editor_a, head_a
):
    criterion = leaf(assessment, "1.1")
    for _round in range(ROUNDS):
        Score.objects.filter(assessment=assessment, criterion=criterion).delete()
        outcomes = race(
            post_points(editor_a, assessment, criterion, "1.5"),
            post_upload(head_a, assessment, criterion),
        )
        assert outcomes == [302, 302]
        score = Score.objects.get(assessment=assessment, criterion=criterion)
        assert score.self_points == D("1.5")
        assert score.evidence.count() == 1


# -- a removal racing an attach of the same file ----------------------------------------------


@pytest.fixture
def neighbour(assessment):
    """Another unit of the same block and campaign, with its editor."""
    unit = make_unit(name="Sở Tài chính", block=assessment.unit.block)
    editor = make_user(username="editor_c", unit=unit, role=Membership.Role.EDITOR)
    return make_assessment(campaign=assessment.campaign, unit=unit), editor


def attach(assessment, editor):
    def work():
        return evidence_attach(
            assessment=assessment,
            criterion=leaf(assessment, "1.1"),
            actor=editor,
            file=SimpleUploadedFile("ke-hoach.pdf", PDF),
            name="ke-hoach.pdf",
        )

    return work


def remove(evidence_pk: int, editor):
    def work():
        evidence_remove(evidence=Evidence.objects.get(pk=evidence_pk), actor=editor)

    return work


def check_every_row_has_its_file(media_root):
    rows = list(Evidence.objects.all())
    assert rows, "the attach was lost"
    for evidence in rows:
        assert (media_root / evidence.file.name).read_bytes() == PDF


def test_a_removal_waits_for_an_attach_in_flight_of_the_same_file_and_keeps_it(
    assessment, editor_a, neighbour, media_root
):
    other, editor_c = neighbour
    mine = attach(assessment, editor_a)()
    first = InFlight(attach(other, editor_c)).start()
    removal = Racer(remove(mine.pk, editor_a))
    removal.start()
    # The row is gone at once; the file waits for the attach to commit or roll back.
    assert blocked_or_done(removal) == "blocked"
    theirs = first.release()
    assert removal.outcome() is None
    assert list(Evidence.objects.values_list("pk", flat=True)) == [theirs.pk]
    check_every_row_has_its_file(media_root)


def test_an_attach_during_a_files_deletion_stores_the_file_again(
    assessment, editor_a, neighbour, media_root, monkeypatch
):
    other, editor_c = neighbour
    mine = attach(assessment, editor_a)()
    storage = Evidence._meta.get_field("file").storage
    deleted, go = threading.Event(), threading.Event()
    original_delete = storage.delete

    def held_delete(name):
        original_delete(name)
        deleted.set()
        assert go.wait(15)

    monkeypatch.setattr(storage, "delete", held_delete)
    removal = Racer(remove(mine.pk, editor_a))
    removal.start()
    assert deleted.wait(15)
    attaching = Racer(attach(other, editor_c))
    attaching.start()
    assert blocked_or_done(attaching) == "blocked"
    go.set()
    assert removal.outcome() is None
    assert isinstance(attaching.outcome(), Evidence)
    check_every_row_has_its_file(media_root)


def test_removals_and_attaches_of_one_file_at_once_never_leave_a_row_without_its_file(
    assessment, editor_a, neighbour, media_root
):
    other, editor_c = neighbour
    for _round in range(ROUNDS):
        mine = attach(assessment, editor_a)()
        removed, theirs = race(remove(mine.pk, editor_a), attach(other, editor_c))
        assert removed is None and isinstance(theirs, Evidence)
        check_every_row_has_its_file(media_root)
        # Once nothing refers to it, the file and its lock row go.
        evidence_remove(evidence=theirs, actor=editor_c)
        assert not (media_root / theirs.file.name).exists()
        assert not EvidenceFile.objects.exists()
