"""Reads of the appraisal screens: worklist, appraisal sheet, explanation, history, dashboard.

Each function takes a fixed number of queries whatever the size of the framework
or the number of units: counts are aggregated by the database, trees are built
from one ordered query, and what a page shows per leaf is prepared here so that
templates only print it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from scoring import access, whatif
from scoring import calculations as calc
from scoring.frameworks import kind, to_decimal
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    AssessmentEvent,
    Campaign,
    CampaignBlock,
    Criterion,
    Evidence,
    Result,
    Score,
    SurveyAnswer,
    SurveyResult,
    TierBand,
    code_sort_key,
)
from scoring.services.assessments import HISTORY_REASONS
from scoring.workflow import available_transitions
from units.access import user_roles

State = Assessment.State
SURVEY = Criterion.Method.SURVEY
# The states an appraiser works in (a submitted assessment waits for its start).
WORKLIST_STATES = (State.SUBMITTED, State.IN_APPRAISAL, State.EXPLAINED)
EVENTS_SHOWN = 10  # the latest workflow steps listed on the appraisal page
# The workflow steps drawn as buttons on the appraisal page, and the URL each posts to.
APPRAISAL_ACTIONS = {
    "start_appraisal": "assessments:appraisal_start",
    "return": "assessments:appraisal_return",
    "finalise": "assessments:appraisal_finalise",
}


# ---------------------------------------------------------------------------
# Counting leaves and scores in the database


def _leaf_count() -> Coalesce:
    """Scored (non-survey) leaves of the outer assessment's framework, as a subquery."""
    leaves = (
        Criterion.objects.filter(framework=OuterRef("framework"), children__isnull=True)
        .exclude(method=SURVEY)
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(leaves, output_field=IntegerField()), Value(0))


def _score_count(condition: Q) -> Count:
    """Scores of the outer assessment meeting `condition` (survey leaves never count)."""
    return Count("scores", filter=condition & ~Q(scores__criterion__method=SURVEY))


SCORED = Q(scores__self_points__isnull=False) | Q(scores__not_applicable=True)
APPRAISED = Q(scores__appraised_points__isnull=False, scores__not_applicable=False)
NOT_APPLICABLE = Q(scores__not_applicable=True)


def _with_progress(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
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


def _appraisal_progress(assessment: Assessment) -> Progress:
    return Progress(assessment.appraised_count, assessment.leaf_total - assessment.na_count)


# ---------------------------------------------------------------------------
# The appraiser's worklist


@dataclass(frozen=True)
class WorklistRow:
    assessment: Assessment
    progress: Progress
    # The areas this appraiser is assigned to; empty for every area (or for staff).
    areas: tuple[str, ...]


def appraisal_worklist(user) -> list[WorklistRow]:
    """The assessments the user may appraise now: assigned units, every unit for staff."""
    roles = user_roles(user)
    assessments = Assessment.objects.filter(state__in=WORKLIST_STATES).select_related(
        "campaign", "unit__block"
    )
    areas: dict[tuple[int, int], list[str]] = defaultdict(list)
    if not roles.staff:
        assignments = AppraiserAssignment.objects.filter(appraiser=user)
        assessments = assessments.filter(
            Exists(assignments.filter(campaign=OuterRef("campaign"), unit=OuterRef("unit")))
        )
        for campaign_id, unit_id, area_code in assignments.values_list(
            "campaign_id", "unit_id", "area_code"
        ):
            areas[campaign_id, unit_id].append(area_code)
    assessments = _with_progress(assessments).order_by(
        "-campaign__year", "unit__block__position", "unit__search_text"
    )
    rows = []
    for assessment in assessments:
        codes = areas.get((assessment.campaign_id, assessment.unit_id), [])
        rows.append(
            WorklistRow(
                assessment=assessment,
                progress=_appraisal_progress(assessment),
                areas=() if "" in codes else tuple(sorted(codes, key=code_sort_key)),
            )
        )
    return rows


# ---------------------------------------------------------------------------
# The sheet of one assessment: its criteria tree with the scores


@dataclass
class SheetRow:
    """A line of the appraisal or explanation sheet: an area or criterion heading, or a leaf."""

    criterion: Criterion
    is_leaf: bool
    score: Score | None = None
    is_survey: bool = False
    # The unit's input behind a ratio: numerator, denominator and their percentage.
    ratio: tuple[Decimal, Decimal, Decimal] | None = None
    lowered: bool = False  # appraised below the unit's claim
    reply_accepted: bool = False
    may_appraise: bool = False
    # Read-only for this appraiser because the leaf's area is not assigned to them.
    outside_areas: bool = False
    may_accept: bool = False  # may be ticked to be accepted as self-assessed
    may_accept_reply: bool = False
    # What accepting this leaf's reply would change (explained state only).
    change: whatif.Change | None = None
    # Forms are attached by the view (forms_appraisal.attach_*).
    form: object = None
    reply_form: object = None
    evidence_form: object = None

    @property
    def depth(self) -> int:
        return self.criterion.depth

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.score.evidence.all()) if self.score else []


