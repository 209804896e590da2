"""The public verification form: a SHA-256 typed in, or a PDF whose digest the server computes."""

import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_PDF_BYTES = 50 * 1024 * 1024


def file_sha256(uploaded) -> str:
    """The SHA-256 of an uploaded file, read in chunks; the file itself is never stored."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class VerifyForm(forms.Form):
    sha256 = forms.CharField(
        label=_("SHA-256 of the PDF"),
        required=False,
        max_length=100,
        help_text=_("64 hexadecimal characters, as printed under the decision's QR code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "form-control"}
        ),
    )
    pdf = forms.FileField(
        label=_("Or the PDF file"),
        required=False,
        help_text=_(
            "The file is only read to compute its digest and check its signature; it is not kept."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,.pdf", "class": "form-control"}
        ),
    )

    def clean_sha256(self) -> str:
        value = "".join(self.cleaned_data["sha256"].split()).lower()
        if value and not DIGEST.match(value):
            raise ValidationError(_("A SHA-256 digest has 64 hexadecimal characters (0–9, a–f)."))
        return value

    def clean_pdf(self):
        uploaded = self.cleaned_data.get("pdf")
        if uploaded and uploaded.size > MAX_PDF_BYTES:
            raise ValidationError(_("The file is larger than 50 MB."))
        return uploaded

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if not data.get("sha256") and not data.get("pdf"):
            raise ValidationError(_("Enter a SHA-256 digest or choose a PDF file."))
        data["digest"] = file_sha256(data["pdf"]) if data.get("pdf") else data["sha256"]
        return data
