"""Model permissions of the province-wide groups, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission

from units.models import STAFF_GROUP

# Staff run the assessment through the admin too. They may see accounts but not edit
# them: change_user would let them grant themselves superuser rights.
STAFF_APPS = ("units", "scoring", "reports")
STAFF_EXTRA = (("auth", "view_user"), ("auth", "view_group"))


def grant_group_permissions(**kwargs) -> None:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = list(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    for app_label, codename in STAFF_EXTRA:
        permissions += Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    group.permissions.add(*permissions)