def _ratio(score: Score | None) -> tuple[Decimal, Decimal, Decimal] | None:
    if score is None or not isinstance(score.self_input, dict):
        return None
    numerator = to_decimal(score.self_input.get("numerator"))
    denominator = to_decimal(score.self_input.get("denominator"))
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator, denominator, calc.index_percent(numerator, denominator)


def _sheet_rows(assessment: Assessment) -> list[SheetRow]:
    """Every criterion of the framework in code order, leaves with their score (3 queries)."""
    criteria = list(
        Criterion.objects.filter(framework_id=assessment.framework_id).order_by("sort_key")
    )
    parents = {c.parent_id for c in criteria if c.parent_id is not None}
    # Through the reverse relation, each score already knows its assessment (and each
    # prefetched document its score): nothing is fetched again per leaf.
    scores = {
        score.criterion_id: score
        for score in assessment.scores.select_related("updated_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
        )
    }
    rows = []
    for criterion in criteria:
        is_leaf = criterion.pk not in parents
        score = scores.get(criterion.pk) if is_leaf else None
        if score is not None:
            score.criterion = criterion  # already loaded: forms and labels read it
        lowered = bool(
            score
            and score.self_points is not None
            and score.appraised_points is not None
            and score.appraised_points < score.self_points
        )
        rows.append(
            SheetRow(
                criterion=criterion,
                is_leaf=is_leaf,
                score=score,
                is_survey=is_leaf and criterion.method == SURVEY,
                ratio=_ratio(score),
                lowered=lowered,
                reply_accepted=bool(
                    score
                    and score.unit_reply
                    and score.final_points is not None
                    and score.final_points == score.self_points
                ),
            )
        )
    return rows


def _scored_leaves(rows: list[SheetRow]) -> list[SheetRow]:
    """The leaves an appraiser decides on: scored by the unit, not survey-derived."""
    return [row for row in rows if row.is_leaf and not row.is_survey and row.score is not None]


@dataclass
class WhatIfView:
    """The what-if figures of the page, and against which computed results they rank."""

    result: whatif.WhatIf | None
    results_computed_at: datetime.datetime | None = None
    # How many of the other units' results are previews on unappraised points.
    previews: int = 0
    problem: str = ""


@dataclass(frozen=True)
class Step:
    """A workflow button: its label and the URL name it posts to."""

    label: str
    url_name: str


@dataclass
class AppraisalSheet:
    assessment: Assessment
    standing: access.AssessmentAccess
    rows: list[SheetRow]
    progress: Progress
    steps: list[Step]
    events: list[AssessmentEvent]
    # Leaves whose checkbox may be ticked for "accept as self-assessed".
    acceptable_count: int
    # Of those, the criteria not appraised yet: one button accepts them all.
    unappraised_acceptable: list[int]
    whatif: WhatIfView | None = None

    @property
    def column_count(self) -> int:
        return 4 + bool(self.acceptable_count) + self.shows_replies

    @property
    def shows_replies(self) -> bool:
        """Once returned to the unit, the page has a column for its replies."""
        return self.assessment.state in access.APPRAISAL_SHOWN_TO_UNIT_STATES

    @property
    def assigned_areas(self) -> tuple[str, ...]:
        """The areas an appraiser is limited to; empty when every area is theirs."""
        areas = self.standing.areas
        if access.STAFF in self.standing.roles or areas is None:
            return ()
        return tuple(sorted(areas, key=code_sort_key))


