from django.contrib import admin

from units.models import Block, Membership, Province, Unit


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "issuing_body"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "position"]
    list_editable = ["position"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__block"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user", "unit"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
