"""The admin edits reference data only: what every registered model answers to staff and
to a superuser, and POSTs to the read-only ones that change nothing.

The table is written by hand from the rule (DESIGN: "the admin is an operator's tool"),
not derived from the admin classes: a model registered without a row fails the test.
"""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc_portal.accounts.models import Invitation, LockoutRelease, RoleChange
from reports.publication_progress import PUBLISH_TASK_PATH
from scoring.models import (
    Assessment,
    AssessmentEvent,
    Campaign,
    CampaignBlock,
    Evidence,
    Framework,
    Result,
    Score,
)
from scoring.services.results import results_compute
from tests.factories import STAFF_GROUP, make_campaign, make_framework, make_user
from tests.reports.publication_data import appraised_campaign, draft_decision
from units.models import Membership, Province

pytestmark = pytest.mark.django_db

# Columns: changelist, add, change, delete, history.
# -: 403. The changelist and history: V, 200. The add and change pages: E, 200 with a save
# button; V, 200 shown read-only. The delete page: E, 200 (the confirmation).
ACCESS = {
    # record                                staff     superuser
    "auth.group": ("V-V-V", "VEEEV"),
    "auth.user": ("V-V-V", "VEEEV"),
    "axes.accessattempt": ("-----", "V-V-V"),
    "axes.accesslog": ("-----", "V-V-V"),
    "axes.accessfailurelog": ("-----", "V-V-V"),
    "accounts.lockoutrelease": ("-----", "V-V-V"),
    "accounts.rolechange": ("-----", "V-V-V"),
    "accounts.invitation": ("-----", "V-V-V"),
    "django_tasks_database.dbtaskresult": ("-----", "V-V-V"),
    "units.province": ("VEEEV", "VEEEV"),
    "units.block": ("VEEEV", "VEEEV"),
    "units.unit": ("VEEEV", "VEEEV"),
    "units.membership": ("V-V-V", "V-V-V"),
    "scoring.framework": ("VEEEV", "VEEEV"),
    "scoring.framework:locked": ("VEV-V", "VEV-V"),
    "scoring.criterion": ("VEEEV", "VEEEV"),
    "scoring.criterion:locked": ("VEV-V", "VEV-V"),
    "scoring.campaign": ("VEEEV", "VEEEV"),
    "scoring.campaign:published": ("VEV-V", "VEV-V"),
    "scoring.campaignblock": ("VEEEV", "VEEEV"),
    "scoring.campaignblock:published": ("VEV-V", "VEV-V"),
    "scoring.assessment": ("V-V-V", "V-V-V"),
    "scoring.assessmentevent": ("V-V-V", "V-V-V"),
    "scoring.score": ("V-V-V", "V-V-V"),
    "scoring.historicalscore": ("V-V-V", "V-V-V"),
    "scoring.evidence": ("V-V-V", "V-V-V"),
    "scoring.surveyresult": ("V-V-V", "V-V-V"),
    "scoring.result": ("V-V-V", "V-V-V"),
    "reports.decision": ("V-V-V", "V-V-V"),
}
PAGES = ("changelist", "add", "change", "delete", "history")
READ_ONLY = [key for key, (staff, superuser) in ACCESS.items() if superuser == "V-V-V"]


@pytest.fixture
def admin_staff(db):
    """Interior Department staff, who open the admin (is_staff) with the staff group's rights."""
    user = make_user(username="admin_staff", groups=(STAFF_GROUP,))
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def superuser(db):
    user = make_user(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def records(admin_staff):
    """One record of every registered model; a locked and a published variant where it matters."""
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    data = appraised_campaign(year=2015)
    unit, assessment = next(iter(data.units.values())), next(iter(data.assessments.values()))
    Membership.objects.create(user=admin_staff, unit=unit, role=Membership.Role.EDITOR)
    results_compute(campaign=data.campaign)
    score = Score.objects.filter(assessment=assessment).first()
    score.final_points = Decimal("1")
    score.save()
    decision = draft_decision(data.campaign)

    locked = make_framework(year=2014, block=unit.block)
    Framework.objects.filter(pk=locked.pk).update(locked=True)
    published = make_campaign(
        year=2014, frameworks=(locked,), status=Campaign.Status.PUBLISHED, name="2014"
    )
    unlocked = Framework.objects.filter(locked=False, year=2015).first()
    return {
        "auth.group": Group.objects.get(name=STAFF_GROUP),
        "auth.user": admin_staff,
        "axes.accessattempt": AccessAttempt.objects.create(
            user_agent="Firefox",
            ip_address="10.0.0.7",
            username="an",
            http_accept="*/*",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=2,
        ),
        "axes.accesslog": AccessLog.objects.create(
            user_agent="Firefox", ip_address="10.0.0.7", username="an", path_info="/"
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            user_agent="Firefox", ip_address="10.0.0.7", username="an", path_info="/"
        ),
        "accounts.lockoutrelease": LockoutRelease.objects.create(
            username="an", ip_address="10.0.0.7", failures=5, released_by=admin_staff
        ),
        "accounts.rolechange": RoleChange.objects.create(
            user=admin_staff,
            kind=RoleChange.Kind.GRANTED,
            role="unit_head",
            unit=unit,
            changed_by=admin_staff,
        ),
        "accounts.invitation": Invitation.objects.create(
            user=admin_staff, invited_by=admin_staff, queued_at=timezone.now()
        ),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {"decision_id": decision.pk}},
            task_path=PUBLISH_TASK_PATH,
            backend_name="default",
        ),
        "units.province": Province.objects.get(),
        "units.block": unit.block,
        "units.unit": unit,
        "units.membership": Membership.objects.get(user=admin_staff),
        "scoring.framework": unlocked,
        "scoring.framework:locked": locked,
        "scoring.criterion": unlocked.criteria.first(),
        "scoring.criterion:locked": locked.criteria.first(),
        "scoring.campaign": data.campaign,
        "scoring.campaign:published": published,
        "scoring.campaignblock": CampaignBlock.objects.filter(campaign=data.campaign).first(),
        "scoring.campaignblock:published": CampaignBlock.objects.get(campaign=published),
        "scoring.assessment": assessment,
        "scoring.assessmentevent": AssessmentEvent.objects.create(
            assessment=assessment,
            action="finalise",
            from_state=Assessment.State.EXPLAINED,
            to_state=Assessment.State.APPRAISED,
            actor=admin_staff,
        ),
        "scoring.score": score,
        "scoring.historicalscore": score.history.first(),
        "scoring.evidence": Evidence.objects.create(
            score=score,
            file="evidence/2015/" + "a" * 64,
            original_name="ke-hoach.pdf",
            content_type="application/pdf",
            size=3,
            sha256="a" * 64,
            uploaded_by=admin_staff,
        ),
        "scoring.surveyresult": _survey_result(assessment),
        "scoring.result": Result.objects.get(assessment=assessment),
        "reports.decision": decision,
    }