def appraisal_sheet(assessment: Assessment, standing: access.AssessmentAccess, user):
    """The appraisal page of one assessment: a fixed number of queries for any framework."""
    rows = _sheet_rows(assessment)
    open_for_appraisal = assessment.state in access.APPRAISABLE_STATES
    explained = assessment.state == State.EXPLAINED
    leaves = _scored_leaves(rows)
    for row in leaves:
        score = row.score
        in_areas = standing.may_appraise_area(row.criterion.area_code)
        row.may_appraise = open_for_appraisal and not score.not_applicable and in_areas
        row.outside_areas = open_for_appraisal and not in_areas
        row.may_accept = row.may_appraise and not explained and score.self_points is not None
        row.may_accept_reply = row.may_appraise and explained and bool(score.unit_reply)
    applicable = [row for row in leaves if not row.score.not_applicable]
    appraised = sum(1 for row in applicable if row.score.appraised_points is not None)
    sheet = AppraisalSheet(
        assessment=assessment,
        standing=standing,
        rows=rows,
        progress=Progress(appraised, len(applicable)),
        steps=[
            Step(t.label, APPRAISAL_ACTIONS[t.action])
            for t in available_transitions(user, assessment)
            if t.action in APPRAISAL_ACTIONS
        ],
        events=list(
            assessment.events.select_related("actor").order_by("-at", "-pk")[:EVENTS_SHOWN]
        ),
        acceptable_count=sum(1 for row in leaves if row.may_accept),
        unappraised_acceptable=[
            row.criterion.pk
            for row in leaves
            if row.may_accept and row.score.appraised_points is None
        ],
    )
    if explained:
        sheet.whatif = _whatif(assessment, rows)
        if sheet.whatif.result is not None:
            for row in leaves:
                row.change = sheet.whatif.result.per_leaf.get(row.criterion.pk)
    return sheet


def _pending_reply(row: SheetRow) -> bool:
    score = row.score
    return bool(
        score.unit_reply
        and not score.not_applicable
        and score.self_points is not None
        and score.final_points != score.self_points
    )


def _whatif(assessment: Assessment, rows: list[SheetRow]) -> WhatIfView:
    """The unit's standing now and with each pending reply accepted (4 queries).

    The other units of the block are taken as their stored results say; without
    any stored result the unit's own figures are still given, without a rank.
    """
    block_id = assessment.framework.block_id
    areas: dict[str, dict] = {}
    survey_leaves = []
    leaves = []
    for row in rows:
        criterion = row.criterion
        if criterion.parent_id is None:
            areas[criterion.code] = {"kind": kind(criterion.method), "survey_max": Decimal(0)}
        if not row.is_leaf:
            continue
        if row.is_survey:
            areas[criterion.area_code]["survey_max"] += criterion.max_points
            survey_leaves.append((criterion.pk, criterion.area_code, criterion.max_points))
            continue
        score = row.score
        leaves.append(
            whatif.LeafFigures(
                key=criterion.pk,
                area_code=criterion.area_code,
                maximum=criterion.max_points,
                not_applicable=bool(score and score.not_applicable),
                self_points=score.self_points if score else None,
                appraised_points=score.appraised_points if score else None,
                final_points=score.final_points if score else None,
            )
        )
    weights = dict(
        SurveyAnswer.objects.filter(campaign_id=assessment.campaign_id).values_list(
            "code", "weight_percent"
        )
    )
    counts: dict[int, list[dict]] = defaultdict(list)
    for criterion_id, answer_counts in SurveyResult.objects.filter(
        assessment=assessment
    ).values_list("criterion_id", "answer_counts"):
        counts[criterion_id].append(answer_counts)
    tiers = [
        calc.Tier(name, minimum, inclusive)
        for name, minimum, inclusive in TierBand.objects.filter(
            campaign_block__campaign_id=assessment.campaign_id,
            campaign_block__block_id=block_id,
        ).values_list("name", "min_index", "inclusive")
    ]
    stored = list(
        Result.objects.filter(campaign_id=assessment.campaign_id, block_id=block_id).values_list(
            "assessment_id", "index", "computed_at", "is_final"
        )
    )
    try:
        survey_points = whatif.survey_area_points(survey_leaves, counts, weights)
    except ValueError as error:
        return WhatIfView(result=None, problem=str(error))
    figures = [
        whatif.AreaFigures(
            code=code,
            kind=area["kind"],
            survey_points=survey_points.get(code, Decimal(0)),
            survey_max=area["survey_max"],
        )
        for code, area in areas.items()
    ]
    others = [row[1] for row in stored if row[0] != assessment.pk] if stored else None
    result = whatif.what_if(
        areas=figures,
        leaves=leaves,
        replied=[row.criterion.pk for row in _scored_leaves(rows) if _pending_reply(row)],
        others=others,
        tiers=tiers,
    )
    return WhatIfView(
        result=result,
        results_computed_at=max((row[2] for row in stored), default=None),
        previews=sum(1 for row in stored if row[0] != assessment.pk and not row[3]),
    )


