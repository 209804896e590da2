"""The published decision as a signed electronic document: PAdES B-B, or B-T with a timestamp.

The organisation's certificate comes from a PKCS#12 file (DJANGO_SIGNING_PKCS12 and
its password); without one, a demo authority made on first use signs instead
(reports.outputs.demo_authority) and the decision records it. The signature is an
incremental update of the PDF/A file WeasyPrint wrote, so the rendered bytes and
their PDF/A identification stay as they were; it fills the empty signature field the
renderer placed in the signer's block (reports.outputs.signature_field).
"""

import io
import os
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from reports.certificate_names import is_demo_name, organisation_name, readable_name
from reports.coroutines import coroutine_run
from reports.errors import PublicationError
from reports.models import Decision
from reports.outputs.demo_authority import demo_authority, demo_authority_path
from reports.outputs.pdf import font_paths
from reports.outputs.signature_field import FIELD_NAME

TSA_TIMEOUT_SECONDS = 20
# Decree 30/2020, Appendix I: beside the seal, the organisation's name and the signing
# time (date, hh:mm:ss and the offset, as ISO 8601 writes it), Times New Roman 10 pt.
STAMP_TEXT = "Ký bởi: %(organisation)s\nThời gian ký: %(signed_at)s"
STAMP_FONT_SIZE = 10
PDF_GLYPH_UNITS = 1000  # PDF glyph space: thousandths of an em
# Basic Latin, Latin-1, Latin Extended-A and -B, combining marks, Latin Extended
# Additional (the precomposed Vietnamese letters) and general punctuation.
STAMP_UNICODES = [
    code
    for start, end in (
        (0x20, 0x7E),
        (0xA0, 0x24F),
        (0x300, 0x36F),
        (0x1E00, 0x1EFF),
        (0x2000, 0x206F),
    )
    for code in range(start, end + 1)
]


@dataclass(frozen=True)
class SigningIdentity:
    """Who signs: the key and certificate chain, and how the decision records them."""

    signer: signers.SimpleSigner
    subject: str
    issuer: str
    organisation: str
    demo: bool


class _LoadedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that keeps its RSA key loaded.

    pyHanko's SimpleSigner parses and checks the key again for every raw signature
    (about 30 ms for RSA-2048), and signing a PDF makes two (the size estimate, then
    the signature): a third of the signing time.
    """

    def __init__(self, *, private_key, **kwargs) -> None:
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
            self._private_key, RSAPrivateKey
        ):
            return self._private_key.sign(
                data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        return super().sign_raw(data, digest_algorithm)


def signing_identity_from_pkcs12(
    pkcs12_bytes: bytes, password: bytes | None, *, demo: bool
) -> SigningIdentity:
    """The key and certificates of a PKCS#12 archive, or PublicationError saying what is wrong."""
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(pkcs12_bytes, password)
    except ValueError as error:
        raise PublicationError(
            _("The signing certificate (DJANGO_SIGNING_PKCS12) could not be read: %(error)s")
            % {"error": error}
        ) from error
    if key is None or certificate is None:
        raise PublicationError(
            _(
                "The signing certificate file (DJANGO_SIGNING_PKCS12) holds no private key "
                "with its certificate."
            )
        )
    # One parse of the archive: pyHanko's own loader would parse (and check) the key again.
    signer = _LoadedKeySigner(
        private_key=key,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        signing_cert=_asn1_certificate(certificate),
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1_certificate(other) for other in others]
        ),
    )
    return SigningIdentity(
        signer=signer,
        subject=readable_name(certificate.subject),
        issuer=readable_name(certificate.issuer),
        organisation=organisation_name(certificate.subject),
        demo=demo or is_demo_name(certificate.issuer),
    )


