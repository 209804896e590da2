from django.urls import path

from scoring import views, views_appraisal, views_frameworks_io, views_imports

app_name = "scoring"
urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("<int:pk>/", views.framework_detail, name="framework_detail"),
    path("import/", views_frameworks_io.framework_import, name="framework_import"),
    path("<int:pk>/export.xlsx", views_frameworks_io.framework_export, name="framework_export"),
    path("<int:pk>/clone/", views_frameworks_io.framework_clone, name="framework_clone"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:year>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campaigns/<int:year>/results/<slug:block_code>/",
        views.campaign_results,
        name="campaign_results",
    ),
    path(
        "campaigns/<int:year>/results/<slug:block_code>/compute/",
        views.campaign_results_compute,
        name="campaign_results_compute",
    ),
    path(
        "campaigns/<int:year>/appraisers/",
        views_appraisal.campaign_appraisers,
        name="campaign_appraisers",
    ),
    path(
        "campaigns/<int:year>/appraisers/<int:pk>/remove/",
        views_appraisal.campaign_appraiser_remove,
        name="campaign_appraiser_remove",
    ),
    path("campaigns/<int:year>/survey/", views_imports.survey_import, name="survey_import"),
    path(
        "campaigns/<int:year>/dashboard/",
        views_appraisal.campaign_dashboard,
        name="campaign_dashboard",
    ),
]
