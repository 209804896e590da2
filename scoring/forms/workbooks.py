"""Upload forms of the score and survey imports: a workbook, checked for size here and for
everything else by the import itself (scoring.services: sheet_import, survey_import)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from scoring.exchange.workbook import XLSX_CONTENT_TYPE


def workbook_field(help_text) -> forms.FileField:
    return forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


class WorkbookUploadForm(forms.Form):
    def clean_file(self):
        file = self.cleaned_data["file"]
        # The framework upload's limit: these workbooks are of the same kind and size.
        limit = settings.FRAMEWORK_UPLOAD_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest accepted is %(max)s."),
                code="too_large",
                params={"size": filesizeformat(file.size), "max": filesizeformat(limit)},
            )
        return file


class ScoringSheetUploadForm(WorkbookUploadForm):
    file = workbook_field(_("The scoring sheet downloaded for this assessment, filled in."))


class SurveyImportForm(WorkbookUploadForm):
    file = workbook_field(
        _(
            "One row per unit, survey criterion and respondent group; "
            "one column per answer holding its count."
        )
    )


class PublishedTableImportForm(WorkbookUploadForm):
    year = forms.IntegerField(
        label=_("Year assessed"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year whose index the decision published, e.g. 2024."),
    )
    file = workbook_field(
        _(
            "One row per unit: unit code, index, rank, tier, and the number and date of the "
            "decision that published it."
        )
    )
