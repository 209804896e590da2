from django.urls import path

from scoring import views, views_frameworks_io

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
]
