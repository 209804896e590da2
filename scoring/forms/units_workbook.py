"""The units workbook's upload (scoring.views.units_workbook)."""

from django.utils.translation import gettext_lazy as _

from scoring.forms.workbooks import WorkbookUploadForm, workbook_field


class UnitsUploadForm(WorkbookUploadForm):
    file = workbook_field(
        _(
            "Sheets Đơn vị (one row per unit), and if needed Khối (the blocks) and Tỉnh "
            "(the province). Nothing is written before you confirm the preview."
        )
    )