# ---------------------------------------------------------------------------
# The unit's explanation (giải trình)


@dataclass
class ExplanationSheet:
    assessment: Assessment
    standing: access.AssessmentAccess
    # Leaves the appraisal lowered or commented on: the ones to explain.
    rows: list[SheetRow]
    accepted_count: int
    is_open: bool
    may_send: bool


def explanation_sheet(
    assessment: Assessment, standing: access.AssessmentAccess
) -> ExplanationSheet:
    rows = _sheet_rows(assessment)
    leaves = [row for row in _scored_leaves(rows) if not row.score.not_applicable]
    to_explain = [
        row
        for row in leaves
        if row.lowered or row.score.appraisal_note.strip() or row.score.unit_reply
    ]
    is_open = access.explanation_open(assessment)
    return ExplanationSheet(
        assessment=assessment,
        standing=standing,
        rows=to_explain,
        accepted_count=len(leaves) - len(to_explain),
        is_open=is_open,
        may_send=is_open and access.UNIT_HEAD in standing.roles,
    )


# ---------------------------------------------------------------------------
# The history of one score


HISTORY_FIELDS = (
    ("self_points", True),
    ("appraised_points", True),
    ("final_points", True),
    ("appraisal_note", False),
    ("unit_reply", False),
)
APPRAISAL_FIELDS = {"appraised_points", "final_points", "appraisal_note"}
APPRAISAL_REASONS = {"appraisal", "accepted"}


@dataclass(frozen=True)
class FieldVersion:
    name: str
    value: object
    previous: object
    changed: bool
    is_points: bool


@dataclass(frozen=True)
class ScoreVersion:
    when: datetime.datetime
    user: object
    reason: str
    fields: dict[str, FieldVersion]
    is_first: bool


def score_history(score: Score, *, show_appraisal: bool) -> list[ScoreVersion]:
    """Every recorded version of a score, newest first, each field with its previous value.

    Without `show_appraisal` (a unit before its appraisal is returned to it) the
    appraisal's fields and the versions that only the appraisal made are left out.
    """
    records = list(score.history.select_related("history_user").order_by("history_date", "pk"))
    fields = [
        (name, is_points)
        for name, is_points in HISTORY_FIELDS
        if show_appraisal or name not in APPRAISAL_FIELDS
    ]
    versions = []
    previous = None
    for record in records:
        values = {
            name: FieldVersion(
                name=name,
                value=getattr(record, name),
                previous=getattr(previous, name) if previous is not None else None,
                changed=previous is not None and getattr(previous, name) != getattr(record, name),
                is_points=is_points,
            )
            for name, is_points in fields
        }
        previous = record
        reason = record.history_change_reason or ""
        if not show_appraisal and reason in APPRAISAL_REASONS:
            continue
        versions.append(
            ScoreVersion(
                when=record.history_date,
                user=record.history_user,
                reason=str(HISTORY_REASONS.get(reason, reason)),
                fields=values,
                is_first=record is records[0],
            )
        )
    versions.reverse()
    return versions


