"""Who may see and do what with an assessment, its scores and its evidence.

Every view and service asks here. Province-wide roles come from units.access;
this module adds what depends on the assessment: membership of its unit, an
appraiser's assignment, the workflow state and the deadlines.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from scoring.models import AppraiserAssignment, Assessment, Evidence
from units.access import user_roles

STAFF = "staff"
APPRAISER = "appraiser"
UNIT_HEAD = "unit_head"
UNIT_EDITOR = "unit_editor"

EDITABLE_STATES = (Assessment.State.DRAFT,)
APPRAISABLE_STATES = (Assessment.State.IN_APPRAISAL, Assessment.State.EXPLAINED)
REPLYABLE_STATES = (Assessment.State.RETURNED,)
# A unit sees its appraisal once it comes back to it for explanation, not while the
# appraisers are still working on it (their points may yet change).
APPRAISAL_SHOWN_TO_UNIT_STATES = (
    Assessment.State.RETURNED,
    Assessment.State.EXPLAINED,
    Assessment.State.APPRAISED,
    Assessment.State.PUBLISHED,
)


@dataclass(frozen=True)
class AssessmentAccess:
    """A user's standing towards one assessment."""

    roles: frozenset[str]
    # The areas an appraiser may appraise; None means every area.
    areas: frozenset[str] | None = None

    @property
    def can_view(self) -> bool:
        return bool(self.roles)

    @property
    def is_unit_member(self) -> bool:
        return bool(self.roles & {UNIT_HEAD, UNIT_EDITOR})

    @property
    def runs_the_campaign(self) -> bool:
        """Interior Department staff, who reach a file from the campaign's dashboard."""
        return STAFF in self.roles

    def may_appraise_area(self, area_code: str) -> bool:
        if STAFF in self.roles:
            return True
        return APPRAISER in self.roles and (self.areas is None or area_code in self.areas)


# -- capabilities on one assessment ------------------------------------------------------
# Views (to answer 403 before anything is read) and services (to refuse) ask these same
# questions. Who may make a workflow transition is the table of scoring.workflow.


def may_fill_in(standing: AssessmentAccess) -> bool:
    """Score the unit's own leaves, by form or scoring sheet: the unit's officers."""
    return standing.is_unit_member


def may_attach_evidence(standing: AssessmentAccess) -> bool:
    """Attach or remove the unit's evidence documents: the unit's officers."""
    return standing.is_unit_member


def may_appraise(standing: AssessmentAccess) -> bool:
    """Open the appraisal of the assessment: staff and its assigned appraisers."""
    return bool(standing.roles & {STAFF, APPRAISER})


def may_see_appraisal(standing: AssessmentAccess, assessment: Assessment) -> bool:
    """The appraised points and notes: appraisers always, the unit once they come back."""
    if may_appraise(standing):
        return True
    return standing.can_view and assessment.state in APPRAISAL_SHOWN_TO_UNIT_STATES


def may_reply(standing: AssessmentAccess, assessment: Assessment) -> bool:
    """Reply to the appraisal (giải trình) once it came back: the unit's officers."""
    return standing.is_unit_member and may_see_appraisal(standing, assessment)


def assessment_access(user, assessment: Assessment) -> AssessmentAccess:
    """The roles the user holds on this assessment (empty for an outsider)."""
    roles = user_roles(user)
    held: set[str] = set()
    if roles.staff:
        held.add(STAFF)
    if assessment.unit_id in roles.head_of:
        held.add(UNIT_HEAD)
    if assessment.unit_id in roles.editor_of:
        held.add(UNIT_EDITOR)
    areas: frozenset[str] | None = None
    if roles.appraiser:  # user_roles gives roles to signed-in users only
        assigned = list(
            AppraiserAssignment.objects.filter(
                campaign_id=assessment.campaign_id, unit_id=assessment.unit_id, appraiser=user
            ).values_list("area_code", flat=True)
        )
        if assigned:
            held.add(APPRAISER)
            areas = None if "" in assigned else frozenset(assigned)
    return AssessmentAccess(roles=frozenset(held), areas=areas)


