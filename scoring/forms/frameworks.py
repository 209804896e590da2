from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.exchange.framework_format import MAX_YEAR, MIN_YEAR
from units.models import Block


def _next_year() -> int:
    return timezone.localdate().year + 1


class FrameworkImportForm(forms.Form):
    """A framework workbook and what the clerk means it to be: the file must agree."""

    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Sheets “Thông tin” and “Tiêu chí”; export an existing framework for a model."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR, initial=_next_year
    )
    block = forms.ModelChoiceField(
        label=_("Block"), queryset=Block.objects.all(), to_field_name="code"
    )
    replace = forms.BooleanField(
        label=_("Replace the existing framework of this year and block"),
        required=False,
        help_text=_("Only possible while it is unlocked and no unit has been assessed on it."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.FRAMEWORK_UPLOAD_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest accepted is %(max)s."),
                code="too_large",
                params={"size": filesizeformat(file.size), "max": filesizeformat(limit)},
            )
        return file


class FrameworkCloneForm(forms.Form):
    year = forms.IntegerField(
        label=_("Copy to year"), min_value=MIN_YEAR, max_value=MAX_YEAR, initial=_next_year
    )
