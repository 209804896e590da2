"""What each person has to do next: "Việc cần làm" on the home page, and a file's next
step on its overview.

The next step follows from the file's state, the viewer's roles on it, its deadlines
(the unit's extension included) and how far it has got; one function (next_step)
decides it, for one file or for a list of them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring import access
from scoring.models import Assessment, Campaign
from scoring.selectors.deadlines import late, stragglers
from scoring.selectors.progress import Figures
from scoring.selectors.self_assessment import user_open_assessments
from scoring.selectors.worklist import appraisal_worklist
from units.access import user_roles

State = Assessment.State


@dataclass(frozen=True)
class NextStep:
    """A sentence saying what to do, and where: an assessments: URL taking the file's pk."""

    text: str
    url_name: str = ""
    link: str = ""
    deadline: datetime | None = None
    late: bool = False
    anchor: str = ""  # the part of the page to go to


def next_step(
    assessment: Assessment, *, roles: frozenset[str], figures: Figures, now: datetime
) -> NextStep | None:
    """The viewer's next step on a file (None: nothing for them to do now)."""
    if roles & {access.UNIT_HEAD, access.UNIT_EDITOR}:
        step = _unit_step(assessment, head=access.UNIT_HEAD in roles, figures=figures, now=now)
        if step is not None:
            return step
    if roles & {access.STAFF, access.APPRAISER}:
        return _appraisal_step(assessment, staff=access.STAFF in roles, figures=figures, now=now)
    return None


def _unit_step(
    assessment: Assessment, *, head: bool, figures: Figures, now: datetime
) -> NextStep | None:
    state = assessment.state
    if state == State.DRAFT:
        deadline = access.self_assessment_deadline(assessment)
        if not access.self_assessment_open(assessment, now):
            return NextStep(
                _(
                    "The self-assessment deadline passed before the file was submitted: "
                    "ask the Interior Department for an extension."
                ),
                deadline=deadline,
                late=True,
            )
        if figures.scored < figures.scorable:
            return NextStep(
                _("Fill in the self-assessment: %(done)d of %(total)d criteria scored.")
                % {"done": figures.scored, "total": figures.scorable},
                "assessments:self_assessment",
                _("Fill in"),
                deadline,
            )
        if head:
            return NextStep(
                _("Every criterion is scored: review the self-assessment and submit it."),
                "assessments:submit",
                _("Review and submit"),
                deadline,
            )
        return NextStep(
            _("Every criterion is scored: the unit's head reviews and submits it."),
            "assessments:submit",
            _("Review"),
            deadline,
        )
    if state == State.RETURNED:
        deadline = access.explanation_deadline(assessment)
        if not access.explanation_open(assessment, now):
            return NextStep(_("The explanation deadline has passed."), deadline=deadline, late=True)
        if figures.unanswered:
            return NextStep(
                ngettext(
                    "The appraisal came back: reply to %(count)d criterion.",
                    "The appraisal came back: reply to %(count)d criteria.",
                    figures.unanswered,
                )
                % {"count": figures.unanswered},
                "assessments:explain",
                _("Reply"),
                deadline,
            )
        if head:
            return NextStep(
                _("Every criterion has its reply: send the explanation."),
                "assessments:explain",
                _("Send the explanation"),
                deadline,
            )
        return NextStep(
            _("Every criterion has its reply: the unit's head sends the explanation."),
            "assessments:explain",
            _("See the explanation"),
            deadline,
        )
    return None


