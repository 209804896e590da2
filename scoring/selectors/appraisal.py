"""The appraisal sheet and the unit's explanation sheet: one leaf a row, as the pages show it.

Each sheet comes from one ordered query, and what a page shows per leaf is prepared
here so that templates compute nothing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from scoring import access, whatif
from scoring import calculations as calc
from scoring.criteria_tree import kind
from scoring.models import (
    Assessment,
    AssessmentEvent,
    Criterion,
    Evidence,
    Result,
    Score,
    code_sort_key,
)
from scoring.selectors.campaigns import block_tiers
from scoring.selectors.progress import Progress
from scoring.selectors.survey import survey_answers
from scoring.workflow import available_transitions, may_make
from units.numbers import to_decimal

State = Assessment.State

SURVEY = Criterion.Method.SURVEY

EVENTS_SHOWN = 10  # the latest workflow steps listed on the appraisal page

# The workflow steps drawn as buttons on the appraisal page, and the URL each posts to.
APPRAISAL_ACTIONS = {
    "start_appraisal": "assessments:appraisal_start",
    "return": "assessments:appraisal_return",
    "finalise": "assessments:appraisal_finalise",
}


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
    def unappraised_rows(self) -> list[SheetRow]:
        """The rows of unappraised_acceptable: the accept-all form carries their versions."""
        wanted = set(self.unappraised_acceptable)
        return [row for row in self.rows if row.score and row.criterion.pk in wanted]

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
    answers = survey_answers(
        campaign_id=assessment.campaign_id, assessments=Q(assessment_id=assessment.pk)
    )
    counts = {criterion_id: [pooled] for (_a, criterion_id), pooled in answers.counts.items()}
    tiers = block_tiers(assessment.campaign_id, block_id=block_id).get(block_id, [])
    stored = list(
        Result.objects.filter(campaign_id=assessment.campaign_id, block_id=block_id).values_list(
            "assessment_id", "index", "computed_at", "is_final"
        )
    )
    try:
        survey_points = whatif.survey_area_points(survey_leaves, counts, answers.weights)
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
        may_send=is_open and may_make(standing, "explain"),
    )
