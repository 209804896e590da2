"""What stops a workflow step, beyond who may make it and from which state.

The same checks refuse a step (scoring.workflow applies them under the row lock) and
explain a disabled button or a bulk preview before anyone clicks: a page never offers
what the workflow would then refuse. Each check takes many assessments and answers in
a fixed number of queries, so previewing a step for a whole block costs what one file
costs. A check returns, per assessment it stops, the sentences saying why.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from scoring import access
from scoring.models import Assessment, Criterion, Evidence, Score

Problems = dict[int, list[str]]
Check = Callable[[Sequence[Assessment], datetime], Problems]


@dataclass(frozen=True)
class StepCheck:
    check: Check
    # A deadline rule. An import of scores kept elsewhere carries its assessments through
    # the workflow without them (scoring.services.score_import), as it never followed them.
    deadline: bool = False


def when(moment: datetime) -> str:
    """A deadline as the pages write it, in Vietnam's time: 30/11/2016 17:00."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _passed(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now >= deadline


# -- deadlines ------------------------------------------------------------------------------


def _self_assessment_open(
    assessments: Sequence[Assessment], now: datetime, *, message: Callable[[], str]
) -> Problems:
    """Stops a step once the unit's self-assessment deadline (extension included) passed.

    Bound to each step's message in CHECKS with partial(), not a closure: the message is
    translated when the check runs, and the check stays one module-level function.
    """
    return {
        a.pk: [message()] for a in assessments if _passed(access.self_assessment_deadline(a), now)
    }


def _self_assessment_closed(assessments: Sequence[Assessment], now: datetime) -> Problems:
    """Staff act for a unit only once it can no longer act itself."""
    problems = {}
    for a in assessments:
        deadline = access.self_assessment_deadline(a)
        if deadline is None:
            problems[a.pk] = [
                _("The campaign has no self-assessment deadline: the unit can still submit itself.")
            ]
        elif now < deadline:
            problems[a.pk] = [
                _("The unit can still submit itself until %(deadline)s.")
                % {"deadline": when(deadline)}
            ]
    return problems


def _explanation_still_possible(assessments: Sequence[Assessment], now: datetime) -> Problems:
    """A file goes back for explanation only while the unit can still reply."""
    problems = {}
    for a in assessments:
        deadline = access.explanation_deadline(a)
        if _passed(deadline, now):
            problems[a.pk] = [
                _(
                    "The explanation deadline (%(deadline)s) has passed: the unit could not "
                    "reply. Move the campaign's explanation deadline or extend this unit's first."
                )
                % {"deadline": when(deadline)}
            ]
    return problems


def _explanation_open(assessments: Sequence[Assessment], now: datetime) -> Problems:
    return {
        a.pk: [_("The explanation deadline has passed.")]
        for a in assessments
        if _passed(access.explanation_deadline(a), now)
    }


def _explanation_closed(assessments: Sequence[Assessment], now: datetime) -> Problems:
    """Staff close a unit's explanation only once the unit can no longer send it."""
    problems = {}
    for a in assessments:
        deadline = access.explanation_deadline(a)
        if deadline is None:
            problems[a.pk] = [
                _(
                    "The campaign has no explanation deadline: "
                    "the unit can still send its explanation."
                )
            ]
        elif now < deadline:
            problems[a.pk] = [
                _("The unit can still send its explanation until %(deadline)s.")
                % {"deadline": when(deadline)}
            ]
    return problems


# -- contents -------------------------------------------------------------------------------


