"""Staff pages of criteria frameworks, under /frameworks/ (namespace "frameworks")."""

from django.urls import path

from scoring.views import frameworks

app_name = "frameworks"
urlpatterns = [
    path("", frameworks.framework_list, name="framework_list"),
    path("<int:pk>/", frameworks.framework_detail, name="framework_detail"),
    path("import/", frameworks.framework_import, name="framework_import"),
    path("<int:pk>/export.xlsx", frameworks.framework_export, name="framework_export"),
    path("<int:pk>/clone/", frameworks.framework_clone, name="framework_clone"),
]