def _survey_result(assessment):
    from scoring.models import SurveyResult

    leaf = assessment.framework.criteria.filter(parent__isnull=False).first()
    return SurveyResult.objects.create(
        assessment=assessment, criterion=leaf, answer_counts={"A": 3}
    )


def admin_url(key: str, page: str, record) -> str:
    label = key.split(":")[0].replace(".", "_")
    args = [] if page in ("changelist", "add") else [record.pk]
    return reverse(f"admin:{label}_{page}", args=args)


def answer(page: str, response) -> str:
    if response.status_code == 403:
        return "-"
    assert response.status_code == 200, response.status_code
    if page in ("changelist", "history"):
        return "V"
    if page == "delete":
        return "E"
    return "E" if b'name="_save"' in response.content else "V"


def test_every_registered_model_has_a_row_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == {key.split(":")[0] for key in ACCESS}


@pytest.mark.parametrize("persona", ["admin_staff", "superuser"])
def test_each_admin_page_answers_as_the_table_says(client, records, persona, request):
    client.force_login(request.getfixturevalue(persona))
    column = 0 if persona == "admin_staff" else 1
    found, expected = {}, {}
    for key, row in ACCESS.items():
        found[key] = "".join(
            answer(page, client.get(admin_url(key, page, records[key]))) for page in PAGES
        )
        expected[key] = row[column]
    assert found == expected


def snapshot() -> dict[str, list[dict]]:
    """Every row of every read-only model, as the database holds it."""
    return {
        key: list(apps.get_model(key).objects.order_by("pk").values())
        for key in READ_ONLY
        if ":" not in key
    }


@pytest.mark.parametrize("persona", ["admin_staff", "superuser"])
def test_posts_to_read_only_records_change_nothing(client, records, persona, request):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    for key in READ_ONLY:
        record = records[key]
        for page, data in (("add", {}), ("change", {}), ("delete", {"post": "yes"})):
            assert client.post(admin_url(key, page, record), data).status_code == 403, key
        # The changelist's bulk delete is not offered, and refused when posted anyway.
        response = client.post(
            admin_url(key, "changelist", record),
            {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
        )
        assert response.status_code in (200, 302, 403), key
    assert snapshot() == before


def test_adding_a_score_is_refused_not_a_server_error(client, records, superuser):
    """The issue's POST /admin/scoring/score/add/ answered 500."""
    client.force_login(superuser)
    score = records["scoring.score"]
    scores = Score.objects.count()
    response = client.post(
        reverse("admin:scoring_score_add"),
        {
            "assessment": score.assessment_id,
            "criterion": score.criterion_id,
            "self_points": "1",
            "self_input": "{}",
        },
    )
    assert response.status_code == 403
    assert Score.objects.count() == scores


def test_a_membership_cannot_be_added_through_the_units_page(client, records, superuser):
    """The side door the testers used: making oneself head of a unit, then submitting for it."""
    client.force_login(superuser)
    unit = records["units.unit"]
    page = client.get(admin_url("units.unit", "change", unit))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["predecessors"] = []
    membership = records["units.membership"]
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-unit": unit.pk,
            "memberships-0-user": membership.user_id,
            "memberships-0-role": Membership.Role.HEAD,
            "memberships-1-unit": unit.pk,
            "memberships-1-user": superuser.pk,
            "memberships-1-role": Membership.Role.HEAD,
        }
    )
    data["name"] = "Sở Giáo dục và Đào tạo (tên mới)"
    response = client.post(admin_url("units.unit", "change", unit), data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Sở Giáo dục và Đào tạo (tên mới)"  # the unit itself is editable
    assert list(Membership.objects.values_list("user__username", "role")) == [
        ("admin_staff", Membership.Role.EDITOR)
    ]
