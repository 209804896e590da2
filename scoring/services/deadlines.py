"""Deadlines: the campaign's for each phase, one unit's extension, closing self-assessment
now, and reminding the units of what they still miss.

Every function is keyword-only; a refusal raises DeadlineError with a message the user
can act on, and writes nothing. Deadlines are instants (stored in UTC, shown in
Vietnam's time).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import Assessment, Campaign, DeadlineExtension, deadline_order_problems
from scoring.services.reminders import Reminder, reminders_due, reminders_send
from scoring.workflow_checks import when
from units.access import may_manage_campaigns

Phase = DeadlineExtension.Phase

# The states in which a phase's deadline can still matter to a unit: self-assessment
# until appraisal starts (a late withdrawal or reopening needs it), explanation until
# the appraisal is final.
EXTENDABLE_STATES = {
    Phase.SELF_ASSESSMENT: (
        Assessment.State.DRAFT,
        Assessment.State.SUBMITTED,
        Assessment.State.IN_APPRAISAL,
    ),
    Phase.EXPLANATION: (
        Assessment.State.DRAFT,
        Assessment.State.SUBMITTED,
        Assessment.State.IN_APPRAISAL,
        Assessment.State.RETURNED,
    ),
}


class DeadlineError(Exception):
    """A change of deadlines was refused; the message says why and nothing changed."""


def _require_staff(actor) -> None:
    if not may_manage_campaigns(actor):
        raise DeadlineError(_("Only Interior Department staff set deadlines."))


def _locked_campaign(campaign: Campaign) -> Campaign:
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if current.status == Campaign.Status.PUBLISHED:
        raise DeadlineError(
            _("The %(year)s results are published: the campaign's deadlines no longer change.")
            % {"year": current.year}
        )
    return current


@transaction.atomic
def campaign_deadlines_set(
    *,
    campaign: Campaign,
    actor,
    self_assessment: datetime | None,
    appraisal: datetime | None,
    explanation: datetime | None,
) -> Campaign:
    """The campaign's deadline of each phase (None: the phase has no deadline)."""
    _require_staff(actor)
    current = _locked_campaign(campaign)
    problems = deadline_order_problems(
        self_assessment=self_assessment, appraisal=appraisal, explanation=explanation
    )
    if problems:
        raise DeadlineError(" ".join(str(problem) for problem in problems.values()))
    wanted = {
        "self_assessment_deadline": self_assessment,
        "appraisal_deadline": appraisal,
        "explanation_deadline": explanation,
    }
    changed = [name for name, value in wanted.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, wanted[name])
    if changed:
        current.save(update_fields=changed)
    return current


@transaction.atomic
def self_assessment_close(*, campaign: Campaign, actor, now: datetime | None = None) -> Campaign:
    """Self-assessment ends now for every unit without an extension; the campaign moves on
    to appraisal. Units with a later extension keep it."""
    _require_staff(actor)
    current = _locked_campaign(campaign)
    now = now or timezone.now()
    if current.status == Campaign.Status.PREPARING:
        raise DeadlineError(_("The campaign is not open yet: open it before closing it."))
    deadline = current.self_assessment_deadline
    if deadline is not None and deadline <= now:
        raise DeadlineError(
            _("Self-assessment already closed on %(deadline)s.") % {"deadline": when(deadline)}
        )
    current.self_assessment_deadline = now
    fields = ["self_assessment_deadline"]
    if current.status == Campaign.Status.SELF_ASSESSMENT:
        current.status = Campaign.Status.APPRAISAL
        fields.append("status")
    current.save(update_fields=fields)
    return current


@transaction.atomic
def deadline_extend(
    *,
    assessment: Assessment,
    phase: str,
    deadline: datetime,
    reason: str,
    actor,
    now: datetime | None = None,
) -> DeadlineExtension:
    """A later deadline of one phase for one unit, with the reason, kept with who and when."""
    _require_staff(actor)
    current = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit")
        .get(pk=assessment.pk)
    )
    now = now or timezone.now()
    phase = Phase(phase)
    campaign_deadline = (
        current.campaign.self_assessment_deadline
        if phase == Phase.SELF_ASSESSMENT
        else current.campaign.explanation_deadline
    )
    if not reason.strip():
        raise DeadlineError(_("Say why this unit gets more time."))
    if current.state not in EXTENDABLE_STATES[phase]:
        raise DeadlineError(
            _("The assessment is “%(state)s”: the %(phase)s deadline no longer matters to it.")
            % {"state": current.get_state_display(), "phase": phase.label.lower()}
        )
    if campaign_deadline is None:
        raise DeadlineError(
            _("The campaign has no %(phase)s deadline: every unit has all the time it needs.")
            % {"phase": phase.label.lower()}
        )
    if deadline <= now:
        raise DeadlineError(_("The new deadline must be in the future."))
    if deadline <= campaign_deadline:
        raise DeadlineError(
            _("The new deadline must come after the campaign's (%(deadline)s).")
            % {"deadline": when(campaign_deadline)}
        )
    extension = DeadlineExtension.objects.create(
        assessment=current,
        phase=phase,
        deadline=deadline,
        reason=reason.strip(),
        granted_by=actor,
    )
    field = (
        "self_assessment_extended_to"
        if phase == Phase.SELF_ASSESSMENT
        else "explanation_extended_to"
    )
    setattr(current, field, deadline)
    current.save(update_fields=[field, "updated_at"])
    setattr(assessment, field, deadline)
    return extension


@dataclass(frozen=True)
class RemindersSent:
    """What reminding now did: the units reminded and those nobody could be mailed at."""

    reminded: list[Reminder]
    unreachable: list[Reminder]
    mails: int


def campaign_reminders_send(*, campaign: Campaign, actor) -> RemindersSent:
    """Remind now every unit that still misses something before a deadline still ahead."""
    _require_staff(actor)
    reminders = reminders_due(campaign=campaign, days=None)
    reached = [reminder for reminder in reminders if reminder.recipients]
    return RemindersSent(
        reminded=reached,
        unreachable=[reminder for reminder in reminders if not reminder.recipients],
        mails=reminders_send(reached),
    )
