"""Staff pages of a year's campaign, under /campaigns/ (namespace "campaigns")."""

from django.urls import path

from scoring.views import appraisers, bulk, campaign_setup, campaigns, workbooks

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("new/", campaign_setup.campaign_create, name="campaign_create"),
    path(
        "published-tables/",
        workbooks.published_table_import,
        name="published_table_import",
    ),
    path("<int:year>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:year>/dashboard/", campaigns.campaign_dashboard, name="campaign_dashboard"),
    # Setting the campaign up: deadlines, blocks and their tiers, survey answer weights.
    path("<int:year>/setup/", campaign_setup.campaign_setup_page, name="campaign_setup"),
    path(
        "<int:year>/setup/deadlines/",
        campaign_setup.campaign_deadlines,
        name="campaign_deadlines",
    ),
    path("<int:year>/setup/blocks/", campaign_setup.campaign_block_add, name="campaign_block_add"),
    path(
        "<int:year>/setup/blocks/<slug:block_code>/tiers/",
        campaign_setup.campaign_tiers,
        name="campaign_tiers",
    ),
    path(
        "<int:year>/setup/blocks/<slug:block_code>/remove/",
        campaign_setup.campaign_block_remove,
        name="campaign_block_remove",
    ),
    path("<int:year>/setup/answers/", campaign_setup.campaign_answers, name="campaign_answers"),
    path("<int:year>/setup/open/", campaign_setup.campaign_open, name="campaign_open"),
    # Running the season: closing self-assessment, reminders, steps for many units.
    path(
        "<int:year>/close-self-assessment/",
        campaign_setup.campaign_self_assessment_close,
        name="campaign_self_assessment_close",
    ),
    path("<int:year>/reminders/", campaign_setup.campaign_reminders, name="campaign_reminders"),
    path("<int:year>/bulk/<slug:action>/", bulk.campaign_bulk, name="campaign_bulk"),
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
