"""Publication signs the decision; pages, the verification page and verify_decision say how."""

import hashlib
import stat
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.errors import PublicationError
from reports.models import Decision
from reports.outputs.demo_authority import authority_pkcs12, demo_authority_path
from reports.services.drafting import decision_correct
from reports.services.publication import decision_publish
from tests.reports.signing_data import (
    ORGANISATION,
    append_revision,
    flip_signed_byte,
    make_authority,
)


@pytest.fixture
def published(draft, staff) -> Decision:
    return decision_publish(decision=draft, actor=staff)


def stored(decision: Decision) -> bytes:
    with decision.pdf.open("rb") as handle:
        return handle.read()


def test_without_a_certificate_the_demo_authority_signs_and_the_decision_says_so(published):
    pdf = stored(published)

    assert published.signed_by_demo_authority
    assert "OU=DEMO" in published.signer_subject and "OU=DEMO" in published.signer_issuer
    assert published.pdf_signed_at is not None
    # The digest printed on the public page is the signed file's.
    assert published.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert b"/ETSI.CAdES.detached" in pdf
    # The demo authority's key stays private under MEDIA_ROOT.
    path = demo_authority_path()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_demo_authority_is_made_once_and_reused(draft, staff):
    first = decision_publish(decision=draft, actor=staff)
    made = demo_authority_path().read_bytes()
    correction = decision_correct(decision=first, actor=staff, reason="Sửa điểm một đơn vị.")

    second = decision_publish(decision=correction, actor=staff)

    assert demo_authority_path().read_bytes() == made
    assert second.signer_issuer == first.signer_issuer


def test_the_organisations_certificate_signs_when_configured(settings, tmp_path, draft, staff):
    authority = make_authority()
    path = tmp_path / "ubnd.p12"
    path.write_bytes(authority_pkcs12(authority, password="mật khẩu".encode()))
    settings.SIGNING_PKCS12 = str(path)
    settings.SIGNING_PKCS12_PASSWORD = "mật khẩu"

    decision = decision_publish(decision=draft, actor=staff)

    assert not decision.signed_by_demo_authority
    assert f"CN={ORGANISATION}" in decision.signer_subject
    assert "CA tỉnh Sóc Trăng (kiểm thử)" in decision.signer_issuer
    assert not demo_authority_path().exists()


def test_a_wrong_certificate_password_refuses_publication_and_changes_nothing(
    settings, tmp_path, draft, staff
):
    path = tmp_path / "ubnd.p12"
    path.write_bytes(authority_pkcs12(make_authority(), password=b"right"))
    settings.SIGNING_PKCS12 = str(path)
    settings.SIGNING_PKCS12_PASSWORD = "wrong"

    with pytest.raises(PublicationError, match="DJANGO_SIGNING_PKCS12"):
        decision_publish(decision=draft, actor=staff)

    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    assert not draft.pdf and not draft.signer_subject


def test_an_unanswering_timestamp_authority_refuses_publication(settings, draft, staff):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens

    with pytest.raises(PublicationError, match="127.0.0.1:9"):
        decision_publish(decision=draft, actor=staff)

    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1:8000", "https://localhost", "http://[::1]:8000/"]
)
def test_a_loopback_portal_address_refuses_publication(settings, draft, staff, address):
    settings.PORTAL_BASE_URL = address

    with pytest.raises(PublicationError, match="PORTAL_BASE_URL"):
        decision_publish(decision=draft, actor=staff)

    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


def test_development_may_publish_with_a_loopback_address(settings, draft, staff):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    settings.DEBUG = True

    decision = decision_publish(decision=draft, actor=staff)

    assert decision.is_published


def test_the_public_page_says_a_demo_authority_signed(english_client, published):
    html = english_client.get(reverse("reports:decision_detail", args=[published.pk])).content
    html = html.decode()

    assert "Signed by a demo certification authority" in html
    assert "OU=DEMO" in html  # the signer recorded at publication


def test_the_public_page_of_a_decision_signed_by_the_organisation_has_no_warning(
    settings, tmp_path, english_client, draft, staff
):
    path = tmp_path / "ubnd.p12"
    path.write_bytes(authority_pkcs12(make_authority()))
    settings.SIGNING_PKCS12 = str(path)
    decision = decision_publish(decision=draft, actor=staff)

    html = english_client.get(reverse("reports:decision_detail", args=[decision.pk])).content
    html = html.decode()

    assert f"CN={ORGANISATION}" in html
    assert "demo certification authority" not in html


def test_the_drafting_pages_warn_before_and_after_publication(
    settings, tmp_path, english_client, staff, draft
):
    english_client.force_login(staff)
    preview = reverse("reports:decision_preview", args=[draft.pk])
    assert (
        "a demo certification authority will sign" in english_client.get(preview).content.decode()
    )

    settings.SIGNING_PKCS12 = str(tmp_path / "configured.p12")
    assert "demo certification authority" not in english_client.get(preview).content.decode()

    settings.SIGNING_PKCS12 = ""
    decision_publish(decision=draft, actor=staff)
    html = english_client.get(preview).content.decode()
    assert "Signed by a demo certification authority" in html


def test_uploading_the_published_pdf_checks_its_signature(english_client, published):
    upload = ContentFile(stored(published), name="quyet-dinh.pdf")

    response = english_client.post(reverse("reports:verify"), {"pdf": upload})

    assert response.status_code == 200
    assert response.context["decision"] == published
    report = response.context["signature"]
    assert report.valid and report.demo_authority
    html = response.content.decode()
    assert "This is the PDF of a published decision." in html
    assert "The signature is valid" in html
    assert "Signed by a demo certification authority" in html
    assert "+07:00" in html  # the signing time as the stamp prints it


def test_uploading_a_tampered_copy_says_the_signature_is_broken(english_client, published):
    upload = ContentFile(flip_signed_byte(stored(published)), name="quyet-dinh.pdf")

    response = english_client.post(reverse("reports:verify"), {"pdf": upload})

    assert response.context["decision"] is None
    assert not response.context["signature"].intact
    html = response.content.decode()
    assert "No published decision has a PDF with this digest." in html
    assert "The signature is not valid." in html
    assert "Broken: the signed content was changed" in html


def test_uploading_a_copy_changed_after_signing_says_so(english_client, published):
    upload = ContentFile(append_revision(stored(published)), name="quyet-dinh.pdf")

    html = english_client.post(reverse("reports:verify"), {"pdf": upload}).content.decode()

    assert "Intact: the signed content is exactly what was signed." in html
    assert "The document was changed after it was signed" in html
    assert "The signature is not valid." in html


def test_a_typed_digest_shows_the_signer_recorded_at_publication(english_client, published):
    url = reverse("reports:verify_digest", args=[published.pdf_sha256])

    html = english_client.get(url).content.decode()

    assert "Digitally signed by" in html
    assert published.signer_subject in html


def test_verify_decision_prints_the_check_and_succeeds_for_the_published_pdf(tmp_path, published):
    path = tmp_path / "copy.pdf"
    path.write_bytes(stored(published))
    out = StringIO()

    call_command("verify_decision", str(path), stdout=out)

    text = out.getvalue()
    assert published.pdf_sha256 in text
    assert published.number in text
    assert "Toàn vẹn: nội dung được ký không bị thay đổi." in text
    assert published.signer_subject in text


def test_verify_decision_fails_for_a_tampered_copy(tmp_path, published):
    path = tmp_path / "tampered.pdf"
    path.write_bytes(flip_signed_byte(stored(published)))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_decision", str(path), stdout=out)

    assert "Không toàn vẹn" in out.getvalue()  # the officials' language by default
