"""Model permissions of the province-wide groups, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from units.models import APPRAISER_GROUP, STAFF_GROUP

# Staff keep the reference data in the admin: these models they may add, change and
# delete (the admin still refuses a locked framework or a published campaign).
STAFF_EDITS = {
    "units": ("province", "block", "unit"),
    "scoring": ("framework", "criterion", "campaign", "campaignblock", "tierband", "surveyanswer"),
}
# Everything else of these apps they may only see there: assessments, scores and their
# history, evidence, results, decisions, memberships... change through the portal's
# services, which check the actor and the workflow state. A new model is view-only
# until it is named above.
STAFF_VIEWS = ("units", "scoring", "reports")
# They may see accounts but not edit them: change_user would let them grant themselves
# superuser rights.
STAFF_EXTRA = (("auth", "view_user"), ("auth", "view_group"))


def staff_permissions() -> list[Permission]:
    edits = Q()
    for app_label, models in STAFF_EDITS.items():
        edits |= Q(content_type__app_label=app_label, content_type__model__in=models)
    views = Q(content_type__app_label__in=STAFF_VIEWS, codename__startswith="view_")
    extra = Q()
    for app_label, codename in STAFF_EXTRA:
        extra |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(edits | views | extra))


def grant_group_permissions(**kwargs) -> None:
    """After every migrate (and every flush, which sends the same signal): both role
    groups exist, and staff hold exactly the permissions above."""
    Group.objects.get_or_create(name=APPRAISER_GROUP)
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    # set, not add: a permission granted by an earlier version (change_score, say) is
    # taken back at the next migrate.
    group.permissions.set(staff_permissions())