# ---------------------------------------------------------------------------
# Staff: appraiser assignments of a campaign


@dataclass(frozen=True)
class AreaChoice:
    code: str
    title: str


@dataclass(frozen=True)
class AssignmentRow:
    assignment: AppraiserAssignment
    area_title: str


@dataclass(frozen=True)
class CampaignAssignments:
    campaign: Campaign
    rows: list[AssignmentRow]
    # block id → (block name, its framework's areas), for the form's area choices
    areas_by_block: dict[int, tuple[str, list[AreaChoice]]]
    unassigned_units: list


def campaign_by_year(year: int) -> Campaign | None:
    return Campaign.objects.filter(year=year).first()


def campaign_assignments(campaign: Campaign) -> CampaignAssignments:
    """The campaign's appraiser assignments, its areas per block and units left without one."""
    areas_by_block: dict[int, tuple[str, list[AreaChoice]]] = {}
    campaign_blocks = CampaignBlock.objects.filter(campaign=campaign).select_related("block")
    framework_blocks = {cb.framework_id: cb.block for cb in campaign_blocks}
    for block in framework_blocks.values():
        areas_by_block[block.pk] = (block.name, [])
    for framework_id, code, title in (
        Criterion.objects.filter(framework_id__in=list(framework_blocks), parent__isnull=True)
        .order_by("framework_id", "sort_key")
        .values_list("framework_id", "code", "title")
    ):
        areas_by_block[framework_blocks[framework_id].pk][1].append(AreaChoice(code, title))
    titles = {
        (block_id, area.code): area.title
        for block_id, (_name, areas) in areas_by_block.items()
        for area in areas
    }
    assignments = (
        AppraiserAssignment.objects.filter(campaign=campaign)
        .select_related("appraiser", "unit__block")
        .order_by("unit__block__position", "unit__search_text", "area_code", "appraiser__username")
    )
    rows = [AssignmentRow(a, titles.get((a.unit.block_id, a.area_code), "")) for a in assignments]
    assigned = {row.assignment.unit_id for row in rows}
    unassigned = [
        assessment.unit
        for assessment in Assessment.objects.filter(campaign=campaign)
        .select_related("unit__block")
        .order_by("unit__block__position", "unit__search_text")
        if assessment.unit_id not in assigned
    ]
    return CampaignAssignments(
        campaign=campaign,
        rows=rows,
        areas_by_block=areas_by_block,
        unassigned_units=unassigned,
    )


# ---------------------------------------------------------------------------
# Staff: the campaign's dashboard


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


def _overdue(campaign: Campaign, now: datetime.datetime) -> Q | None:
    """Draft after the self-assessment deadline, or returned after the explanation one."""
    late = []
    if campaign.self_assessment_deadline and campaign.self_assessment_deadline < now:
        late.append(Q(state=State.DRAFT))
    if campaign.explanation_deadline and campaign.explanation_deadline < now:
        late.append(Q(state=State.RETURNED))
    if not late:
        return None
    return late[0] if len(late) == 1 else late[0] | late[1]


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

    One query lists them, whatever their number; filtered by block, state and lateness.
    """
    assessments = Assessment.objects.filter(campaign=campaign).select_related("unit__block")
    if block is not None:
        assessments = assessments.filter(framework__block=block)
    if state:
        assessments = assessments.filter(state=state)
    late = _overdue(campaign, timezone.now())
    if late is None:
        assessments = assessments.annotate(is_overdue=Value(False))
    else:
        assessments = assessments.annotate(
            is_overdue=ExpressionWrapper(late, output_field=BooleanField())
        )
    if overdue:
        assessments = assessments.filter(is_overdue=True)
    last_event = (
        AssessmentEvent.objects.filter(assessment=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("pk")
    )
    return (
        _with_progress(assessments)
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
                else _appraisal_progress(assessment)
            ),
            last_event=events.get(assessment.last_event_id),
            overdue=bool(assessment.is_overdue),
        )
        for assessment in assessments
    ]
