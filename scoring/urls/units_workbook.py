"""The units workbook's pages, mounted under /units/ before units' own (namespace
"unit_workbook"): units may not import scoring, where the import lives."""

from django.urls import path

from scoring.views import units_workbook

app_name = "unit_workbook"
urlpatterns = [
    path("import/", units_workbook.units_import, name="units_import"),
    path("import/confirm/", units_workbook.units_import_confirm, name="units_import_confirm"),
    path("export.xlsx", units_workbook.units_export, name="units_export"),
]
