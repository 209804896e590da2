from django.contrib import admin

from cchc_portal.accounts.models import LockoutRelease


@admin.register(LockoutRelease)
class LockoutReleaseAdmin(admin.ModelAdmin):
    """A read-only record: releases are made on the portal's lockout page."""

    list_display = ["username", "ip_address", "failures", "released_by", "released_at"]
    list_select_related = ["released_by"]
    search_fields = ["username", "ip_address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