def _appraisal_step(
    assessment: Assessment, *, staff: bool, figures: Figures, now: datetime
) -> NextStep | None:
    state = assessment.state
    deadline = assessment.campaign.appraisal_deadline
    overdue = deadline is not None and deadline <= now
    if state == State.SUBMITTED:
        return NextStep(
            _("Submitted: start the appraisal."),
            "assessments:appraise",
            _("Appraise"),
            deadline,
            overdue,
        )
    if state == State.IN_APPRAISAL:
        if figures.appraised < figures.appraisable:
            return NextStep(
                _("Appraise: %(done)d of %(total)d criteria appraised.")
                % {"done": figures.appraised, "total": figures.appraisable},
                "assessments:appraise",
                _("Appraise"),
                deadline,
                overdue,
            )
        return NextStep(
            _("Every criterion is appraised: return the file for explanation, or finalise it."),
            "assessments:appraise",
            _("Return or finalise"),
            deadline,
            overdue,
        )
    if state == State.EXPLAINED:
        return NextStep(
            _("The unit sent its explanation: decide on its replies, then finalise."),
            "assessments:appraise",
            _("Finalise"),
        )
    if staff and state == State.DRAFT and not access.self_assessment_open(assessment, now):
        return NextStep(
            _(
                "Past its deadline without a submission: submit on the unit's behalf, "
                "appraise it without a submission, or extend its deadline."
            ),
            "assessments:assessment_detail",
            _("Act for the unit"),
            access.self_assessment_deadline(assessment),
            late=True,
            anchor="late-unit",
        )
    if staff and state == State.RETURNED and not access.explanation_open(assessment, now):
        return NextStep(
            _(
                "Past its explanation deadline: close the explanation and finalise, "
                "or extend the deadline."
            ),
            "assessments:assessment_detail",
            _("Act for the unit"),
            access.explanation_deadline(assessment),
            late=True,
            anchor="late-unit",
        )
    return None


@dataclass(frozen=True)
class TodoItem:
    assessment: Assessment
    step: NextStep


@dataclass(frozen=True)
class CampaignWork:
    """Staff's work in one campaign not yet published, as counts to follow up."""

    campaign: Campaign
    total: int
    submitted: int  # waiting for their appraisal to start
    stragglers: int  # units past their deadline (self-assessment or explanation)
    late_appraisals: int  # files still with the appraisers after the appraisal deadline
    explained: int  # explanations waiting for the final appraisal
    appraised: int

    @property
    def ready_to_publish(self) -> bool:
        return self.total > 0 and self.appraised == self.total

    @property
    def has_work(self) -> bool:
        return bool(
            self.submitted
            or self.stragglers
            or self.late_appraisals
            or self.explained
            or self.ready_to_publish
        )


@dataclass(frozen=True)
class Todo:
    unit_items: list[TodoItem] = field(default_factory=list)
    appraisal_items: list[TodoItem] = field(default_factory=list)
    campaigns: list[CampaignWork] = field(default_factory=list)
    appraiser: bool = False

    @property
    def empty(self) -> bool:
        return not (
            self.unit_items or self.appraisal_items or any(work.has_work for work in self.campaigns)
        )


def user_todo(user, *, now: datetime | None = None) -> Todo:
    """Everything the user has to do now, by role: a fixed number of queries."""
    now = now or timezone.now()
    roles = user_roles(user)
    unit_items = []
    for assessment in user_open_assessments(user):
        held = set()
        if assessment.unit_id in roles.head_of:
            held.add(access.UNIT_HEAD)
        if assessment.unit_id in roles.editor_of:
            held.add(access.UNIT_EDITOR)
        step = next_step(assessment, roles=frozenset(held), figures=Figures.of(assessment), now=now)
        if step is not None:
            unit_items.append(TodoItem(assessment, step))
    appraisal_items = []
    if roles.appraiser and not roles.staff:
        for row in appraisal_worklist(user):
            figures = Figures(0, 0, row.progress.done, row.progress.total)
            step = next_step(
                row.assessment, roles=frozenset({access.APPRAISER}), figures=figures, now=now
            )
            if step is not None:
                appraisal_items.append(TodoItem(row.assessment, step))
    return Todo(
        unit_items=unit_items,
        appraisal_items=appraisal_items,
        campaigns=[w for w in campaigns_work(now) if w.has_work] if roles.staff else [],
        appraiser=roles.appraiser,
    )


def campaigns_work(now: datetime) -> list[CampaignWork]:
    """Per campaign not yet published, its files by what they wait for (two queries)."""
    rows = (
        Assessment.objects.exclude(campaign__status=Campaign.Status.PUBLISHED)
        .order_by()
        .values("campaign_id")
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
            stragglers=Count("pk", filter=stragglers(now)),
            late_appraisals=Count(
                "pk", filter=late(now) & Q(state__in=(State.SUBMITTED, State.IN_APPRAISAL))
            ),
            explained=Count("pk", filter=Q(state=State.EXPLAINED)),
            appraised=Count("pk", filter=Q(state=State.APPRAISED)),
        )
    )
    counts = {row.pop("campaign_id"): row for row in rows}
    campaigns = Campaign.objects.filter(pk__in=counts).order_by("-year")
    return [CampaignWork(campaign=campaign, **counts[campaign.pk]) for campaign in campaigns]
