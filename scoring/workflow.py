"""The workflow of an assessment: one table of transitions, one function that applies them.

draft → submitted → in_appraisal → returned → explained → appraised → published

Stragglers have steps of their own, for staff once the unit's deadline has passed:
submit_for (draft → submitted, on the unit's behalf), appraise_unsubmitted (draft →
in_appraisal, from nothing) and close_explanation (returned → explained). The last step
moves a whole campaign at once (campaign_publish), with its decision.

A transition is refused, with the reason, when the actor holds none of its roles,
when the assessment is in another state, or when one of its checks
(scoring.workflow_checks) fails; a refused transition changes nothing. The same
questions, asked without applying anything (transitions_problems), draw the buttons.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import access
from scoring.models import Assessment, AssessmentEvent, Campaign, Framework
from scoring.notifications import notify_transitions
from scoring.workflow_checks import checks_problems
from units.access import may_publish
from units.models import Block

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
            "submit_for",
            gettext_lazy("Submit on the unit's behalf"),
            (State.DRAFT,),
            State.SUBMITTED,
            (access.STAFF,),
            reason_required=True,
        ),
        Transition(
            "appraise_unsubmitted",
            gettext_lazy("Appraise without a submission"),
            (State.DRAFT,),
            State.IN_APPRAISAL,
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
            "close_explanation",
            gettext_lazy("Close the explanation"),
            (State.RETURNED,),
            State.EXPLAINED,
            (access.STAFF,),
            reason_required=True,
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


def _transition(action: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("Unknown action “%(action)s”.") % {"action": action})
    return transition


def transitions_problems(
    *,
    assessments: Sequence[Assessment],
    action: str,
    actor,
    reason: str | None = None,
    waive_deadlines: bool = False,
    standings: dict[int, access.AssessmentAccess] | None = None,
) -> dict[int, list[str]]:
    """Why `actor` may not make `action` on each assessment: [] for those it may.

    Asks what assessment_transition asks, in the same order (role, state, reason, the
    transition's checks), without applying anything; `reason=None` leaves the reason
    out, for a button drawn before anyone typed one. A fixed number of queries for any
    number of assessments (loaded with their campaign).
    """
    transition = _transition(action)
    if standings is None:
        standings = access.assessments_access(actor, assessments)
    problems: dict[int, list[str]] = {}
    to_check = []
    for assessment in assessments:
        if not may_make(standings[assessment.pk], action):
            problems[assessment.pk] = [
                _("You may not %(action)s this assessment.")
                % {"action": str(transition.label).lower()}
            ]
        elif assessment.state not in transition.sources:
            problems[assessment.pk] = [
                _("The assessment is “%(state)s”: it cannot be moved by “%(action)s”.")
                % {"state": assessment.get_state_display(), "action": transition.label}
            ]
        elif transition.reason_required and reason is not None and not reason.strip():
            problems[assessment.pk] = [_("Give a reason for this step.")]
        else:
            problems[assessment.pk] = []
            to_check.append(assessment)
    found = checks_problems(action, to_check, waive_deadlines=waive_deadlines)
    for pk, lines in found.items():
        problems[pk].extend(lines)
    return problems


def with_shared_related(
    assessments: Iterable[Assessment], *, campaign: Campaign | None = None
) -> list[Assessment]:
    """The assessments with their campaign and their unit's block attached, one object each
    for all (two queries, one when the campaign is given): a bulk step of thousands of
    files would otherwise build thousands of copies of the same campaign and block."""
    assessments = list(assessments)
    campaigns = (
        {campaign.pk: campaign}
        if campaign is not None
        else Campaign.objects.in_bulk({a.campaign_id for a in assessments})
    )
    blocks = Block.objects.in_bulk({a.unit.block_id for a in assessments})
    for assessment in assessments:
        assessment.campaign = campaigns[assessment.campaign_id]
        assessment.unit.block = blocks[assessment.unit.block_id]
    return assessments


@dataclass
class StepOutcome:
    """What a transition asked of many assessments did: who moved, who was refused and why."""

    transition: Transition
    moved: list[Assessment] = field(default_factory=list)
    refused: list[tuple[Assessment, list[str]]] = field(default_factory=list)


@transaction.atomic
def assessments_transition(
    *,
    assessment_ids: Iterable[int],
    action: str,
    actor,
    reason: str = "",
    waive_deadlines: bool = False,
    after: Callable[[list[Assessment]], None] | None = None,
) -> StepOutcome:
    """Apply one transition to each assessment that passes its checks; refuse the others.

    The rows are locked and read again before anything is checked, so a click and a
    bulk step cannot both pass; each assessment moves whole or not at all, and the
    others' refusals do not hold it back. `after` runs on the moved ones in the same
    transaction (the services' side effects: finalising the points, say).
    """
    transition = _transition(action)
    current = with_shared_related(
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=list(assessment_ids))
        .order_by("pk")
    )
    problems = transitions_problems(
        assessments=current,
        action=action,
        actor=actor,
        reason=reason,
        waive_deadlines=waive_deadlines,
    )
    outcome = StepOutcome(transition=transition)
    for assessment in current:
        if problems[assessment.pk]:
            outcome.refused.append((assessment, problems[assessment.pk]))
        else:
            outcome.moved.append(assessment)
    _apply(outcome.moved, transition, actor=actor, reason=reason.strip())
    if after is not None and outcome.moved:
        after(outcome.moved)
    return outcome


def _apply(moving: list[Assessment], transition: Transition, *, actor, reason: str) -> None:
    """Write a checked transition: one UPDATE, one event per assessment, the mails after."""
    if not moving:
        return
    now = timezone.now()
    changes = {"state": transition.target, "updated_at": now}
    if transition.target == State.SUBMITTED:
        changes["submitted_at"] = now
    by_state: dict[str, list[int]] = defaultdict(list)
    for assessment in moving:
        by_state[assessment.state].append(assessment.pk)
    ids = [assessment.pk for assessment in moving]
    Assessment.objects.filter(pk__in=ids).update(**changes)
    if State.DRAFT in by_state:
        # The criteria are fixed once a unit's file leaves its hands: from then on a
        # change would score units of one block on different trees.
        Framework.objects.filter(
            pk__in={a.framework_id for a in moving if a.state == State.DRAFT}, locked=False
        ).update(locked=True)
    AssessmentEvent.objects.bulk_create(
        [
            AssessmentEvent(
                assessment=assessment,
                action=transition.action,
                from_state=assessment.state,
                to_state=transition.target,
                actor=actor,
                reason=reason,
            )
            for assessment in moving
        ],
        batch_size=500,
    )
    for assessment in moving:
        for name, value in changes.items():
            setattr(assessment, name, value)
    transaction.on_commit(lambda: notify_transitions(assessments=moving, action=transition.action))


def assessment_transition(
    *,
    assessment: Assessment,
    action: str,
    actor,
    reason: str = "",
    waive_deadlines: bool = False,
    after: Callable[[list[Assessment]], None] | None = None,
) -> Assessment:
    """Apply one transition of TRANSITIONS to one assessment, or raise WorkflowError saying why."""
    outcome = assessments_transition(
        assessment_ids=[assessment.pk],
        action=action,
        actor=actor,
        reason=reason,
        waive_deadlines=waive_deadlines,
        after=after,
    )
    if outcome.refused:
        raise WorkflowError("\n".join(outcome.refused[0][1]))
    if not outcome.moved:
        raise WorkflowError(_("The assessment no longer exists."))
    current = outcome.moved[0]
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
    # Published results were scored on these trees: they never change again, whether or
    # not an assessment ever left draft through a transition (imported or loaded ones).
    Framework.objects.filter(campaigns=campaign, locked=False).update(locked=True)
    return len(ids)
