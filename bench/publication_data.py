"""The publication benchmark's data on top of the generated campaign: every assessment
appraised, a staff member who publishes, a draft decision; and removing them again."""

import sys
from datetime import date

from bench import bench_database, campaign_data

TASK_PATH = "reports.services.publication_queue.publish_decision"


def refuse_foreign_tasks(connection) -> None:
    """Exit if the task queue holds anything but this bench's publications."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult._meta.db_table not in connection.introspection.table_names():
        return
    if DBTaskResult.objects.exclude(task_path=TASK_PATH).exists():
        sys.exit("Refusing to run: the database holds tasks of its own (django_tasks_db).")


def appraise_all(campaign) -> int:
    """Every assessment appraised: publication refuses a campaign with any other state.

    The generator leaves one in ten in appraisal and one in ten submitted; those have
    scores without final points, which the computation then reads as appraised or claimed.
    """
    from scoring.models import Assessment

    return Assessment.objects.filter(campaign=campaign).update(state=Assessment.State.APPRAISED)


def bench_staff():
    """The Interior Department staff member who publishes (the services check the actor)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from units.models import STAFF_GROUP

    staff, _created = get_user_model().objects.get_or_create(username="bench-staff")
    staff.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    return staff


def draft_decision(campaign):
    """A draft as the drafting page leaves it (the fields of tests/reports' `draft`)."""
    from reports.models import Decision

    return Decision.objects.create(
        campaign=campaign,
        number="1/QĐ-UBND",
        signed_on=date(campaign_data.BENCH_YEAR + 1, 2, 3),
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject=f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {campaign_data.BENCH_YEAR}",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
        legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
        articles=["Phê duyệt.", "Khắc phục.", "Thi hành./."],
        recipients=["Như Điều 3;", "Lưu: VT, NC."],
    )


def delete_publication_data() -> None:
    """The bench campaigns' decisions, frozen rows, workflow events and queued tasks.

    They protect the campaign, units and each other, so they go before the generator's
    own delete_bench_data. Only bench data is ever here (refuse_foreign_data).
    """
    from django_tasks_db.models import DBTaskResult

    from reports.models import Decision, PublishedResult
    from scoring.models import AssessmentEvent

    decisions = Decision.objects.filter(campaign__name__startswith=bench_database.BENCH_NAME)
    PublishedResult.objects.filter(decision__in=decisions).delete()
    decisions.update(supersedes=None)  # a correction protects the decision it corrects
    decisions.delete()
    AssessmentEvent.objects.filter(
        assessment__campaign__name__startswith=bench_database.BENCH_NAME
    ).delete()
    DBTaskResult.objects.filter(task_path=TASK_PATH).delete()
