"""What the signature of a decision's PDF says: intact, who signed and when, trusted, changed since.

The verification page (/xac-thuc/) and the verify_decision command both show this for
a file someone holds. Trust is decided offline: the signer's certificate must chain to
one of the CAs in DJANGO_SIGNING_TRUST_ROOTS (PEM files), or to the demo CA where
SIGNING_TRUST_DEMO_CA (development) allows it. Nothing is fetched from the network, so
revocation is not checked.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    SignatureCoverageLevel,
    async_validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext

from reports.certificate_names import is_demo_name, organisation_name, readable_name
from reports.coroutines import coroutine_run
from reports.outputs.demo_authority import demo_ca_certificate

# Changes after the signature that add validation data or timestamps only (PAdES
# long-term validation), or bytes that are no revision at all, leave what was signed
# and what a reader shows as they were. The report still calls them changes.
HARMLESS_CHANGES = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}


@dataclass(frozen=True)
class SignatureReport:
    """The answer about one file; `problem` says why a file could not be checked at all."""

    readable: bool = True
    signed: bool = False
    intact: bool = False
    signer_subject: str = ""
    signer_organisation: str = ""
    issuer: str = ""
    signed_at: datetime | None = None
    timestamp_at: datetime | None = None
    trusted: bool = False
    demo_authority: bool = False
    changed_after_signing: bool = False
    changes_harmless: bool = True  # what was added changes nothing a reader sees
    problem: str = ""

    @property
    def valid(self) -> bool:
        """Intact, trusted, and not one byte added after the signature."""
        return self.signed and self.intact and self.trusted and not self.changed_after_signing


def trust_roots() -> list[asn1_x509.Certificate]:
    """The CAs a signature must chain to; ImproperlyConfigured for an unreadable file."""
    roots = []
    for name in settings.SIGNING_TRUST_ROOTS:
        try:
            roots.extend(load_certs_from_pemder_data(Path(name).read_bytes()))
        except (OSError, ValueError) as error:
            raise ImproperlyConfigured(
                f"DJANGO_SIGNING_TRUST_ROOTS: {name} is not a readable PEM certificate file "
                f"({error})."
            ) from error
    if settings.SIGNING_TRUST_DEMO_CA:
        demo = demo_ca_certificate()
        if demo is not None:
            roots.append(asn1_x509.Certificate.load(demo.public_bytes(serialization.Encoding.DER)))
    return roots


def _certificate(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


async def _status(signature, roots):
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    timestamps = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        return await async_validate_pdf_signature(
            signature, signer_validation_context=context, ts_validation_context=timestamps
        )
    finally:
        await context.aclose()
        await timestamps.aclose()


def pdf_signature_check(*, pdf: BinaryIO) -> SignatureReport:
    """Check the first signature of a PDF file (a published decision carries one)."""
    roots = trust_roots()
    try:
        pdf.seek(0)
        reader = PdfFileReader(pdf, strict=False)
        signatures = reader.embedded_regular_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        return SignatureReport(readable=False, problem=str(error) or type(error).__name__)
    if not signatures:
        return SignatureReport()
    signature = signatures[0]
    try:
        status = coroutine_run(lambda: _status(signature, roots))
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        return SignatureReport(
            readable=False, signed=True, problem=str(error) or type(error).__name__
        )
    certificate = _certificate(status.signing_cert)
    subject, issuer = certificate.subject, certificate.issuer
    timestamp = status.timestamp_validity
    return SignatureReport(
        signed=True,
        intact=status.intact and status.valid,
        signer_subject=readable_name(subject),
        signer_organisation=organisation_name(subject),
        issuer=readable_name(issuer),
        signed_at=status.signer_reported_dt,
        timestamp_at=timestamp.timestamp if timestamp and timestamp.intact else None,
        # The chain alone: pyHanko's status.trusted also needs the content intact, and a
        # changed byte would then read as an untrusted certificate.
        trusted=status.trust_problem_indic is None and status.validation_path is not None,
        demo_authority=is_demo_name(issuer),
        changed_after_signing=status.coverage != SignatureCoverageLevel.ENTIRE_FILE,
        changes_harmless=status.modification_level in HARMLESS_CHANGES,
    )
