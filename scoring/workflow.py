"""The workflow of an assessment: one table of transitions, one function that applies them.

draft → submitted → in_appraisal → returned → explained → appraised → published

The last step moves a whole campaign at once (campaign_publish), with its decision.

A transition is refused, with the reason, when the actor holds none of its roles,
when the assessment is in another state, or when its own check fails; a refused
transition changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import access
from scoring.models import Assessment, AssessmentEvent, Campaign
from scoring.notifications import notify_transition
from units.access import may_publish

State = Assessment.State


class WorkflowError(Exception):
    """A transition was refused; the message says why, and nothing changed."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: object  # lazy translated verb for buttons and the event log
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    reason_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit", gettext_lazy("Submit"), (State.DRAFT,), State.SUBMITTED, (access.UNIT_HEAD,)
        ),
        Transition(
            "withdraw",
            gettext_lazy("Withdraw to edit"),
            (State.SUBMITTED,),
            State.DRAFT,
            (access.UNIT_HEAD,),
        ),
        Transition(
            "reopen",
            gettext_lazy("Reopen"),
            (State.SUBMITTED, State.IN_APPRAISAL),
            State.DRAFT,
            (access.STAFF,),
            reason_required=True,
        ),
        Transition(
            "start_appraisal",
            gettext_lazy("Start appraisal"),
            (State.SUBMITTED,),
            State.IN_APPRAISAL,
            (access.STAFF, access.APPRAISER),
        ),
        Transition(
            "return",
            gettext_lazy("Return for explanation"),
            (State.IN_APPRAISAL,),
            State.RETURNED,
            (access.STAFF, access.APPRAISER),
        ),
        Transition(
            "explain",
            gettext_lazy("Send the explanation"),
            (State.RETURNED,),
            State.EXPLAINED,
            (access.UNIT_HEAD,),
        ),
        Transition(
            "finalise",
            gettext_lazy("Finalise the appraisal"),
            (State.IN_APPRAISAL, State.EXPLAINED),
            State.APPRAISED,
            (access.STAFF, access.APPRAISER),
        ),
    )
}


def may_make(standing: access.AssessmentAccess, action: str) -> bool:
    """Whether someone of this standing holds one of the roles of a transition."""
    return bool(standing.roles & set(TRANSITIONS[action].roles))


def available_transitions(user, assessment: Assessment) -> list[Transition]:
    """The transitions this user could try now (for buttons); checks still run on use."""
    standing = access.assessment_access(user, assessment)
    return [
        t
        for t in TRANSITIONS.values()
        if assessment.state in t.sources and may_make(standing, t.action)
    ]


@transaction.atomic
def assessment_transition(
    *,
    assessment: Assessment,
    action: str,
    actor,
    reason: str = "",
    check: Callable[[Assessment], list[str]] | None = None,
) -> Assessment:
    """Apply one transition of TRANSITIONS, or raise WorkflowError saying why not.

    `check` returns the problems that block this particular step (what a submission
    still misses, say); the row is locked so two clicks cannot both pass.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("Unknown action “%(action)s”.") % {"action": action})
    current = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=assessment.pk)
    )
    if not may_make(access.assessment_access(actor, current), action):
        raise WorkflowError(
            _("You may not %(action)s this assessment.") % {"action": str(transition.label).lower()}
        )
    if current.state not in transition.sources:
        raise WorkflowError(
            _("The assessment is “%(state)s”: it cannot be moved by “%(action)s”.")
            % {"state": current.get_state_display(), "action": transition.label}
        )
    if transition.reason_required and not reason.strip():
        raise WorkflowError(_("Give a reason for this step."))
    if check is not None:
        problems = check(current)
        if problems:
            raise WorkflowError("\n".join(problems))

    previous_state = current.state
    current.state = transition.target
    if transition.target == State.SUBMITTED:
        current.submitted_at = timezone.now()
    current.save(update_fields=["state", "submitted_at", "updated_at"])
    AssessmentEvent.objects.create(
        assessment=current,
        action=action,
        from_state=previous_state,
        to_state=current.state,
        actor=actor,
        reason=reason.strip(),
    )
    transaction.on_commit(lambda: notify_transition(assessment=current, action=action))
    assessment.state, assessment.submitted_at = current.state, current.submitted_at
    return current


# Publication moves every appraised assessment of a campaign at once, with the decision
# that publishes it (reports.services.publication): it is not a step of one assessment,
# so it is not in TRANSITIONS, and no assessment_transition can make it.
PUBLISHED_FROM = (State.APPRAISED,)


def campaign_publish(*, campaign: Campaign, actor, reason: str) -> int:
    """The campaign and each of its appraised assessments become published; how many moved.

    Runs inside the publication's transaction. A queryset update (no save() per row)
    keeps this fast for large provinces; an AssessmentEvent per assessment still
    records who moved it and why. An assessment published by an earlier decision stays
    published (a correction publishes it again, without a new event).
    """
    if not may_publish(actor):
        raise WorkflowError(_("Only Interior Department staff publish results."))
    moving = Assessment.objects.select_for_update().filter(
        campaign=campaign, state__in=PUBLISHED_FROM
    )
    ids = list(moving.values_list("pk", flat=True))
    Assessment.objects.filter(pk__in=ids).update(state=State.PUBLISHED, updated_at=timezone.now())
    AssessmentEvent.objects.bulk_create(
        [
            AssessmentEvent(
                assessment_id=pk,
                action="publish",
                from_state=State.APPRAISED,
                to_state=State.PUBLISHED,
                actor=actor,
                reason=reason,
            )
            for pk in ids
        ],
        batch_size=500,
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PUBLISHED)
    return len(ids)
