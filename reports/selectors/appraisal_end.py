"""When a campaign's appraisal ended: the day a decision on it may be dated from.

The campaign has deadlines for self-assessment and explanations but none for the
appraisal, and a deadline is a plan, not a fact: the appraisal ended when its last
assessment was finalised (scoring.workflow's "finalise" event). A campaign whose
assessments were appraised outside the workflow (imported, or the demo) has no such
event, and no limit from this rule.
"""

from datetime import date

from django.db.models import Max
from django.utils import timezone

from scoring.models import AssessmentEvent, Campaign


def appraisal_ended_on(campaign: Campaign | int | None) -> date | None:
    """The local day of the campaign's last appraisal finalisation, or None (one query)."""
    if campaign is None:
        return None
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    last = AssessmentEvent.objects.filter(
        assessment__campaign_id=campaign_id, action="finalise"
    ).aggregate(last=Max("at"))["last"]
    return timezone.localdate(last) if last else None
