from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from cchc_portal.accounts.models import LockoutRelease
from cchc_portal.read_only_admin import ReadOnlyAdminMixin, ReadOnlyModelAdmin


@admin.register(LockoutRelease)
class LockoutReleaseAdmin(ReadOnlyModelAdmin):
    """A read-only record: releases are made on the portal's lockout page."""

    list_display = ["username", "ip_address", "failures", "released_by", "released_at"]
    list_select_related = ["released_by"]
    search_fields = ["username", "ip_address"]


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
