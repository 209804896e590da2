"""What the admin may not edit: the records the workflow writes.

The admin is an operator's tool for reference data (units, frameworks, campaigns). A
score, an assessment, a decision or a role changes through its service, which checks
the actor and the workflow state and keeps the history; an admin form would do
neither. So those models are shown, never added, changed or deleted there, whoever
asks (superusers too: a permission they hold does not make the side door safe).
"""

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """View only, for everyone: every field read-only, no add, no change, no delete.

    Works for a ModelAdmin and for an inline. A POST to the add, change or delete page
    answers 403 (Django checks these permissions before it reads a form), and the
    changelist offers no delete action.
    """

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        opts = self.model._meta
        fields = [f.name for f in [*opts.fields, *opts.many_to_many] if not f.auto_created]
        declared = super().get_readonly_fields(request, obj)
        return fields + [name for name in declared if name not in fields]


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
