"""A demo certification authority, so development, the demo and the tests sign like production.

Without the organisation's certificate (DJANGO_SIGNING_PKCS12), the portal makes a CA
and a signing certificate it issued on first use, and keeps both under MEDIA_ROOT:
private files, never served, never committed. Every page that shows a decision signed
by it says so (Decision.signed_by_demo_authority), and the certificate names say it too.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from reports.certificate_names import DEMO_UNIT

FOLDER = "signing-demo"
FILE = "demo-authority.p12"
CA_NAME = "CA thử nghiệm của Cổng Chỉ số CCHC (DEMO)"
SIGNER_ORGANISATION = "Cổng Chỉ số CCHC – thử nghiệm (DEMO)"


@dataclass(frozen=True)
class DemoAuthority:
    ca_certificate: x509.Certificate
    signer_certificate: x509.Certificate
    signer_key: rsa.RSAPrivateKey


def demo_authority_path() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER / FILE


def _name(common_name: str, organisation: str, *, demo: bool) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if demo:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT))
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def authority_create(
    *, ca_name: str, signer_organisation: str, demo: bool = True, now: datetime | None = None
) -> DemoAuthority:
    """A fresh CA and a signing certificate issued by it (demo=False: the tests' stand-ins)."""
    now = now or datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_subject = _name(ca_name, "Cổng Chỉ số CCHC", demo=demo)
    ca_certificate = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer_certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_organisation, signer_organisation, demo=demo))
        .issuer_name(ca_subject)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return DemoAuthority(ca_certificate, signer_certificate, signer_key)


def authority_pkcs12(authority: DemoAuthority, *, password: bytes | None = None) -> bytes:
    """The signing key, its certificate and the CA, as a PKCS#12 archive."""
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        name=b"signer",
        key=authority.signer_key,
        cert=authority.signer_certificate,
        cas=[authority.ca_certificate],
        encryption_algorithm=encryption,
    )


def _read(path: Path) -> DemoAuthority:
    key, certificate, others = pkcs12.load_key_and_certificates(path.read_bytes(), None)
    return DemoAuthority(ca_certificate=others[0], signer_certificate=certificate, signer_key=key)


def demo_authority() -> DemoAuthority:
    """The demo authority kept under MEDIA_ROOT, made on first use.

    The web process and the worker may both come here first: the file is written
    under a temporary name and linked into place, so the first one wins and the other
    reads what it wrote.
    """
    path = demo_authority_path()
    if path.exists():
        return _read(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    authority = authority_create(ca_name=CA_NAME, signer_organisation=SIGNER_ORGANISATION)
    temporary = path.with_name(f".{FILE}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(authority_pkcs12(authority))
    try:
        os.link(temporary, path)
    except FileExistsError:
        return _read(path)
    finally:
        temporary.unlink()
    return authority


def demo_ca_certificate() -> x509.Certificate | None:
    """The demo CA if one was made (never makes one: checking a file changes nothing)."""
    path = demo_authority_path()
    return _read(path).ca_certificate if path.exists() else None
