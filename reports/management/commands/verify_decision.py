from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reports.outputs.signing import signing_time_text
from reports.selectors.decisions import decision_by_digest
from reports.signature_check import SignatureReport, pdf_signature_check
from reports.verification import sha256_hex

CHUNK = 65536
UNSIGNED_EARLIER = gettext_noop(
    "This decision was published before the portal signed its decisions: its digest "
    "alone identifies it."
)


def _moment(value) -> str:
    return signing_time_text(timezone.localtime(value)) if value else "—"


def signature_lines(report: SignatureReport) -> list[str]:
    """The verification page's answer as lines of text, with the same words."""
    if not report.readable:
        return [_("The file could not be read as a signed PDF.") + f" ({report.problem})"]
    if not report.signed:
        return [_("The file carries no digital signature.")]
    if not report.changed_after_signing:
        changes = _("Nothing was added after the signature.")
    elif report.changes_harmless:
        changes = _("Data was added after the signature, without changing what a reader sees.")
    else:
        changes = _(
            "The document was changed after it was signed: what it shows now may differ "
            "from what was signed."
        )
    lines = [
        _("Integrity")
        + ": "
        + (
            _("Intact: the signed content is exactly what was signed.")
            if report.intact
            else _("Broken: the signed content was changed, or the signature is damaged.")
        ),
        _("Digitally signed by") + f": {report.signer_organisation} ({report.signer_subject})",
        _("Certificate issued by") + f": {report.issuer}",
        _("Signed at") + f": {_moment(report.signed_at)}",
    ]
    if report.timestamp_at:
        lines.append(
            _("Timestamp from a timestamp authority: %(at)s") % {"at": _moment(report.timestamp_at)}
        )
    lines += [
        _("Trust")
        + ": "
        + (
            _("Trusted: the certificate chains to a certification authority this portal trusts.")
            if report.trusted
            else _(
                "Not trusted: the certificate does not chain to a certification authority "
                "this portal trusts."
            )
        ),
        _("After signing") + f": {changes}",
    ]
    if report.demo_authority:
        lines.append(
            _(
                "Signed by a demo certification authority: this copy shows how the portal "
                "signs a decision, but it carries no legal signature."
            )
        )
    return lines


class Command(BaseCommand):
    help = (
        "Check a decision's PDF as the verification page (/xac-thuc/) does, without a "
        "browser: whether its SHA-256 is that of a published decision, whether its digital "
        "signature is intact, who signed it and when, whether the signer's certificate is "
        "trusted, and whether anything was added after signing. Exits with status 1 unless "
        "the file is a published decision with a valid signature."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The PDF file to check.")

    def handle(self, *args, file: Path, **options):
        try:
            handle = file.open("rb")
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        with handle:
            digest = sha256_hex(iter(lambda: handle.read(CHUNK), b""))
            report = pdf_signature_check(pdf=handle)
        decision = decision_by_digest(digest)
        self.stdout.write(_("SHA-256:") + f" {digest}")
        if decision is None:
            self.stdout.write(_("No published decision has a PDF with this digest."))
        else:
            later = decision.published_successor
            status = _("Superseded") + f" ({later.number})" if later is not None else _("In force")
            self.stdout.write(
                _("This is the PDF of a published decision.")
                + f" {decision.number} ({decision.signed_on:%d/%m/%Y}), {status}: "
                + decision.subject
            )
        for line in signature_lines(report):
            self.stdout.write(line)
        if decision is None:
            raise CommandError(_("No published decision has a PDF with this digest."))
        if not decision.signer_subject:
            # Published before the portal signed its decisions: the digest is the proof.
            self.stdout.write(_(UNSIGNED_EARLIER))
            return
        if not report.valid:
            raise CommandError(_("The signature is not valid."))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The signature is valid: intact, from a trusted certificate, and nothing "
                    "was added after signing."
                )
            )
        )
