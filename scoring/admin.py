"""The admin edits scoring's reference data only: frameworks while unlocked, campaigns
until published. What the workflow writes (assessments, scores and their history,
events, evidence, survey results, results) is shown read-only: it changes through the
services, which check the actor and the state and keep the history."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scoring.models import (
    Assessment,
    AssessmentEvent,
    Campaign,
    CampaignBlock,
    Criterion,
    Evidence,
    Framework,
    Result,
    Score,
    SurveyAnswer,
    SurveyResult,
    TierBand,
)
from scoring.services.campaign_setup import CampaignSetupError, campaign_assessments_open
from units.read_only_admin import ReadOnlyModelAdmin, ReadOnlyTabularInline

# -- frameworks: editable while unlocked ------------------------------------------------


def _framework_editable(framework: Framework | None) -> bool:
    # Locking is the season's rule (scoring.services.frameworks); the admin only obeys it.
    return framework is None or not framework.locked


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["code", "title", "max_points", "method", "step", "evidence_required", "na_allowed"]
    raw_id_fields = ["parent"]
    ordering = ["sort_key"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return _framework_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _framework_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _framework_editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "block", "locked", "illustrative"]
    list_filter = ["year", "block", "locked"]
    list_select_related = ["block"]
    search_fields = ["name", "source_decision"]
    raw_id_fields = ["cloned_from"]
    # Locking goes through framework_lock, which checks the tree first.
    readonly_fields = ["locked", "cloned_from", "created_at"]
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None):
        return _framework_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _framework_editable(obj) and super().has_delete_permission(request, obj)


class CriterionAdminForm(forms.ModelForm):
    """Refuses a locked framework with the model's own reason (its save would raise).

    No Meta: the admin builds the form for its model and fields on this base.
    """

    def clean_framework(self) -> Framework:
        framework = self.cleaned_data["framework"]
        if not _framework_editable(framework):
            raise forms.ValidationError(
                _("The framework “%(framework)s” is locked: its criteria cannot be changed.")
                % {"framework": framework}
            )
        return framework


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    form = CriterionAdminForm
    list_display = ["code", "title", "framework", "max_points", "method"]
    list_filter = ["framework__year", "framework__block", "method"]
    list_select_related = ["framework__block"]
    search_fields = ["code", "title"]
    raw_id_fields = ["framework", "parent"]
    ordering = ["framework", "sort_key"]

    def has_change_permission(self, request, obj=None):
        framework = obj.framework if obj is not None else None
        return _framework_editable(framework) and super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission


# -- campaigns: editable until published ------------------------------------------------


def _campaign_editable(campaign: Campaign | None) -> bool:
    return campaign is None or campaign.status != Campaign.Status.PUBLISHED


class CampaignPartInline(admin.TabularInline):
    """A part of a campaign (its blocks, tier bands, survey weights): fixed once published."""

    extra = 0

    def _editable(self, obj) -> bool:
        campaign = obj.campaign if isinstance(obj, CampaignBlock) else obj
        return _campaign_editable(campaign)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class TierBandInline(CampaignPartInline):
    model = TierBand


@admin.register(CampaignBlock)
class CampaignBlockAdmin(admin.ModelAdmin):
    list_display = ["campaign", "block", "framework"]
    list_select_related = ["campaign", "block", "framework"]
    inlines = [TierBandInline]

    def has_change_permission(self, request, obj=None):
        campaign = obj.campaign if obj is not None else None
        return _campaign_editable(campaign) and super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.exclude(status=Campaign.Status.PUBLISHED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CampaignBlockInline(CampaignPartInline):
    model = CampaignBlock
    raw_id_fields = ["framework"]
    show_change_link = True


class SurveyAnswerInline(CampaignPartInline):
    model = SurveyAnswer


class CampaignAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the publication of its decision publishes a campaign (campaign_publish).
        status = self.fields.get("status")  # absent from a published campaign's read-only form
        if status is not None:
            status.choices = [c for c in status.choices if c[0] != Campaign.Status.PUBLISHED]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["year", "name", "status", "self_assessment_deadline", "explanation_deadline"]
    list_filter = ["status"]
    inlines = [CampaignBlockInline, SurveyAnswerInline]
    actions = ["open_assessments"]

    def has_change_permission(self, request, obj=None):
        return _campaign_editable(obj) and super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    @admin.action(
        description=_("Open an assessment for every active unit of the campaign's blocks"),
        permissions=["change"],
    )
    def open_assessments(self, request, queryset) -> None:
        for campaign in queryset:
            try:
                opened = campaign_assessments_open(campaign=campaign, actor=request.user)
            except CampaignSetupError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(campaign)s: %(count)s assessments opened.")
                    % {"campaign": campaign, "count": opened},
                )


# -- what the workflow writes: read-only -------------------------------------------------


class AssessmentEventInline(ReadOnlyTabularInline):
    model = AssessmentEvent
    fields = ["at", "action", "from_state", "to_state", "actor", "reason"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyModelAdmin):
    list_display = ["unit", "campaign", "state", "submitted_at", "updated_at"]
    list_filter = ["campaign", "state", "unit__block"]
    list_select_related = ["unit", "campaign"]
    search_fields = ["unit__name", "unit__code"]
    inlines = [AssessmentEventInline]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyModelAdmin):
    list_display = ["assessment", "action", "from_state", "to_state", "actor", "at"]
    list_filter = ["assessment__campaign", "action"]
    list_select_related = ["assessment__unit", "assessment__campaign", "actor"]
    search_fields = ["assessment__unit__name", "reason"]


HistoricalScore = Score.history.model


@admin.register(Score)
class ScoreAdmin(ReadOnlyModelAdmin):
    list_display = [
        "assessment",
        "criterion",
        "self_points",
        "appraised_points",
        "final_points",
        "not_applicable",
    ]
    list_filter = ["assessment__campaign", "not_applicable"]
    list_select_related = ["assessment__unit", "assessment__campaign", "criterion"]
    search_fields = ["assessment__unit__name", "criterion__code"]
    readonly_fields = ["changes"]

    @admin.display(description=_("changes"))
    def changes(self, obj: Score) -> str:
        url = reverse("admin:scoring_historicalscore_changelist") + f"?id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Every change of this score"))


@admin.register(HistoricalScore)
class HistoricalScoreAdmin(ReadOnlyModelAdmin):
    """A score's history (django-simple-history): who changed it, when and why."""

    list_display = [
        "id",
        "history_date",
        "history_type",
        "history_user",
        "history_change_reason",
        "self_points",
        "appraised_points",
        "final_points",
    ]
    list_filter = ["history_type"]
    list_select_related = ["history_user"]
    search_fields = ["history_change_reason"]
    date_hierarchy = "history_date"


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyModelAdmin):
    # The file itself is private: served only to those allowed, on the portal's pages.
    fields = [
        "score",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "document_number",
        "document_date",
        "issuer",
        "stage",
        "uploaded_by",
        "uploaded_at",
    ]
    list_display = ["original_name", "score", "stage", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["score__assessment__campaign", "stage"]
    list_select_related = [
        "score__assessment__unit",
        "score__assessment__campaign",
        "score__criterion",
        "uploaded_by",
    ]
    search_fields = ["original_name", "document_number", "sha256"]


@admin.register(SurveyResult)
class SurveyResultAdmin(ReadOnlyModelAdmin):
    list_display = ["assessment", "criterion", "respondent_group", "imported_at"]
    list_filter = ["assessment__campaign"]
    list_select_related = ["assessment__unit", "assessment__campaign", "criterion"]


@admin.register(Result)
class ResultAdmin(ReadOnlyModelAdmin):
    list_display = ["unit", "campaign", "block", "total", "index", "rank", "tier", "is_final"]
    list_filter = ["campaign", "block", "is_final"]
    list_select_related = ["unit", "campaign", "block"]
    search_fields = ["unit__name"]
