"""A stored evidence file goes only when no row refers to it any more, after the removal
committed and under the file's lock (the races themselves: test_concurrency.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.models import Evidence, EvidenceFile
from scoring.services.evidence import evidence_attach, evidence_remove
from scoring.services.score_changes import AssessmentError
from tests.scoring.conftest import leaf

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def attach(assessment, editor, code: str) -> Evidence:
    return evidence_attach(
        assessment=assessment,
        criterion=leaf(assessment, code),
        actor=editor,
        file=SimpleUploadedFile("ke-hoach.pdf", PDF),
        name="ke-hoach.pdf",
    )


def test_the_last_removal_deletes_the_file_once_committed(
    assessment, editor_a, media_root, django_capture_on_commit_callbacks
):
    first, second = attach(assessment, editor_a, "1.1"), attach(assessment, editor_a, "1.2")
    stored = media_root / first.file.name
    assert first.file.name == second.file.name  # one file for the same document
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=first, actor=editor_a)
    assert stored.exists()  # the other row still holds it
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=second, actor=editor_a)
        assert stored.exists()  # not before the commit
    assert not stored.exists()
    assert not EvidenceFile.objects.exists()


def test_a_removal_rolled_back_deletes_nothing(assessment, editor_a, media_root):
    evidence = attach(assessment, editor_a, "1.1")
    # pytest-django's transaction never commits: the release never runs, the file stays.
    evidence_remove(evidence=evidence, actor=editor_a)
    assert (media_root / evidence.file.name).exists()


def test_removing_a_document_twice_says_it_is_already_gone(assessment, editor_a, english):
    evidence = attach(assessment, editor_a, "1.1")
    evidence_remove(evidence=evidence, actor=editor_a)
    with pytest.raises(AssessmentError, match="“ke-hoach.pdf” was already removed."):
        evidence_remove(evidence=evidence, actor=editor_a)
