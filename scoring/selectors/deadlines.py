"""Which files are late, as a query condition: every list asks the same question.

A file is late when the deadline of the phase it waits in has passed for its unit
(the campaign's deadline, or the unit's extension when that is later): a draft after
the self-assessment deadline, a file still with the appraisers after the appraisal
deadline, a returned file after the explanation deadline. Written against the
campaign's columns, so one query answers for files of several campaigns.
"""

from datetime import datetime

from django.db.models import Q

from scoring.models import Assessment

State = Assessment.State


def _passed(deadline: str, extension: str | None, now: datetime) -> Q:
    condition = Q(**{f"campaign__{deadline}__lte": now})
    if extension is not None:
        condition &= Q(**{f"{extension}__isnull": True}) | Q(**{f"{extension}__lte": now})
    return condition


def late(now: datetime) -> Q:
    """The condition that holds for late files (see the module's docstring)."""
    return (
        (
            Q(state=State.DRAFT)
            & _passed("self_assessment_deadline", "self_assessment_extended_to", now)
        )
        | (
            Q(state__in=(State.SUBMITTED, State.IN_APPRAISAL))
            & _passed("appraisal_deadline", None, now)
        )
        | (
            Q(state=State.RETURNED)
            & _passed("explanation_deadline", "explanation_extended_to", now)
        )
    )


def stragglers(now: datetime) -> Q:
    """Late units (not late appraisers): drafts and unanswered returns past their deadline."""
    return late(now) & Q(state__in=(State.DRAFT, State.RETURNED))
