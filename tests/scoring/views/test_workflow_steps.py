"""Who may press each workflow button, through the pages, from one hand-written table.

Each step is posted by every persona on an assessment brought, through the services,
to the state the step starts from and ready for it (filled in, appraised). The
expected outcome is written out here, never derived from scoring.workflow: "moved"
(a redirect and the assessment in the step's target state), 403 (may see the file,
may not act), 404 (no role on it: the page does not tell it exists), or "login".
"""

import pytest
from django.urls import reverse

from scoring.models import Assessment
from scoring.services.appraisal import scores_accept
from tests.scoring.conftest import fill_in, move_to

pytestmark = pytest.mark.django_db
State = Assessment.State
PERSONAS = ("staff", "assigned", "unassigned", "editor_a", "head_a", "editor_b", "head_b")
OUTSIDERS = {"unassigned": 404, "editor_b": 404, "head_b": 404}

# step: (URL name, state it starts from, state it ends in, extra POST data, outcomes)
STEPS = {
    "submit": (
        "submit",
        None,
        State.SUBMITTED,
        {},
        {"head_a": "moved", "editor_a": 403, "staff": 403, "assigned": 403, **OUTSIDERS},
    ),
    "withdraw": (
        "withdraw",
        State.SUBMITTED,
        State.DRAFT,
        {},
        {"head_a": "moved", "editor_a": 403, "staff": 403, "assigned": 403, **OUTSIDERS},
    ),
    "reopen": (
        "reopen",
        State.SUBMITTED,
        State.DRAFT,
        {"reason": "Thiếu tài liệu kiểm chứng"},
        {"staff": "moved", "head_a": 403, "editor_a": 403, "assigned": 403, **OUTSIDERS},
    ),
    "start_appraisal": (
        "appraisal_start",
        State.SUBMITTED,
        State.IN_APPRAISAL,
        {},
        {"staff": "moved", "assigned": "moved", "head_a": 403, "editor_a": 403, **OUTSIDERS},
    ),
    "return": (
        "appraisal_return",
        State.IN_APPRAISAL,
        State.RETURNED,
        {},
        {"staff": "moved", "assigned": "moved", "head_a": 403, "editor_a": 403, **OUTSIDERS},
    ),
    "finalise": (
        "appraisal_finalise",
        State.IN_APPRAISAL,
        State.APPRAISED,
        {},
        {"staff": "moved", "assigned": "moved", "head_a": 403, "editor_a": 403, **OUTSIDERS},
    ),
    "explain": (
        "explain_send",
        State.RETURNED,
        State.EXPLAINED,
        {},
        {"head_a": "moved", "editor_a": 403, "staff": 403, "assigned": 403, **OUTSIDERS},
    ),
}


def ready_for(assessment, state, *, editor, head, staff) -> None:
    """The assessment in `state`, with everything the next step checks already done."""
    fill_in(assessment, editor)
    if state is None:
        return
    move_to(assessment, state, head=head, staff=staff)
    if state == State.IN_APPRAISAL:
        scores_accept(
            assessment=assessment,
            actor=staff,
            criterion_ids=list(assessment.framework.criteria.values_list("pk", flat=True)),
        )


@pytest.mark.parametrize("who", [*PERSONAS, "anonymous"])
@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_workflow_button_answers_each_persona_as_the_table_says(
    as_persona, assessment, assigned, editor_a, head_a, staff, step, who
):
    name, start, target, data, outcomes = STEPS[step]
    ready_for(assessment, start, editor=editor_a, head=head_a, staff=staff)
    before = Assessment.objects.get(pk=assessment.pk).state

    response = as_persona(who).post(reverse(f"assessments:{name}", args=[assessment.pk]), data)

    after = Assessment.objects.get(pk=assessment.pk).state
    expected = "login" if who == "anonymous" else outcomes[who]
    if expected == "moved":
        assert response.status_code == 302
        assert after == target
    else:
        if expected == "login":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == expected
        assert after == before


def test_the_table_names_every_persona_for_every_step():
    for _name, _start, _target, _data, outcomes in STEPS.values():
        assert set(outcomes) == set(PERSONAS)
