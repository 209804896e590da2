"""The signed decision: PAdES signature, its checking, PDF/A, and what poppler reads back."""

import asyncio
import io
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper

from reports.outputs.signature_field import FIELD_NAME
from reports.outputs.signing import pdf_sign, signing_time_text, signing_timestamper
from reports.signature_check import pdf_signature_check
from tests.reports.signing_data import (
    ORGANISATION,
    SIGNING_TIME,
    append_revision,
    flip_signed_byte,
    identity_of,
    make_authority,
    rendered_decision,
    write_pem,
)
from tests.tools import require_tool


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return rendered_decision()


@pytest.fixture(scope="module")
def signed(authority, unsigned) -> bytes:
    return pdf_sign(pdf=unsigned, identity=identity_of(authority), signing_time=SIGNING_TIME)


@pytest.fixture
def trusting(settings, tmp_path, authority):
    """The verification trusts the test CA only (not the demo one)."""
    settings.SIGNING_TRUST_ROOTS = [
        str(write_pem(tmp_path / "roots.pem", authority.ca_certificate))
    ]
    settings.SIGNING_TRUST_DEMO_CA = False


def check(pdf: bytes):
    return pdf_signature_check(pdf=io.BytesIO(pdf))


def test_a_signed_decision_is_intact_trusted_and_unchanged(trusting, signed):
    report = check(signed)

    assert report.valid
    assert report.intact and report.trusted and not report.changed_after_signing
    assert report.signer_organisation == ORGANISATION
    assert "CA tỉnh Sóc Trăng (kiểm thử)" in report.issuer
    assert report.signed_at == SIGNING_TIME
    assert report.timestamp_at is None  # B-B: no timestamp authority configured
    assert not report.demo_authority


def test_signing_appends_to_the_rendered_file(unsigned, signed):
    """An incremental update: the rendered bytes (and their PDF/A metadata) stay a prefix."""
    assert signed.startswith(unsigned)
    assert len(signed) > len(unsigned)


def test_the_signature_is_pades_in_the_field_of_the_signers_block(signed):
    reader = PdfFileReader(io.BytesIO(signed))
    [signature] = reader.embedded_regular_signatures
    assert signature.field_name == FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    page = reader.root["/Pages"]["/Kids"][0]
    width = float(page["/MediaBox"][2])
    left, bottom, right, top = (float(v) for v in signature.sig_field["/Rect"])
    # The signer's column is the right half of the first page, under the signer's title.
    assert width / 2 < left < right <= width
    assert 0 < bottom < top < float(page["/MediaBox"][3]) / 2 + 200


