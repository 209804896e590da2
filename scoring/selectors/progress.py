"""How far each assessment's appraisal has got, counted by the database."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from scoring.models import (
    Assessment,
    Criterion,
)


def _leaf_count() -> Coalesce:
    """Scored (non-survey) leaves of the outer assessment's framework, as a subquery."""
    leaves = (
        Criterion.objects.filter(framework=OuterRef("framework"), children__isnull=True)
        .exclude(method=Criterion.Method.SURVEY)
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(leaves, output_field=IntegerField()), Value(0))


def _score_count(condition: Q) -> Count:
    """Scores of the outer assessment meeting `condition` (survey leaves never count)."""
    return Count("scores", filter=condition & ~Q(scores__criterion__method=Criterion.Method.SURVEY))


SCORED = Q(scores__self_points__isnull=False) | Q(scores__not_applicable=True)

APPRAISED = Q(scores__appraised_points__isnull=False, scores__not_applicable=False)

NOT_APPLICABLE = Q(scores__not_applicable=True)


def with_progress(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate leaf_total, scored_count, appraised_count and na_count in the same query.

    The three counts share one join to the scores, so they do not multiply each other;
    the leaf total is a subquery for the same reason.
    """
    return assessments.annotate(
        leaf_total=_leaf_count(),
        scored_count=_score_count(SCORED),
        appraised_count=_score_count(APPRAISED),
        na_count=_score_count(NOT_APPLICABLE),
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def appraisal_progress(assessment: Assessment) -> Progress:
    return Progress(assessment.appraised_count, assessment.leaf_total - assessment.na_count)


# The leaves an appraisal lowered or commented on that the unit has not replied to yet
# (as scoring.services.reminders.replies_missing_many counts them).
UNANSWERED = Q(scores__not_applicable=False, scores__unit_reply="") & (
    Q(scores__appraised_points__lt=F("scores__self_points")) | ~Q(scores__appraisal_note="")
)


def with_figures(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """with_progress, and the count of leaves awaiting the unit's reply (same query)."""
    return with_progress(assessments).annotate(unanswered_count=_score_count(UNANSWERED))


@dataclass(frozen=True)
class Figures:
    """How far a file has got, for telling its next step."""

    scored: int
    scorable: int
    appraised: int
    appraisable: int
    unanswered: int = 0

    @classmethod
    def of(cls, assessment: Assessment) -> "Figures":
        """From an assessment annotated by with_figures (or with_progress)."""
        return cls(
            scored=assessment.scored_count,
            scorable=assessment.leaf_total,
            appraised=assessment.appraised_count,
            appraisable=assessment.leaf_total - assessment.na_count,
            unanswered=getattr(assessment, "unanswered_count", 0),
        )
