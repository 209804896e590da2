"""Decisions and their frozen rows are shown here, never edited: drafting, publication
and corrections go through reports.services, which check the actor and the campaign."""

from django.contrib import admin

from reports.models import Decision, PublishedResult
from units.read_only_admin import ReadOnlyModelAdmin, ReadOnlyTabularInline


class PublishedResultInline(ReadOnlyTabularInline):
    model = PublishedResult
    fields = ["block_code", "position", "unit_name", "total", "index", "rank", "tier"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "signed_on", "campaign", "status", "supersedes", "published_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "supersedes"]
    search_fields = ["number", "subject"]
    inlines = [PublishedResultInline]
