"""Staff pages of a year's campaign, under /campaigns/ (namespace "campaigns")."""

from django.urls import path

from scoring.views import appraisers, campaigns, workbooks

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("<int:year>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:year>/dashboard/", campaigns.campaign_dashboard, name="campaign_dashboard"),
    path(
        "<int:year>/results/<slug:block_code>/",
        campaigns.campaign_results,
        name="campaign_results",
    ),
    path(
        "<int:year>/results/<slug:block_code>/compute/",
        campaigns.campaign_results_compute,
        name="campaign_results_compute",
    ),
    path("<int:year>/appraisers/", appraisers.campaign_appraisers, name="campaign_appraisers"),
    path(
        "<int:year>/appraisers/<int:pk>/remove/",
        appraisers.campaign_appraiser_remove,
        name="campaign_appraiser_remove",
    ),
    path("<int:year>/survey/", workbooks.survey_import, name="survey_import"),
    path("<int:year>/survey/template.xlsx", workbooks.survey_template, name="survey_template"),
    path("<int:year>/scores/template.xlsx", workbooks.scores_template, name="scores_template"),
]
