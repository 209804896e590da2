"""Workflow steps for many units at once, from the campaign dashboard.

A preview first (bulk_plan: who would move, who would not and why), then the step
itself (assessments_bulk_transition), which reads and checks every unit again under its
row lock: what changed since the preview is refused with its reason, never forced. Each
unit moves whole or not at all; the outcome names every unit.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from scoring.models import Assessment, Campaign
from scoring.services.appraisal import scores_finalise
from scoring.services.score_changes import AssessmentError
from scoring.workflow import (
    TRANSITIONS,
    StepOutcome,
    Transition,
    assessments_transition,
    transitions_problems,
    with_shared_related,
)
from scoring.workflow_steps import SHOWN_PROBLEMS
from units.access import may_manage_campaigns
from units.models import Block

# The steps staff take for a whole campaign or block, in the order of a season.
BULK_ACTIONS = ("start_appraisal", "return", "close_explanation", "finalise")

# What a moved assessment still needs in the same transaction, by step.
SIDE_EFFECTS = {
    "finalise": lambda moved, actor: scores_finalise(assessments=moved, actor=actor),
}


class BulkLine(NamedTuple):
    """A unit a step would not move (or did not), with why."""

    assessment: Assessment
    problems: list[str]

    @property
    def shown_problems(self) -> list[str]:
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def hidden_problems(self) -> int:
        return max(0, len(self.problems) - SHOWN_PROBLEMS)


@dataclass(frozen=True)
class BulkPlan:
    transition: Transition
    movable: list[Assessment]
    refused: list[BulkLine]

    @property
    def total(self) -> int:
        return len(self.movable) + len(self.refused)


def bulk_transition(action: str) -> Transition:
    if action not in BULK_ACTIONS:
        raise AssessmentError(_("This step cannot be taken for many units at once."))
    return TRANSITIONS[action]


def bulk_candidates(
    campaign: Campaign, action: str, *, block: Block | None = None
) -> QuerySet[Assessment]:
    """The campaign's assessments in a state the step moves from, in the dashboard's order."""
    assessments = (
        Assessment.objects.filter(campaign=campaign, state__in=bulk_transition(action).sources)
        .select_related("unit")
        .order_by("unit__block__position", "unit__search_text", "pk")
    )
    if block is not None:
        assessments = assessments.filter(framework__block=block)
    return assessments


def bulk_plan(*, campaign: Campaign, action: str, actor, block: Block | None = None) -> BulkPlan:
    """Who the step would move and who it would not, with why: a fixed number of queries."""
    transition = bulk_transition(action)
    candidates = with_shared_related(
        bulk_candidates(campaign, action, block=block), campaign=campaign
    )
    problems = transitions_problems(assessments=candidates, action=action, actor=actor)
    return BulkPlan(
        transition=transition,
        movable=[a for a in candidates if not problems[a.pk]],
        refused=[BulkLine(a, problems[a.pk]) for a in candidates if problems[a.pk]],
    )


def assessments_bulk_transition(
    *, campaign: Campaign, action: str, actor, assessment_ids: list[int], reason: str = ""
) -> StepOutcome:
    """Take the step for the assessments of the preview; each is checked again, under lock."""
    if not may_manage_campaigns(actor):
        raise AssessmentError(_("Only Interior Department staff take a step for many units."))
    if bulk_transition(action).reason_required and not reason.strip():
        raise AssessmentError(_("Give a reason for this step."))
    # Only this campaign's assessments, whatever the posted list holds.
    ids = list(
        Assessment.objects.filter(campaign=campaign, pk__in=assessment_ids).values_list(
            "pk", flat=True
        )
    )
    side_effect = SIDE_EFFECTS.get(action)
    outcome = assessments_transition(
        assessment_ids=ids,
        action=action,
        actor=actor,
        reason=reason,
        after=None if side_effect is None else (lambda moved: side_effect(moved, actor)),
    )
    order = {pk: position for position, pk in enumerate(assessment_ids)}
    outcome.moved.sort(key=lambda a: order.get(a.pk, 0))
    outcome.refused = sorted(
        (BulkLine(assessment, problems) for assessment, problems in outcome.refused),
        key=lambda line: order.get(line.assessment.pk, 0),
    )
    return outcome
