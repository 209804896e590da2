"""Evidence of a score: attached privately after checks, removed while its stage is open.

Files are stored once per digest (scoring.models.evidence_path) and shared by every row
holding the same document, so one unit's removal must never delete a file another unit
has just attached. Each stored name has a lock row (EvidenceFile): an upload checks for
the file and writes it while holding that lock, and a removal deletes it, after its own
row is gone for good, only while holding the lock and seeing no row left that refers to
it. Whichever comes second sees what the first did."""

import datetime
import logging
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scoring import access
from scoring.evidence_files import RefusedDocument, sniff
from scoring.models import (
    Assessment,
    Criterion,
    Evidence,
    EvidenceFile,
    Score,
    evidence_path,
)
from scoring.services.score_changes import (
    AssessmentError,
    lock_assessment,
    lock_score,
    save_with_history,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def evidence_attach(
    *,
    assessment: Assessment,
    criterion: Criterion,
    actor,
    file: BinaryIO,
    name: str,
    document_number: str = "",
    document_date: datetime.date | None = None,
    issuer: str = "",
) -> Evidence:
    """Store a document for a leaf, privately, after checking its size and real type.

    A leaf not scored yet gets an empty score first, made under the same locks as a
    score's save: it is read after the lock, so a save of points racing the upload is
    never overwritten by an empty entry.
    """
    assessment = lock_assessment(assessment)
    standing = access.assessment_access(actor, assessment)
    if not access.may_attach_evidence(standing):
        raise AssessmentError(_("Only the unit's officers may attach its evidence."))
    if access.self_assessment_open(assessment):
        stage = Evidence.Stage.SELF_ASSESSMENT
    elif access.explanation_open(assessment):
        stage = Evidence.Stage.EXPLANATION
    else:
        raise AssessmentError(
            _("Evidence can be added during self-assessment or explanation only.")
        )
    score = lock_score(assessment, criterion) or _empty_score(assessment, criterion, actor, stage)
    sniffed = _checked_document(file, name)
    # The same document twice on one leaf is a slip (a double click, a second try after a
    # slow upload): refused, so the appraiser does not read it twice. The digest, not the
    # name, says it is the same: a renamed copy is caught, a new version is not.
    already = Evidence.objects.filter(score=score, sha256=sniffed.sha256).first()
    if already is not None:
        raise AssessmentError(
            _(
                "“%(name)s” is already attached to %(code)s as “%(attached)s”, uploaded "
                "%(date)s: the same file is not attached twice."
            )
            % {
                "name": name,
                "code": score.criterion.code,
                "attached": already.original_name,
                "date": date_format(timezone.localtime(already.uploaded_at), "SHORT_DATE_FORMAT"),
            }
        )
    evidence = Evidence(
        score=score,
        original_name=name[:255],
        content_type=sniffed.content_type,
        size=sniffed.size,
        sha256=sniffed.sha256,
        document_number=document_number.strip(),
        document_date=document_date,
        issuer=issuer.strip(),
        stage=stage,
        uploaded_by=actor,
    )
    stored_name = evidence_path(evidence, sniffed.sha256)
    # Held until this transaction ends: a removal cannot delete the file between the
    # check below and the commit of the row that refers to it.
    _lock_file(stored_name)
    if evidence.file.storage.exists(stored_name):
        evidence.file.name = stored_name  # the same document is kept once
    else:
        evidence.file.save(sniffed.sha256, file, save=False)
    evidence.save()
    return evidence


def _empty_score(
    assessment: Assessment, criterion: Criterion, actor, stage: Evidence.Stage
) -> Score:
    """The row evidence hangs on, for a leaf the unit has not scored yet (version 0)."""
    if stage != Evidence.Stage.SELF_ASSESSMENT:
        raise AssessmentError(_("This criterion is not scored in this assessment."))
    if criterion.framework_id != assessment.framework_id or criterion.children.exists():
        raise AssessmentError(_("This criterion is not scored in this assessment."))
    if criterion.method == Criterion.Method.SURVEY:
        raise AssessmentError(_("Survey criteria are scored from the survey results."))
    score = Score(assessment=assessment, criterion=criterion)
    # Nothing typed is saved: a form opened on the leaf before (version 0) still saves.
    save_with_history(score, actor, "self_assessment", typed=False)
    return score


def _checked_document(file: BinaryIO, name: str):
    """The file's real type, size and digest, or AssessmentError saying what is wrong."""
    limit = settings.EVIDENCE_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise AssessmentError(
            _("The file is %(size)s; the largest accepted is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    try:
        sniffed = sniff(file, name=name)
    except RefusedDocument as refusal:
        raise AssessmentError(str(refusal)) from refusal
    if sniffed is None:
        raise AssessmentError(
            _("“%(name)s” is not a PDF, an Office document or an image (PNG, JPEG).")
            % {"name": name}
        )
    if sniffed.size > limit:
        raise AssessmentError(
            _("The file is %(size)s; the largest accepted is %(max)s.")
            % {"size": filesizeformat(sniffed.size), "max": filesizeformat(limit)}
        )
    return sniffed


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    assessment = lock_assessment(evidence.score.assessment)
    if not access.may_attach_evidence(access.assessment_access(actor, assessment)):
        raise AssessmentError(_("Only the unit's officers may remove its evidence."))
    current = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
    if current is None:
        raise AssessmentError(
            _("“%(name)s” was already removed.") % {"name": evidence.original_name}
        )
    stage_open = (
        access.self_assessment_open(assessment)
        if current.stage == Evidence.Stage.SELF_ASSESSMENT
        else access.explanation_open(assessment)
    )
    if not stage_open:
        raise AssessmentError(_("This document can no longer be removed."))
    stored, storage = current.file.name, current.file.storage
    current.delete()
    # Only once the row is gone for good may the file go, and only if no other row (of
    # this or another unit, committed meanwhile) still holds the same document.
    transaction.on_commit(lambda: evidence_file_release(name=stored, storage=storage))


def evidence_file_release(*, name: str, storage: Storage) -> bool:
    """Delete a stored file no Evidence row refers to any more; whether it was deleted.

    Runs after the removal committed, in a transaction of its own holding the file's lock.
    """
    try:
        with transaction.atomic():
            _lock_file(name)
            if Evidence.objects.filter(file=name).exists():
                return False
            storage.delete(name)
            EvidenceFile.objects.filter(name=name).delete()
            return True
    except Exception:
        # The removal itself is done; a file left behind only costs space.
        logger.exception("Evidence file %s could not be released", name)
        return False


def _lock_file(name: str) -> None:
    """Take the lock row of a stored file name, creating it when nobody holds it yet.

    A release deletes the row it held: whoever waited on it then finds no row and
    makes a new one (the insert waits for a concurrent insert of the same name).
    """
    for _attempt in range(5):
        EvidenceFile.objects.bulk_create([EvidenceFile(name=name)], ignore_conflicts=True)
        if EvidenceFile.objects.select_for_update().filter(name=name).first() is not None:
            return
    raise RuntimeError(f"Could not lock the evidence file {name}")
