from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from cchc_portal.accounts.models import Invitation, LockoutRelease, RoleChange
from units.read_only_admin import ReadOnlyAdminMixin, ReadOnlyModelAdmin


@admin.register(LockoutRelease)
class LockoutReleaseAdmin(ReadOnlyModelAdmin):
    """A read-only record: releases are made on the portal's lockout page."""

    list_display = ["username", "ip_address", "failures", "released_by", "released_at"]
    list_select_related = ["released_by"]
    search_fields = ["username", "ip_address"]


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyModelAdmin):
    """Roles change on the accounts pages (/accounts/), which record each change here."""

    list_display = ["user", "kind", "role", "previous_role", "unit", "changed_by", "changed_at"]
    list_filter = ["kind", "role"]
    list_select_related = ["user", "unit", "changed_by"]
    search_fields = ["user__username", "unit__code", "changed_by__username"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyModelAdmin):
    """Invitations are sent from the accounts pages and the background worker."""

    list_display = ["user", "invited_by", "invited_at", "sent_at", "failed_at", "accepted_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__username", "user__email"]


# django-axes' records are evidence of who tried to log in: shown, never edited. Deleting
# an attempt would unlock its pair without the LockoutRelease the lockout page records
# (so axes' "clean up expired attempts" action goes too; `axes_reset_logs` prunes logs).
class AccessAttemptRecordAdmin(ReadOnlyAdminMixin, AccessAttemptAdmin):
    actions = []


class AccessLogRecordAdmin(ReadOnlyAdminMixin, AccessLogAdmin):
    pass


class AccessFailureLogRecordAdmin(ReadOnlyAdminMixin, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (AccessAttempt, AccessAttemptRecordAdmin),
    (AccessLog, AccessLogRecordAdmin),
    (AccessFailureLog, AccessFailureLogRecordAdmin),
):
    if admin.site.is_registered(model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
