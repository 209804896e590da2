"""Units and their blocks are reference data, edited here; memberships are only shown.

A membership is a role (editor or head of a unit): it opens that unit's assessment to
its holder, so it changes on the portal's accounts page, where the change is checked
and recorded, never in the admin.
"""

from django.contrib import admin

from units.models import Block, Membership, Province, Unit
from units.read_only_admin import ReadOnlyModelAdmin, ReadOnlyTabularInline


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "issuing_body"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "position"]
    list_editable = ["position"]


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fields = ["user", "role"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "block", "active_from", "active_to"]
    list_filter = ["block"]
    list_select_related = ["block"]
    search_fields = ["code", "name", "short_name", "search_text"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["predecessors"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__block"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
