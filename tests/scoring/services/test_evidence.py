"""Evidence files: real type from the content, size limit, digest, private storage."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scoring.models import Assessment, Evidence
from scoring.services.evidence import evidence_attach, evidence_remove
from scoring.services.score_changes import AssessmentError
from scoring.services.self_assessment import SelfInput, assessment_submit, score_self_assess
from tests.scoring.conftest import fill_in, leaf

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def score(assessment, editor_a):
    return score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=editor_a,
        entry=SelfInput(points=1),
    )


def attach(score, actor, data: bytes, name: str, **metadata) -> Evidence:
    upload = SimpleUploadedFile(name, data)
    return evidence_attach(
        assessment=score.assessment,
        criterion=score.criterion,
        actor=actor,
        file=upload,
        name=name,
        **metadata,
    )


def test_a_pdf_is_stored_privately_under_its_digest(score, editor_a, media_root):
    evidence = attach(
        score,
        editor_a,
        PDF,
        "Ke hoach CCHC 2016.pdf",
        document_number="12/KH-SGDĐT",
        document_date=datetime.date(2016, 1, 5),
        issuer="Sở Giáo dục và Đào tạo",
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert (evidence.sha256, evidence.size, evidence.content_type) == (
        digest,
        len(PDF),
        "application/pdf",
    )
    assert evidence.file.name == f"evidence/2016/{digest}"
    assert (media_root / "evidence" / "2016" / digest).read_bytes() == PDF
    assert evidence.original_name == "Ke hoach CCHC 2016.pdf"
    assert not evidence.dated_outside_year


def test_office_documents_and_images_are_accepted(score, editor_a):
    assert attach(score, editor_a, docx_bytes(), "bao-cao.docx").content_type.endswith(
        "wordprocessingml.document"
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    assert attach(score, editor_a, png, "anh.png").content_type == "image/png"


@pytest.mark.parametrize(
    "data,name",
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60, "ke-hoach.pdf"),  # a renamed executable
        (b"#!/bin/sh\nrm -rf /\n", "bao-cao.docx"),
        (b"", "rong.pdf"),
    ],
)
def test_anything_else_is_refused_whatever_its_name(score, editor_a, english, data, name):
    with pytest.raises(AssessmentError, match="is not a PDF, an Office document or an image"):
        attach(score, editor_a, data, name)
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(score, editor_a, settings, english):
    settings.EVIDENCE_MAX_BYTES = 50
    with pytest.raises(AssessmentError, match="the largest accepted is 50"):
        attach(score, editor_a, PDF, "lon.pdf")
    assert not Evidence.objects.exists()


def test_a_document_dated_outside_the_assessed_year_is_flagged(score, editor_a):
    evidence = attach(score, editor_a, PDF, "cu.pdf", document_date=datetime.date(2014, 12, 1))
    assert evidence.dated_outside_year


def test_only_the_units_officers_attach_and_only_while_open(
    score, editor_a, head_a, editor_b, staff, assessment
):
    for outsider in (editor_b, staff):
        with pytest.raises(AssessmentError):
            attach(score, outsider, PDF, "x.pdf")
    evidence = attach(score, editor_a, PDF, "x.pdf")
    fill_in(assessment, editor_a)
    assessment_submit(assessment=assessment, actor=head_a)
    score.assessment.refresh_from_db()
    with pytest.raises(AssessmentError):
        attach(score, editor_a, PDF, "y.pdf")
    with pytest.raises(AssessmentError):
        evidence_remove(evidence=evidence, actor=editor_a)
    assert assessment.state == Assessment.State.SUBMITTED


def test_removing_evidence_keeps_a_file_another_row_still_uses(score, editor_a, media_root):
    other = score_self_assess(
        assessment=score.assessment,
        criterion=leaf(score.assessment, "1.2"),
        actor=editor_a,
        entry=SelfInput(level="Chậm"),
    )
    first = attach(score, editor_a, PDF, "a.pdf")
    second = attach(other, editor_a, PDF, "b.pdf")  # the same document, for another leaf
    evidence_remove(evidence=first, actor=editor_a)
    assert (media_root / second.file.name).exists()


def test_the_same_file_twice_on_one_leaf_is_refused_whatever_its_name(score, editor_a):
    attach(score, editor_a, PDF, "Ke hoach.pdf")
    with pytest.raises(AssessmentError) as caught:
        attach(score, editor_a, PDF, "Ke hoach (1).pdf")
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert str(caught.value) == (
        "Tệp “Ke hoach (1).pdf” đã được đính kèm vào tiêu chí 1.1 với tên “Ke hoach.pdf”, "
        f"tải lên ngày {today}: một tệp không được đính kèm hai lần."
    )
    assert score.evidence.count() == 1


def test_a_new_version_of_a_document_is_attached_beside_the_old_one(score, editor_a):
    attach(score, editor_a, PDF, "Ke hoach.pdf")
    attach(score, editor_a, PDF.replace(b"1.7", b"1.6"), "Ke hoach.pdf")
    assert score.evidence.count() == 2
