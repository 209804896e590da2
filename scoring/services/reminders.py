"""Reminders before a deadline: each unit hears of its own missing items, once per unit.

Before the self-assessment deadline a draft lists what still stops its submission
(submission_problems); before the explanation deadline a returned assessment lists
the criteria the appraisal lowered or commented on that have no reply yet. A unit
with nothing missing hears nothing. Mails are written in the portal's language.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scoring.models import Assessment, Campaign, Score
from scoring.notifications import _addresses
from scoring.services.self_assessment import submission_problems

SELF_ASSESSMENT = "self_assessment"
EXPLANATION = "explanation"


@dataclass(frozen=True)
class Reminder:
    assessment: Assessment
    kind: str  # SELF_ASSESSMENT or EXPLANATION
    deadline: datetime
    missing: list[str]  # sentences in the portal's language, one per item
    recipients: list[str]


def replies_missing(assessment: Assessment) -> list[str]:
    """The leaves an appraisal lowered or commented on that the unit has not answered."""
    codes = (
        Score.objects.filter(assessment=assessment, not_applicable=False, unit_reply="")
        .filter(Q(appraised_points__lt=F("self_points")) | ~Q(appraisal_note=""))
        .order_by("criterion__sort_key")
        .values_list("criterion__code", flat=True)
    )
    return [_("%(code)s: no reply to the appraisal yet.") % {"code": code} for code in codes]


def reminders_due(*, campaign: Campaign, days: int, now: datetime | None = None) -> list[Reminder]:
    """Who should be reminded of what, for the deadlines falling in the next `days` days."""
    now = now or timezone.now()
    horizon = now + timedelta(days=days)
    checks = (
        (
            SELF_ASSESSMENT,
            campaign.self_assessment_deadline,
            Assessment.State.DRAFT,
            submission_problems,
        ),
        (EXPLANATION, campaign.explanation_deadline, Assessment.State.RETURNED, replies_missing),
    )
    reminders = []
    # The items are sentences of the mail, so they are written in the mail's language.
    with translation.override(settings.LANGUAGE_CODE):
        for kind, deadline, state, missing_items in checks:
            if deadline is None or not (now < deadline <= horizon):
                continue
            assessments = Assessment.objects.filter(campaign=campaign, state=state).select_related(
                "campaign", "unit__block", "framework"
            )
            for assessment in assessments:
                missing = missing_items(assessment)
                if missing:
                    reminders.append(
                        Reminder(
                            assessment=assessment,
                            kind=kind,
                            deadline=deadline,
                            missing=missing,
                            recipients=_addresses(assessment, "unit"),
                        )
                    )
    return reminders


def reminders_send(reminders: list[Reminder]) -> int:
    """One mail per unit to its editors and head; returns how many mails went out."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in reminders:
            if not reminder.recipients:
                continue
            context = {
                "reminder": reminder,
                "assessment": reminder.assessment,
                "deadline_label": Campaign._meta.get_field(
                    "self_assessment_deadline"
                    if reminder.kind == SELF_ASSESSMENT
                    else "explanation_deadline"
                ).verbose_name,
            }
            subject = render_to_string("scoring/email/reminder_subject.txt", context).strip()
            body = render_to_string("scoring/email/reminder_body.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, reminder.recipients))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
