"""URLs of the assessment workflow, under /assessments/ (namespace "assessments")."""

app_name = "assessments"
urlpatterns = []
