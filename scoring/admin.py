"""The admin is the operators' tool; criteria of a locked framework are shown read-only."""

from django.contrib import admin

from scoring.models import (
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
    Framework,
    Score,
    SurveyAnswer,
    SurveyResult,
    TierBand,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["code", "title", "max_points", "method", "step", "evidence_required", "na_allowed"]
    raw_id_fields = ["parent"]
    ordering = ["sort_key"]
    show_change_link = True

    def _editable(self, obj) -> bool:
        return obj is None or not obj.locked

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


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

    # A locked framework is locked here too: units were scored on it as it stands.
    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.locked:
            return [field.name for field in obj._meta.fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "framework", "max_points", "method"]
    list_filter = ["framework__year", "framework__block", "method"]
    list_select_related = ["framework__block"]
    search_fields = ["code", "title"]
    raw_id_fields = ["framework", "parent"]
    ordering = ["framework", "sort_key"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.framework.locked:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission


class TierBandInline(admin.TabularInline):
    model = TierBand
    extra = 0


@admin.register(CampaignBlock)
class CampaignBlockAdmin(admin.ModelAdmin):
    list_display = ["campaign", "block", "framework"]
    list_select_related = ["campaign", "block", "framework"]
    inlines = [TierBandInline]


class CampaignBlockInline(admin.TabularInline):
    model = CampaignBlock
    extra = 0
    raw_id_fields = ["framework"]
    show_change_link = True


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "status", "self_assessment_deadline", "explanation_deadline"]
    list_filter = ["status"]
    inlines = [CampaignBlockInline, SurveyAnswerInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "campaign", "state", "submitted_at", "updated_at"]
    list_filter = ["campaign", "state", "unit__block"]
    list_select_related = ["unit", "campaign"]
    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit", "framework"]
    # The workflow service owns state changes; the admin shows them.
    readonly_fields = ["state", "submitted_at"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
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
    raw_id_fields = ["assessment", "criterion", "updated_by"]
    search_fields = ["assessment__unit__name", "criterion__code"]


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = ["assessment", "criterion", "respondent_group", "imported_at"]
    list_filter = ["assessment__campaign"]
    list_select_related = ["assessment__unit", "assessment__campaign", "criterion"]
    raw_id_fields = ["assessment", "criterion"]