def submissions_problems(
    assessments: Sequence[Assessment], now: datetime | None = None
) -> Problems:
    """What still stops each unit's head from submitting: every missing item, by code.

    Two queries whatever the number of assessments: the leaves of their frameworks,
    and their scores with whether each has evidence.
    """
    if not assessments:
        return {}
    leaves: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for framework_id, pk, code, evidence_required in (
        Criterion.objects.filter(
            framework_id__in={a.framework_id for a in assessments}, children__isnull=True
        )
        .exclude(method=Criterion.Method.SURVEY)
        .order_by("sort_key")
        .values_list("framework_id", "pk", "code", "evidence_required")
    ):
        leaves[framework_id].append((pk, code, evidence_required))
    scores = {
        (assessment_id, criterion_id): (not_applicable, self_points, has_evidence, explained)
        for assessment_id, criterion_id, not_applicable, self_points, has_evidence, explained in (
            Score.objects.filter(assessment_id__in=[a.pk for a in assessments])
            .annotate(has_evidence=Exists(Evidence.objects.filter(score=OuterRef("pk"))))
            .values_list(
                "assessment_id",
                "criterion_id",
                "not_applicable",
                "self_points",
                "has_evidence",
                "self_explanation",
            )
        )
    }
    problems: Problems = {}
    for a in assessments:
        missing = []
        for pk, code, evidence_required in leaves[a.framework_id]:
            score = scores.get((a.pk, pk))
            if score is None or (not score[0] and score[1] is None):
                missing.append(_("%(code)s: not scored yet.") % {"code": code})
            elif evidence_required and not score[0] and not score[2] and not score[3].strip():
                missing.append(
                    _("%(code)s: attach evidence or explain why there is none.") % {"code": code}
                )
        if missing:
            problems[a.pk] = missing
    return problems


def unappraised(assessments: Sequence[Assessment], now: datetime | None = None) -> Problems:
    """The applicable leaves each appraisal has not decided on yet (one query)."""
    problems: Problems = defaultdict(list)
    for assessment_id, code in (
        Score.objects.filter(
            assessment_id__in=[a.pk for a in assessments],
            not_applicable=False,
            appraised_points__isnull=True,
        )
        .order_by("assessment_id", "criterion__sort_key")
        .values_list("assessment_id", "criterion__code")
    ):
        problems[assessment_id].append(_("%(code)s: not appraised yet.") % {"code": code})
    return dict(problems)


# What each transition checks besides its roles and states (scoring.workflow.TRANSITIONS).
CHECKS: dict[str, tuple[StepCheck, ...]] = {
    "submit": (
        StepCheck(
            partial(
                _self_assessment_open, message=lambda: _("The self-assessment deadline has passed.")
            ),
            deadline=True,
        ),
        StepCheck(submissions_problems),
    ),
    "withdraw": (
        StepCheck(
            partial(
                _self_assessment_open,
                message=lambda: _(
                    "The self-assessment deadline has passed: back in draft, the assessment "
                    "could not be submitted again. Ask the Interior Department to extend this "
                    "unit's deadline first."
                ),
            ),
            deadline=True,
        ),
    ),
    "reopen": (
        StepCheck(
            partial(
                _self_assessment_open,
                message=lambda: _(
                    "The self-assessment deadline has passed: back in draft, the assessment "
                    "could not be submitted again. Extend the campaign's deadline first, or "
                    "this unit's."
                ),
            ),
            deadline=True,
        ),
    ),
    "submit_for": (StepCheck(_self_assessment_closed, deadline=True),),
    "appraise_unsubmitted": (StepCheck(_self_assessment_closed, deadline=True),),
    "return": (
        StepCheck(unappraised),
        StepCheck(_explanation_still_possible, deadline=True),
    ),
    "explain": (StepCheck(_explanation_open, deadline=True),),
    "close_explanation": (StepCheck(_explanation_closed, deadline=True),),
    "finalise": (StepCheck(unappraised),),
}


def checks_problems(
    action: str,
    assessments: Sequence[Assessment],
    *,
    now: datetime | None = None,
    waive_deadlines: bool = False,
) -> Problems:
    """Every problem of each assessment with the checks of `action`; absent when none."""
    now = now or timezone.now()
    problems: Problems = defaultdict(list)
    for step_check in CHECKS.get(action, ()):
        if step_check.deadline and waive_deadlines:
            continue
        for pk, found in step_check.check(assessments, now).items():
            problems[pk].extend(found)
    return dict(problems)
