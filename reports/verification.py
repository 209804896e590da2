"""How the public checks that a PDF is the one the province published.

The PDF cannot print its own SHA-256: the digest is of the finished bytes. So its
last page and QR code give the address of the DECISION's public page
(/quyet-dinh/<pk>/), known before rendering, which shows the stored pdf_sha256;
the verification page (/xac-thuc/) hashes an uploaded file and names the
published decision whose pdf_sha256 it matches. Addresses are built from
settings.PORTAL_BASE_URL and only printed: rendering never fetches them.
"""

import hashlib
import re
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from reports.models import Decision
from units.text import fold


def sha256_hex(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def decision_verify_url(decision: Decision) -> str:
    """The address printed on the PDF and in its QR code: the decision's public page."""
    return _absolute(reverse("reports:decision_detail", args=[decision.pk]))


def verify_upload_url() -> str:
    """The page where anyone uploads a PDF to compare its SHA-256 with the published ones."""
    return _absolute(reverse("reports:verify"))


def decision_file_key(decision: Decision) -> str:
    """A readable file name stem: "2491/QĐ-UBND" of 17/10/2016 → "2491-qd-ubnd-2016-10-17"."""
    number = re.sub(r"[^a-z0-9]+", "-", fold(decision.number)).strip("-")
    return f"{number}-{decision.signed_on:%Y-%m-%d}"


def pdf_matches(*, decision: Decision, uploaded) -> bool:
    """Whether an uploaded file (a Django UploadedFile or a binary file) is the published PDF."""
    if not decision.pdf_sha256:
        return False
    if hasattr(uploaded, "chunks"):
        chunks = uploaded.chunks()
    else:
        chunks = iter(lambda: uploaded.read(65536), b"")
    return sha256_hex(chunks) == decision.pdf_sha256
