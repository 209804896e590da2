"""The staff dashboard of a campaign: every unit's state, progress and deadlines."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from scoring.models import (
    Assessment,
    AssessmentEvent,
    Campaign,
    CampaignBlock,
)
from scoring.selectors.appraisal import State
from scoring.selectors.deadlines import late
from scoring.selectors.progress import Progress, appraisal_progress, with_progress


@dataclass(frozen=True)
class DashboardRow:
    assessment: Assessment
    self_progress: Progress
    appraisal_progress: Progress | None  # None before the appraisal starts
    last_event: AssessmentEvent | None
    overdue: bool


@dataclass(frozen=True)
class BlockCounts:
    block: object
    counts: list[tuple[str, str, int]]  # (state, label, count)
    total: int


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    blocks: list[BlockCounts]
    state_totals: list[tuple[str, str, int]]
    total: int

    @property
    def all_appraised(self) -> bool:
        """Every file's appraisal is final: what is left is the decision."""
        appraised = next(n for state, _label, n in self.state_totals if state == State.APPRAISED)
        return self.total > 0 and appraised == self.total


def dashboard_summary(campaign: Campaign) -> Dashboard:
    """Assessments per block and state, from one GROUP BY (plus the campaign's blocks)."""
    blocks = [
        cb.block for cb in CampaignBlock.objects.filter(campaign=campaign).select_related("block")
    ]
    counts: dict[tuple[int, str], int] = {
        (block_id, state): n
        for block_id, state, n in Assessment.objects.filter(campaign=campaign)
        .order_by()
        .values_list("framework__block_id", "state")
        .annotate(n=Count("pk"))
    }
    summaries = []
    for block in blocks:
        row = [(s, label, counts.get((block.pk, s), 0)) for s, label in State.choices]
        summaries.append(BlockCounts(block, row, sum(n for _s, _l, n in row)))
    totals = [
        (s, label, sum(n for (_b, state), n in counts.items() if state == s))
        for s, label in State.choices
    ]
    return Dashboard(
        campaign=campaign,
        blocks=summaries,
        state_totals=totals,
        total=sum(counts.values()),
    )


def dashboard_assessments(
    campaign: Campaign, *, block=None, state: str = "", overdue: bool = False
) -> QuerySet[Assessment]:
    """The campaign's assessments with progress counts, overdue flag and last event's id.

    One query lists them, whatever their number; filtered by block, state and lateness
    (selectors.deadlines.late: each unit's own deadline, its extension included).
    """
    assessments = Assessment.objects.filter(campaign=campaign).select_related("unit__block")
    if block is not None:
        assessments = assessments.filter(framework__block=block)
    if state:
        assessments = assessments.filter(state=state)
    assessments = assessments.annotate(
        is_overdue=ExpressionWrapper(late(timezone.now()), output_field=BooleanField())
    )
    if overdue:
        assessments = assessments.filter(is_overdue=True)
    last_event = (
        AssessmentEvent.objects.filter(assessment=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("pk")
    )
    return (
        with_progress(assessments)
        .annotate(last_event_id=Subquery(last_event[:1]))
        .order_by("unit__block__position", "unit__search_text", "pk")
    )


def dashboard_rows(assessments) -> list[DashboardRow]:
    """One page of dashboard_assessments as rows, with their last events (one more query)."""
    assessments = list(assessments)
    events = AssessmentEvent.objects.select_related("actor").in_bulk(
        [a.last_event_id for a in assessments if a.last_event_id]
    )
    return [
        DashboardRow(
            assessment=assessment,
            self_progress=Progress(assessment.scored_count, assessment.leaf_total),
            appraisal_progress=(
                None
                if assessment.state in (State.DRAFT, State.SUBMITTED)
                else appraisal_progress(assessment)
            ),
            last_event=events.get(assessment.last_event_id),
            overdue=bool(assessment.is_overdue),
        )
        for assessment in assessments
    ]


def state_count(summary: Dashboard, states, *, block=None) -> int:
    """How many of the campaign's files (of one block, if given) are in one of `states`."""
    if block is None:
        counts = summary.state_totals
    else:
        counts = next((b.counts for b in summary.blocks if b.block.pk == block.pk), [])
    return sum(n for state, _label, n in counts if state in states)
