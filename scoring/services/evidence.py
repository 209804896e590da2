"""Evidence of a score: attached privately after checks, removed while its stage is open."""

import datetime
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from scoring import access
from scoring.evidence_files import RefusedDocument, sniff
from scoring.models import (
    Evidence,
    Score,
    evidence_path,
)
from scoring.services.score_changes import AssessmentError, lock_assessment


@transaction.atomic
def evidence_attach(
    *,
    score: Score,
    actor,
    file: BinaryIO,
    name: str,
    document_number: str = "",
    document_date: datetime.date | None = None,
    issuer: str = "",
) -> Evidence:
    """Store a document for a leaf, privately, after checking its size and real type."""
    assessment = score.assessment = lock_assessment(score.assessment)
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
    if evidence.file.storage.exists(stored_name):
        evidence.file.name = stored_name  # the same document is kept once
    else:
        evidence.file.save(sniffed.sha256, file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    assessment = evidence.score.assessment
    if not access.may_attach_evidence(access.assessment_access(actor, assessment)):
        raise AssessmentError(_("Only the unit's officers may remove its evidence."))
    stage_open = (
        access.self_assessment_open(assessment)
        if evidence.stage == Evidence.Stage.SELF_ASSESSMENT
        else access.explanation_open(assessment)
    )
    if not stage_open:
        raise AssessmentError(_("This document can no longer be removed."))
    stored = evidence.file.name
    evidence.delete()
    # Another row may hold the same document (same digest); keep the file for it.
    if not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
