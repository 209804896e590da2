"""A small campaign ready to publish, and its draft decision (drafting and publication tests)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from reports.models import Decision
from scoring.models import Assessment, Score
from tests.factories import make_assessment, make_campaign, make_framework


@pytest.fixture
def campaign(unit_a, unit_b):
    """2015, one block, both units appraised: 9 of 10 and 6 of 10 points."""
    framework = make_framework(year=2015, block=unit_a.block)
    campaign = make_campaign(year=2015, frameworks=(framework,))
    leaves = list(framework.criteria.filter(parent__isnull=False).order_by("code"))
    for unit, points in ((unit_a, ("5", "4")), (unit_b, ("3", "3"))):
        assessment = make_assessment(campaign=campaign, unit=unit, state=Assessment.State.APPRAISED)
        for leaf, value in zip(leaves, points, strict=True):
            Score.objects.create(
                assessment=assessment,
                criterion=leaf,
                self_points=D(value),
                appraised_points=D(value),
                final_points=D(value),
            )
    return campaign


@pytest.fixture
def draft(campaign) -> Decision:
    return Decision.objects.create(
        campaign=campaign,
        number="2491/QĐ-UBND",
        signed_on=dt.date(2016, 10, 17),
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject="Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lê Thành Trí",
        legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương;"],
        articles=["Phê duyệt.", "Khắc phục.", "Thi hành./."],
        recipients=["Như Điều 3;", "Lưu: VT, NC."],
    )


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    """The queue in the database, as in production (the suite runs tasks at once otherwise)."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def stopped_worker(database_queue, staff, draft) -> Decision:
    """A publication whose worker was killed mid-way, an hour ago.

    What such a worker leaves: its task row RUNNING (django-tasks-db never looks at it
    again), the decision "publishing" since it started, and nothing else, since its
    transaction rolled back. The hour is far past any publication's time limit.
    """
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from reports.services.publication_queue import decision_publication_request

    decision_publication_request(decision=draft, actor=staff)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    task = DBTaskResult.objects.get()
    task.claim("worker-killed-an-hour-ago")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=an_hour_ago)
    Decision.objects.filter(pk=draft.pk).update(
        publication_requested_at=an_hour_ago, publication_started_at=an_hour_ago
    )
    draft.refresh_from_db()
    return draft
