from django.contrib import admin

from cchc_portal.accounts.models import Invitation, LockoutRelease, RoleChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept by the portal's own pages, shown to operators and never edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LockoutRelease)
class LockoutReleaseAdmin(ReadOnlyAdmin):
    """Releases are made on the portal's lockout page."""

    list_display = ["username", "ip_address", "failures", "released_by", "released_at"]
    list_select_related = ["released_by"]
    search_fields = ["username", "ip_address"]


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """Roles change on the accounts pages (/accounts/), which record each change here."""

    list_display = ["user", "kind", "role", "previous_role", "unit", "changed_by", "changed_at"]
    list_filter = ["kind", "role"]
    list_select_related = ["user", "unit", "changed_by"]
    search_fields = ["user__username", "unit__code", "changed_by__username"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations are sent from the accounts pages and the background worker."""

    list_display = ["user", "invited_by", "invited_at", "sent_at", "failed_at", "accepted_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__username", "user__email"]
