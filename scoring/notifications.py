"""E-mails sent on workflow steps, written in the portal's language (Vietnamese)."""

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


def notify_transition(*, assessment: Assessment, action: str) -> int:
    """Mail the people concerned by this step; returns how many messages went out."""
    audience = RECIPIENTS.get(action)
    if audience is None:
        return 0
    addresses = _addresses(assessment, audience)
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"assessment": assessment, "action": action}
        subject = render_to_string("scoring/email/transition_subject.txt", context).strip()
        body = render_to_string("scoring/email/transition_body.txt", context)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)
