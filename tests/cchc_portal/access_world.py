"""The small world the access matrix walks: one of everything a URL of the portal can name.

Unit A (so-gddt) has an assessment in three campaigns, one per workflow state the
matrix visits (draft 2016, in appraisal 2017, returned for explanation 2018), each with
a score, an evidence file and the appraiser assigned to it. Unit B (so-gtvt) is the
outsider's unit. 2014 and 2015 are published (tests.reports.factories), with unit A in
2015; a draft decision waits on the 2016 campaign, whose results are computed. Staff
have created an account for a new editor of unit A, invited and not yet arrived: the
accounts pages' account.
"""

from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc_portal.accounts.services.accounts import account_create
from reports.models import Decision
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Evidence,
    Framework,
    Score,
    SurveyResult,
)
from scoring.services.appraisal import (
    appraiser_assign,
    assessment_return,
    assessment_start_appraisal,
    scores_accept,
)
from scoring.services.evidence import evidence_attach
from scoring.services.results import results_compute
from scoring.services.self_assessment import SelfInput, assessment_submit, score_self_assess
from tests.factories import (
    APPRAISER_GROUP,
    STAFF_GROUP,
    make_assessment,
    make_campaign,
    make_framework,
    make_unit,
    make_user,
)
from tests.reports.factories import make_decision, make_published_years, make_row
from units.models import Membership, Province, Unit

PERSONAS = ("anonymous", "staff", "appraiser", "editor_a", "head_a", "editor_b", "head_b")
STATE_YEARS = {"draft": 2016, "in_appraisal": 2017, "returned": 2018}
PUBLISHED_YEAR = 2015
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class StateObjects:
    """What the assessment URLs of one workflow state point at."""

    assessment: Assessment
    score: Score
    evidence: Evidence


@dataclass
class World:
    unit_a: Unit
    account: User
    framework: Framework
    assignment: AppraiserAssignment
    draft: Decision
    published: Decision
    sessions: dict[str, str]
    states: dict[str, StateObjects] = field(default_factory=dict)
    admin_ids: dict[str, object] = field(default_factory=dict)  # "app.model" → a pk, or None
    media: Path | None = None  # where the world's files are


def _move(assessment: Assessment, state: str, *, head: User, staff: User) -> None:
    """Along the workflow through its services, up to `state`."""
    if state == "draft":
        return
    assessment_submit(assessment=assessment, actor=head)
    assessment.refresh_from_db()
    assessment_start_appraisal(assessment=assessment, actor=staff)
    assessment.refresh_from_db()
    if state == "returned":
        leaves = list(assessment.framework.criteria.values_list("pk", flat=True))
        scores_accept(assessment=assessment, actor=staff, criterion_ids=leaves)
        assessment_return(assessment=assessment, actor=staff)
    assessment.refresh_from_db()
    assert assessment.state == state


def build_world() -> World:
    # Staff have the Django admin as an operator's tool, as the demo's staff account does.
    staff = make_user(username="staff", groups=(STAFF_GROUP,))
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    people = {
        "staff": staff,
        "appraiser": make_user(username="appraiser", groups=(APPRAISER_GROUP,)),
    }
    years = make_published_years()
    block = years["units"]["gd"].block
    unit_a = make_unit(name="Sở Giáo dục và Đào tạo (A)", code="so-gddt", block=block)
    unit_b = make_unit(name="Sở Giao thông vận tải (B)", code="so-gtvt", block=block)
    for name, unit, role in (
        ("editor_a", unit_a, Membership.Role.EDITOR),
        ("head_a", unit_a, Membership.Role.HEAD),
        ("editor_b", unit_b, Membership.Role.EDITOR),
        ("head_b", unit_b, Membership.Role.HEAD),
    ):
        people[name] = make_user(username=name, unit=unit, role=role)
    published = years["decisions"][PUBLISHED_YEAR]
    make_row(decision=published, unit=unit_a, rank=3, index="75", tier="Khá")
    published.pdf.save(f"decisions/{PUBLISHED_YEAR}.pdf", ContentFile(PDF), save=False)
    # A published decision refuses save(): the stored file's name goes in by update.
    Decision.objects.filter(pk=published.pk).update(pdf=published.pdf.name)

    staff, head_a = people["staff"], people["head_a"]
    states = {}
    for state, year in STATE_YEARS.items():
        framework = make_framework(year=year, block=block)
        campaign = make_campaign(year=year, frameworks=(framework,))
        assessment = make_assessment(campaign=campaign, unit=unit_a)
        make_assessment(campaign=campaign, unit=unit_b)
        assignment = appraiser_assign(
            campaign=campaign, unit=unit_a, appraiser=people["appraiser"], actor=staff
        )
        for leaf in framework.criteria.filter(parent__isnull=False).order_by("code"):
            score = score_self_assess(
                assessment=assessment,
                criterion=leaf,
                actor=people["editor_a"],
                entry=SelfInput(points=D("4"), explanation="Kế hoạch số 12/KH"),
            )
        evidence = evidence_attach(
            assessment=assessment,
            criterion=score.criterion,
            actor=people["editor_a"],
            file=SimpleUploadedFile("ke-hoach.pdf", PDF),
            name="ke-hoach.pdf",
        )
        _move(assessment, state, head=head_a, staff=staff)
        states[state] = StateObjects(assessment=assessment, score=score, evidence=evidence)
        if state == "draft":
            first = (framework, campaign, assignment)
    framework, campaign, assignment = first
    results_compute(campaign=campaign)
    draft = make_decision(campaign=campaign, status=Decision.Status.DRAFT)
    # Its role change and its invitation are what the admin's pages of them show.
    account = account_create(
        actor=staff,
        username="editor_a_new",
        full_name="Nguyễn Thị Mới",
        email="moi.so-gddt@example.org",
        unit=unit_a,
        role=Membership.Role.EDITOR,
    )
    # Rows the admin's pages can show: one of each model the staff may open there.
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    SurveyResult.objects.create(
        assessment=states["draft"].assessment,
        criterion=states["draft"].score.criterion,
        respondent_group="Người dân",
        answer_counts={"A": 3, "B": 1},
    )
    # The personas' logins first: each writes an access log the admin's pages show.
    sessions = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.session.session_key
    admin_ids = {
        model._meta.label_lower: model._default_manager.order_by("pk")
        .values_list("pk", flat=True)
        .first()
        for model in admin.site._registry
    }
    return World(
        unit_a=unit_a,
        account=account,
        framework=framework,
        assignment=assignment,
        draft=draft,
        published=published,
        sessions=sessions,
        states=states,
        admin_ids=admin_ids,
    )
