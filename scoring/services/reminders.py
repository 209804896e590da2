"""Reminders before a deadline: each unit hears of its own missing items, once per unit.

Before the self-assessment deadline a draft lists what still stops its submission
(submissions_problems); before the explanation deadline a returned assessment lists
the criteria the appraisal lowered or commented on that have no reply yet. A unit
with nothing missing hears nothing. Mails are written in the portal's language.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scoring import access
from scoring.models import Assessment, Campaign, Score
from scoring.notifications import unit_addresses
from scoring.workflow_checks import submissions_problems

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
    return replies_missing_many([assessment]).get(assessment.pk, [])


def replies_missing_many(assessments: Sequence[Assessment]) -> dict[int, list[str]]:
    """replies_missing for many assessments, in one query."""
    missing: dict[int, list[str]] = defaultdict(list)
    for assessment_id, code in (
        Score.objects.filter(assessment__in=list(assessments), not_applicable=False, unit_reply="")
        .filter(Q(appraised_points__lt=F("self_points")) | ~Q(appraisal_note=""))
        .order_by("assessment_id", "criterion__sort_key")
        .values_list("assessment_id", "criterion__code")
    ):
        missing[assessment_id].append(
            _("%(code)s: no reply to the appraisal yet.") % {"code": code}
        )
    return dict(missing)


# What each deadline reminds of: the state a file waits in, the unit's own deadline
# (its extension included) and what it still misses.
PHASES = (
    (
        SELF_ASSESSMENT,
        Assessment.State.DRAFT,
        access.self_assessment_deadline,
        submissions_problems,
    ),
    (EXPLANATION, Assessment.State.RETURNED, access.explanation_deadline, replies_missing_many),
)


def reminders_due(
    *, campaign: Campaign, days: int | None, now: datetime | None = None
) -> list[Reminder]:
    """Who should be reminded of what, for the deadlines falling in the next `days` days.

    `days=None` takes every deadline still ahead, however far (staff reminding now from
    the dashboard). Each unit is reminded of its own deadline, an extension included.
    A fixed number of queries, whatever the number of units.
    """
    now = now or timezone.now()
    horizon = None if days is None else now + timedelta(days=days)
    reminders = []
    # The items are sentences of the mail, so they are written in the mail's language.
    with translation.override(settings.LANGUAGE_CODE):
        for kind, state, deadline_of, missing_items in PHASES:
            waiting = [
                assessment
                for assessment in Assessment.objects.filter(
                    campaign=campaign, state=state
                ).select_related("campaign", "unit__block", "framework")
                if _due(deadline_of(assessment), now, horizon)
            ]
            missing = missing_items(waiting)
            addresses = unit_addresses(a.unit_id for a in waiting)
            reminders.extend(
                Reminder(
                    assessment=assessment,
                    kind=kind,
                    deadline=deadline_of(assessment),
                    missing=missing[assessment.pk],
                    recipients=addresses.get(assessment.unit_id, []),
                )
                for assessment in waiting
                if missing.get(assessment.pk)
            )
    return reminders


def _due(deadline: datetime | None, now: datetime, horizon: datetime | None) -> bool:
    return deadline is not None and now < deadline and (horizon is None or deadline <= horizon)


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
