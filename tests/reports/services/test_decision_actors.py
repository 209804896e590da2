"""Every decision service asks who acts: only Interior Department staff draft and publish.

The views answer 403 before a service is reached; these tests call the services
directly, as a command or the worker would, and check that a refusal writes nothing.
"""

import pytest

from reports.errors import PublicationError
from reports.models import Decision
from reports.services.drafting import decision_correct, decision_create, decision_draft_update
from reports.services.publication import decision_publish
from reports.services.publication_queue import (
    decision_publication_cancel,
    decision_publication_request,
)
from scoring.models import Assessment, AssessmentEvent, Campaign
from tests.reports.publication_data import complete_values

pytestmark = pytest.mark.django_db

NOT_STAFF = ("appraiser", "editor_a", "head_a")


@pytest.fixture
def outsider(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("outsider", NOT_STAFF, indirect=True)
def test_only_staff_create_a_draft(campaign, outsider, staff):
    values = complete_values(number="1/QĐ-UBND")
    with pytest.raises(PublicationError, match="staff"):
        decision_create(campaign=campaign, actor=outsider, values=values)
    assert not Decision.objects.exists()

    created = decision_create(campaign=campaign, actor=staff, values=values)
    assert created.status == Decision.Status.DRAFT and created.campaign == campaign


@pytest.mark.parametrize("outsider", NOT_STAFF, indirect=True)
def test_only_staff_edit_a_draft(draft, outsider):
    with pytest.raises(PublicationError, match="staff"):
        decision_draft_update(decision=draft, actor=outsider, changes={"signer_name": "X"})
    draft.refresh_from_db()
    assert draft.signer_name == "Lê Thành Trí"


@pytest.mark.parametrize("outsider", NOT_STAFF, indirect=True)
def test_only_staff_publish(draft, outsider):
    with pytest.raises(PublicationError, match="staff"):
        decision_publish(decision=draft, actor=outsider)
    with pytest.raises(PublicationError, match="staff"):
        decision_publication_request(decision=draft, actor=outsider)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and not draft.rows.exists()
    assert not AssessmentEvent.objects.exists()
    assert set(Assessment.objects.values_list("state", flat=True)) == {Assessment.State.APPRAISED}
    assert Campaign.objects.get().status != Campaign.Status.PUBLISHED


@pytest.mark.parametrize("outsider", NOT_STAFF, indirect=True)
def test_only_staff_cancel_a_publication(draft, outsider):
    Decision.objects.filter(pk=draft.pk).update(status=Decision.Status.PUBLISHING)
    draft.refresh_from_db()
    with pytest.raises(PublicationError, match="staff"):
        decision_publication_cancel(decision=draft, actor=outsider)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHING


def test_only_staff_correct_a_published_decision(draft, staff, head_a, settings, tmp_path):
    published = decision_publish(decision=draft, actor=staff)
    with pytest.raises(PublicationError, match="staff"):
        decision_correct(decision=published, actor=head_a, reason="Sai điểm")
    assert Decision.objects.count() == 1


def test_publishing_records_an_event_for_each_assessment_by_the_publisher(draft, staff):
    decision_publish(decision=draft, actor=staff)
    events = AssessmentEvent.objects.filter(action="publish")
    assert events.count() == Assessment.objects.count() == 2
    assert {(e.from_state, e.to_state, e.actor) for e in events} == {
        (Assessment.State.APPRAISED, Assessment.State.PUBLISHED, staff)
    }
    assert all("2491/QĐ-UBND" in e.reason for e in events)
    assert Campaign.objects.get().status == Campaign.Status.PUBLISHED
