"""The units workbook's upload and its confirmation (scoring.views.units_workbook)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.forms.workbooks import WorkbookUploadForm, workbook_field


class UnitsUploadForm(WorkbookUploadForm):
    file = workbook_field(
        _(
            "Sheets Đơn vị (one row per unit), and if needed Khối (the blocks) and Tỉnh "
            "(the province). Nothing is written before you confirm the preview."
        )
    )


class HeldUploadConfirmForm(forms.Form):
    """Which held file to import, and the fingerprint of the preview the user saw."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
