"""Workflow steps as the pages draw them: each button enabled, or disabled with its reasons.

The reasons are the workflow's own (scoring.workflow.transitions_problems), so a button
is disabled exactly when a click would be refused, and says why beside it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from scoring import access
from scoring.models import Assessment
from scoring.workflow import TRANSITIONS, Transition, may_make, transitions_problems

# A disabled button lists this many of its reasons, then how many more there are.
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class Step:
    """A transition as a button: enabled, or disabled with why (before anyone clicks)."""

    transition: Transition
    problems: list[str]

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> object:
        return self.transition.label

    @property
    def allowed(self) -> bool:
        return not self.problems

    @property
    def shown_problems(self) -> list[str]:
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def hidden_problems(self) -> int:
        return max(0, len(self.problems) - SHOWN_PROBLEMS)


def assessment_steps(
    user, assessment: Assessment, actions: Iterable[str], *, standing=None
) -> dict[str, Step]:
    """The steps among `actions` this user holds a role for and the state allows, each with
    what would stop it now; steps of other roles or states are not offered at all."""
    standing = standing or access.assessment_access(user, assessment)
    steps = {}
    for action in actions:
        transition = TRANSITIONS[action]
        if assessment.state not in transition.sources or not may_make(standing, action):
            continue
        problems = transitions_problems(
            assessments=[assessment],
            action=action,
            actor=user,
            standings={assessment.pk: standing},
        )[assessment.pk]
        steps[action] = Step(transition=transition, problems=problems)
    return steps
