"""E-mails sent on workflow steps, written in the portal's language (Vietnamese)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from scoring.models import Assessment
from units.models import STAFF_GROUP, Membership

# Who hears about which step: the Interior Department when a unit submits; the unit
# when its appraisal comes back for explanation and when it is final.
RECIPIENTS = {"submit": "staff", "return": "unit", "finalise": "unit"}


def _addresses(assessment: Assessment, audience: str) -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if audience == "staff":
        users = users.filter(groups__name=STAFF_GROUP)
    else:
        users = users.filter(
            memberships__unit_id=assessment.unit_id,
            memberships__role__in=[Membership.Role.HEAD, Membership.Role.EDITOR],
        )
    return sorted(set(users.values_list("email", flat=True)))


def unit_addresses(unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The e-mail addresses of each unit's editors and head (one query for any number)."""
    found: dict[int, set[str]] = defaultdict(set)
    for unit_id, email in (
        Membership.objects.filter(
            unit_id__in=set(unit_ids),
            role__in=[Membership.Role.HEAD, Membership.Role.EDITOR],
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    ):
        found[unit_id].add(email)
    return {unit_id: sorted(emails) for unit_id, emails in found.items()}


def notify_transition(*, assessment: Assessment, action: str) -> int:
    """Mail the people concerned by this step; returns how many messages went out."""
    return notify_transitions(assessments=[assessment], action=action)


def notify_transitions(*, assessments: Sequence[Assessment], action: str) -> int:
    """Mail the people concerned by this step of each assessment, in one go (a bulk step
    of a whole block looks its recipients up once); returns how many messages went out."""
    audience = RECIPIENTS.get(action)
    if audience is None or not assessments:
        return 0
    if audience == "staff":
        staff = _addresses(assessments[0], "staff")
        addresses = {assessment.pk: staff for assessment in assessments}
    else:
        by_unit = unit_addresses(a.unit_id for a in assessments)
        addresses = {a.pk: by_unit.get(a.unit_id, []) for a in assessments}
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for assessment in assessments:
            if not addresses[assessment.pk]:
                continue
            context = {"assessment": assessment, "action": action}
            subject = render_to_string("scoring/email/transition_subject.txt", context).strip()
            body = render_to_string("scoring/email/transition_body.txt", context)
            messages.extend(
                (subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                for address in addresses[assessment.pk]
            )
    return send_mass_mail(messages, fail_silently=False) if messages else 0