def test_the_stamp_names_the_organisation_and_the_signing_time_in_vietnam(signed, tmp_path):
    pdftotext = require_tool("pdftotext")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    reader = PdfFileReader(io.BytesIO(signed))
    left, bottom, right, top = (
        float(v) for v in reader.embedded_regular_signatures[0].sig_field["/Rect"]
    )
    height = float(reader.root["/Pages"]["/Kids"][0]["/MediaBox"][3])
    # Only the text inside the signature's box (pdftotext measures from the top, at 72 dpi).
    crop = ["-x", str(int(left)), "-y", str(int(height - top)), "-W", str(int(right - left))]
    crop += ["-H", str(int(top - bottom) + 1)]
    boxed = subprocess.run(  # noqa: S603
        [pdftotext, "-f", "1", "-l", "1", *crop, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Ký bởi: {ORGANISATION}" in boxed
    assert "Thời gian ký: 17/10/2016 09:15:30 +07:00" in boxed


def test_the_signing_time_is_written_with_the_offset_as_iso_8601_does():
    vietnam = datetime(2016, 2, 3, 4, 5, 6, tzinfo=UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert signing_time_text(vietnam) == "03/02/2016 11:05:06 +07:00"


def test_one_byte_changed_after_signing_breaks_the_signature(trusting, signed):
    report = check(flip_signed_byte(signed))

    assert report.signed
    assert not report.intact
    assert not report.valid
    assert report.trusted  # the certificate is still the authority's: only the content broke


def test_a_certificate_from_another_authority_is_not_trusted(trusting, unsigned):
    stranger = make_authority(ca_name="Một CA khác")
    signed = pdf_sign(pdf=unsigned, identity=identity_of(stranger), signing_time=SIGNING_TIME)

    report = check(signed)

    assert report.intact
    assert not report.trusted
    assert not report.valid
    assert "Một CA khác" in report.issuer


def test_a_revision_appended_after_signing_is_a_change(trusting, signed):
    report = check(append_revision(signed))

    assert report.intact  # the signed revision itself is untouched
    assert report.changed_after_signing
    assert not report.changes_harmless  # it draws over the first page
    assert not report.valid


def test_bytes_appended_after_signing_are_reported_too(trusting, signed):
    report = check(signed + b"\n% a note added later\n")

    assert report.changed_after_signing
    assert report.changes_harmless  # no revision: a reader shows the same document
    assert not report.valid


def test_a_pdf_without_signature_and_a_file_that_is_no_pdf(trusting, unsigned):
    assert not check(unsigned).signed
    broken = check(b"not a pdf at all")
    assert not broken.readable
    assert broken.problem


def test_pdfsig_reports_a_valid_pades_signature(signed, tmp_path):
    pdfsig = require_tool("pdfsig")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)

    output = subprocess.run(  # noqa: S603
        [pdfsig, str(path)], capture_output=True, text=True, check=True
    ).stdout

    assert "Signature Field Name: Signature" in output
    assert f"Signer Certificate Common Name: {ORGANISATION}" in output
    assert "Signature Type: ETSI.CAdES.detached" in output
    assert "Total document signed" in output
    assert "Signature Validation: Signature is Valid." in output


def test_pdfsig_sees_a_tampered_copy(signed, tmp_path):
    pdfsig = require_tool("pdfsig")
    path = tmp_path / "tampered.pdf"
    path.write_bytes(flip_signed_byte(signed))

    output = subprocess.run(  # noqa: S603
        [pdfsig, str(path)], capture_output=True, text=True
    ).stdout

    assert "Signature is Valid" not in output


def test_pdf_a_identification_survives_signing(signed):
    reader = PdfFileReader(io.BytesIO(signed))
    xmp = reader.root["/Metadata"].data.decode()
    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    # PDF/A: the document information dictionary agrees with the XMP metadata.
    producer = str(reader.trailer["/Info"]["/Producer"])
    assert f'pdf:Producer="{producer}"' in xmp
    assert "/OutputIntents" in reader.root


def test_every_font_is_embedded_and_the_text_reads_back(signed, tmp_path):
    pdffonts, pdftotext = require_tool("pdffonts"), require_tool("pdftotext")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    fonts = subprocess.run(  # noqa: S603
        [pdffonts, str(path)],
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, embedded = line.split()[0], line.split()[-5]
        assert "Liberation" in name and embedded == "yes", line
    text = subprocess.run(  # noqa: S603
        [pdftotext, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout
    assert "QUYẾT ĐỊNH" in text
    assert "Sở Thử Nghiệm 6" in text
    assert "Trung bình" in text


def _timestamp_authority_certificate():
    """A self-signed timestamping certificate and its key, as pyHanko's test TSA wants them."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA kiểm thử")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


@pytest.fixture
def timestamp_authority(settings):
    """A timestamp authority on a loopback port for the test's duration."""
    certificate, key = _timestamp_authority_certificate()
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{server.server_port}/"
    yield certificate
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_timestamp_authority_makes_the_signature_pades_b_t(
    settings, tmp_path, authority, unsigned, timestamp_authority
):
    settings.SIGNING_TRUST_ROOTS = [
        str(write_pem(tmp_path / "roots.pem", authority.ca_certificate, timestamp_authority))
    ]
    settings.SIGNING_TRUST_DEMO_CA = False
    before = datetime.now(UTC)

    signed = pdf_sign(
        pdf=unsigned, identity=identity_of(authority), timestamper=signing_timestamper()
    )

    report = check(signed)
    assert report.valid
    assert report.timestamp_at is not None
    assert before - timedelta(seconds=5) <= report.timestamp_at <= datetime.now(UTC)


def test_no_timestamp_authority_means_no_timestamper(settings):
    settings.SIGNING_TSA_URL = ""
    assert signing_timestamper() is None


def test_signing_and_checking_work_where_an_event_loop_runs(trusting, authority, unsigned):
    """The browser tests run the publication task in Playwright's thread, whose loop runs."""

    async def inside_a_loop():
        signed = pdf_sign(pdf=unsigned, identity=identity_of(authority))
        return check(signed)

    # In a thread of its own: the test thread may already run Playwright's loop (after
    # the browser tests), where asyncio.run() cannot start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result().valid