def assessments_access(user, assessments) -> dict[int, AssessmentAccess]:
    """assessment_access for many assessments at once: one query, for appraisers only."""
    roles = user_roles(user)
    assigned: dict[tuple[int, int], list[str]] = {}
    if roles.appraiser:  # user_roles gives roles to signed-in users only
        campaigns = {a.campaign_id for a in assessments}
        for campaign_id, unit_id, area in AppraiserAssignment.objects.filter(
            appraiser=user, campaign_id__in=campaigns
        ).values_list("campaign_id", "unit_id", "area_code"):
            assigned.setdefault((campaign_id, unit_id), []).append(area)
    standings = {}
    for assessment in assessments:
        held: set[str] = set()
        if roles.staff:
            held.add(STAFF)
        if assessment.unit_id in roles.head_of:
            held.add(UNIT_HEAD)
        if assessment.unit_id in roles.editor_of:
            held.add(UNIT_EDITOR)
        areas = assigned.get((assessment.campaign_id, assessment.unit_id))
        if areas:
            held.add(APPRAISER)
        standings[assessment.pk] = AssessmentAccess(
            roles=frozenset(held),
            areas=None if not areas or "" in areas else frozenset(areas),
        )
    return standings


def get_assessment_for(user, pk: int) -> tuple[Assessment, AssessmentAccess]:
    """The assessment and the user's access to it; 404 to anyone with no role on it.

    An outsider learns nothing, not even that the assessment exists. A read only: the
    services lock what they write back.
    """
    assessment = (
        Assessment.objects.select_related("campaign", "unit__block", "framework")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404
    access = assessment_access(user, assessment)
    if not access.can_view:
        raise Http404
    return assessment, access


def get_evidence_for(user, pk: int) -> tuple[Evidence, AssessmentAccess]:
    """An evidence file and the user's access to its assessment; 404 to anyone without a role."""
    evidence = (
        Evidence.objects.select_related(
            "score__criterion", "score__assessment__campaign", "score__assessment__unit"
        )
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404
    access = assessment_access(user, evidence.score.assessment)
    if not access.can_view:
        raise Http404
    return evidence, access


def _later(campaign_deadline: datetime | None, own: datetime | None) -> datetime | None:
    """The deadline a unit works to: the campaign's, or its own extension when that is later.

    No campaign deadline means the phase has none, for every unit; an extension never
    shortens a phase, even when the campaign's deadline moves past it later.
    """
    if campaign_deadline is None:
        return None
    return own if own is not None and own > campaign_deadline else campaign_deadline


def self_assessment_deadline(assessment: Assessment) -> datetime | None:
    """This unit's self-assessment deadline, its extension included."""
    return _later(
        assessment.campaign.self_assessment_deadline, assessment.self_assessment_extended_to
    )


def explanation_deadline(assessment: Assessment) -> datetime | None:
    """This unit's explanation deadline, its extension included."""
    return _later(assessment.campaign.explanation_deadline, assessment.explanation_extended_to)


def _before(deadline: datetime | None, now: datetime | None) -> bool:
    return deadline is None or (now or timezone.now()) < deadline


def self_assessment_open(assessment: Assessment, now: datetime | None = None) -> bool:
    """Editing is possible in draft, until the unit's self-assessment deadline."""
    return assessment.state in EDITABLE_STATES and _before(
        self_assessment_deadline(assessment), now
    )


def explanation_open(assessment: Assessment, now: datetime | None = None) -> bool:
    """Replies are possible once returned, until the unit's explanation deadline."""
    return assessment.state in REPLYABLE_STATES and _before(explanation_deadline(assessment), now)


def require(allowed: bool) -> None:
    """403 for someone who may see the object but not do this to it."""
    if not allowed:
        raise PermissionDenied