def _asn1_certificate(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@lru_cache(maxsize=4)
def _file_identity(
    path: str, password: str, version: tuple[int, int], demo: bool
) -> SigningIdentity:
    """Read once per process and file version: a PKCS#12 parse takes about 40 ms."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise PublicationError(
            _("The signing certificate file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from error
    return signing_identity_from_pkcs12(data, password.encode() or None, demo=demo)


def _identity_of_file(path: str, password: str, *, demo: bool) -> SigningIdentity:
    try:
        stat = os.stat(path)
    except OSError as error:
        raise PublicationError(
            _("The signing certificate file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from error
    return _file_identity(path, password, (stat.st_mtime_ns, stat.st_size), demo)


def signing_identity() -> SigningIdentity:
    """The organisation's certificate when configured, else the demo authority's."""
    if settings.SIGNING_PKCS12:
        return _identity_of_file(
            settings.SIGNING_PKCS12, settings.SIGNING_PKCS12_PASSWORD, demo=False
        )
    path = demo_authority_path()
    if not path.exists():
        demo_authority()  # made on first use
    return _identity_of_file(str(path), "", demo=True)


def signing_timestamper() -> TimeStamper | None:
    """A timestamp authority makes the signature PAdES B-T; none leaves it B-B."""
    url = settings.SIGNING_TSA_URL
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS) if url else None


def signing_time_text(moment: datetime) -> str:
    """ "17/10/2016 09:15:30 +07:00": Python 3.11's %z has no colon, so the offset is built."""
    offset = moment.strftime("%z")
    return f"{moment:%d/%m/%Y %H:%M:%S} {offset[:3]}:{offset[3:]}"


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given, so the stamp shows the signed attribute's time.

    pyHanko takes "now" in the machine's zone; the stamp must print the very time in the
    signature, in Vietnam's zone.
    """

    def __init__(self, *args, signing_time: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.signing_time
        return session


@cache
def _stamp_font_bytes() -> bytes:
    """Liberation Serif (the decision's Times New Roman) rescaled to 1,000 units per em.

    pyHanko 0.38 writes a TrueType font's glyph widths in the font's own units into the
    PDF's /W array, which PDF reads as thousandths of an em: Liberation's 2,048 units per
    em would space every glyph of the stamp twice as wide as drawn. Rescaling takes about
    0.4 s, once per process.
    """
    font = TTFont(font_paths()["regular"])
    # Only the Latin and Vietnamese letters the stamp can print: pyHanko subsets the font
    # again at every signature, and a small font makes that ten times quicker.
    options = Options(layout_features=["*"], notdef_outline=True, hinting=False)
    options.drop_tables += ["FFTM"]  # FontForge's timestamps, which fontTools cannot subset
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    if font["head"].unitsPerEm != PDF_GLYPH_UNITS:
        scale_upem(font, PDF_GLYPH_UNITS)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


class _StampFont(FontEngineFactory):
    """The stamp's font, embedded (PDF/A) and covering Vietnamese."""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_stamp_font_bytes()),
            font_size=STAMP_FONT_SIZE,
            obj_stream=obj_stream,
        )


_CENTRED = layout.SimpleBoxLayoutRule(
    x_align=layout.AxisAlignment.ALIGN_MID,
    y_align=layout.AxisAlignment.ALIGN_MID,
    margins=layout.Margins.uniform(2),
)


def _stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(
            font=_StampFont(), font_size=STAMP_FONT_SIZE, box_layout_rule=_CENTRED
        ),
        inner_content_layout=_CENTRED,
        border_width=0,
    )


def _leave_producer_to_signer(writer: IncrementalPdfFileWriter) -> None:
    """PDF/A wants the Info dictionary and the XMP metadata to agree.

    pyHanko writes its own name as the XMP producer but appends it to the Info one
    ("WeasyPrint 70.0; pyHanko …"); without the renderer's entry both say the same.
    """
    try:
        info = writer.trailer["/Info"]
    except KeyError:
        return
    if "/Producer" in info:
        writer.set_info(
            generic.DictionaryObject({k: v for k, v in info.items() if k != "/Producer"})
        )


def pdf_sign(
    *,
    pdf: bytes,
    identity: SigningIdentity,
    signing_time: datetime | None = None,
    timestamper: TimeStamper | None = None,
    location: str = "",
) -> bytes:
    """The PDF signed (PAdES) as an incremental update: the input bytes are a prefix of the result.

    The visible signature goes into the empty field the renderer placed; a PDF without
    one gets an invisible signature.
    """
    moment = (signing_time or timezone.now()).astimezone(ZoneInfo(settings.TIME_ZONE))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        location=location or None,
    )
    signer = _TimedPdfSigner(
        metadata,
        identity.signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(),
        signing_time=moment,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    _leave_producer_to_signer(writer)
    try:
        output = coroutine_run(
            lambda: signer.async_sign_pdf(
                writer,
                appearance_text_params={
                    "organisation": identity.organisation,
                    "signed_at": signing_time_text(moment),
                },
            )
        )
    except (OSError, aiohttp.ClientError, TimeoutError) as error:
        if timestamper is None:
            raise
        # The timestamp authority did not answer, or answered nonsense.
        raise PublicationError(
            _("The timestamp authority %(url)s did not give a timestamp: %(error)s")
            % {"url": settings.SIGNING_TSA_URL, "error": error}
        ) from error
    return output.getvalue()


def decision_pdf_sign(*, decision: Decision, pdf: bytes) -> bytes:
    """Sign a decision's rendered PDF and record on the decision who signed it and when."""
    identity = signing_identity()
    moment = timezone.now()
    signed = pdf_sign(
        pdf=pdf,
        identity=identity,
        signing_time=moment,
        timestamper=signing_timestamper(),
        location=decision.place,
    )
    decision.signer_subject = identity.subject
    decision.signer_issuer = identity.issuer
    decision.signed_by_demo_authority = identity.demo
    decision.pdf_signed_at = moment
    return signed
