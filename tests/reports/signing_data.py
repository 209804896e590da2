"""Certificates, a rendered decision and ways to spoil a signed PDF, for the signing tests."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from reports.models import Decision, PublishedResult
from reports.outputs.demo_authority import DemoAuthority, authority_create, authority_pkcs12
from reports.outputs.pdf import decision_pdf
from reports.outputs.signing import SigningIdentity, signing_identity_from_pkcs12
from scoring.models import Campaign
from units.models import Unit

ORGANISATION = "Ủy ban nhân dân tỉnh Sóc Trăng"
# 02:15:30 UTC is 09:15:30 in Vietnam (+07:00).
SIGNING_TIME = dt.datetime(2016, 10, 17, 2, 15, 30, tzinfo=dt.UTC)


def make_authority(ca_name: str = "CA tỉnh Sóc Trăng (kiểm thử)") -> DemoAuthority:
    return authority_create(ca_name=ca_name, signer_organisation=ORGANISATION, demo=False)


def identity_of(authority: DemoAuthority) -> SigningIdentity:
    return signing_identity_from_pkcs12(authority_pkcs12(authority), None, demo=False)


def write_pem(path: Path, *certificates: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates))
    return path


def rendered_decision(rows: int = 6) -> bytes:
    """A published decision's PDF as the renderer makes it, before signing (no database)."""
    campaign = Campaign(pk=1, year=2015, name="2015")
    decision = Decision(
        pk=1,
        campaign=campaign,
        number="2491/QĐ-UBND",
        signed_on=dt.date(2016, 10, 17),
        place="Sóc Trăng",
        issuing_body=ORGANISATION,
        subject="Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lê Thành Trí",
        legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương;"],
        articles=["Phê duyệt.", "Khắc phục.", "Thi hành./."],
        recipients=["Như Điều 3;", "Lưu: VT, NC."],
        status=Decision.Status.PUBLISHED,
    )
    results = [
        PublishedResult(
            decision=decision,
            block_code="so",
            block_name="Sở, ban, ngành",
            block_position=1,
            position=n + 1,
            unit=Unit(pk=n + 1),
            unit_code=f"u{n}",
            unit_name=f"Sở Thử Nghiệm {n + 1}",
            areas=[{"code": "1", "title": "Chỉ đạo, điều hành", "points": "7.5", "max": "9"}],
            survey_points=Decimal("20"),
            deductions=Decimal("0"),
            bonus=Decimal("0"),
            total=Decimal("80") - n,
            applicable_max=Decimal("100"),
            index=Decimal("80") - n,
            rank=n + 1,
            tier="Trung bình",
        )
        for n in range(rows)
    ]
    return decision_pdf(decision=decision, rows=results)


def flip_signed_byte(pdf: bytes) -> bytes:
    """One byte changed inside the signed range: in the first page's content stream."""
    changed = bytearray(pdf)
    position = pdf.index(b"stream", len(pdf) // 10) + 40
    changed[position] ^= 0x01
    return bytes(changed)


def append_revision(pdf: bytes) -> bytes:
    """A valid incremental update after the signature that draws over page 1."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    patch = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 0 0 200 200 re f Q"))
    writer.add_stream_to_page(0, patch)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
