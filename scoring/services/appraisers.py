"""Taking an appraiser off a unit (assigning one is assessments.appraiser_assign)."""

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import AppraiserAssignment
from scoring.services.assessments import AssessmentError
from units.access import user_roles


@transaction.atomic
def appraiser_unassign(*, assignment: AppraiserAssignment, actor) -> None:
    """Remove an assignment. What the appraiser already appraised stays, with its history."""
    if not user_roles(actor).staff:
        raise AssessmentError(_("Only Interior Department staff assign appraisers."))
    assignment.delete()
