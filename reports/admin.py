from django.contrib import admin

from reports.models import Decision, PublishedResult


class PublishedResultInline(admin.TabularInline):
    model = PublishedResult
    extra = 0
    fields = ["block_code", "position", "unit_name", "total", "index", "rank", "tier"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "signed_on", "campaign", "status", "supersedes", "published_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "supersedes"]
    search_fields = ["number", "subject"]
    # Publication and corrections go through reports.services; the admin only shows them.
    readonly_fields = ["status", "pdf", "pdf_sha256", "published_at", "published_by", "summary"]
    inlines = [PublishedResultInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)
