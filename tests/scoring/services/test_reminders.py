"""Reminders before a deadline: one mail per unit, its own missing items, in Vietnamese."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from scoring.models import Campaign, Score
from scoring.services.explanation import score_reply
from scoring.services.reminders import replies_missing
from scoring.services.self_assessment import SelfInput, score_self_assess, submission_problems
from tests.factories import make_assessment
from tests.scoring.conftest import fill_in, leaf, move_to

pytestmark = pytest.mark.django_db


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def set_deadlines(campaign, **deadlines) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(**deadlines)
    campaign.refresh_from_db()


def with_email(user, address: str):
    user.email = address
    user.save()
    return user


@pytest.fixture
def people(editor_a, head_a, editor_b, head_b):
    with_email(editor_a, "chuyenvien@sgddt.gov.vn")
    with_email(head_a, "giamdoc@sgddt.gov.vn")
    with_email(editor_b, "chuyenvien@sgtvt.gov.vn")
    with_email(head_b, "giamdoc@sgtvt.gov.vn")


@pytest.fixture
def other(assessment, unit_b):
    return make_assessment(campaign=assessment.campaign, unit=unit_b)


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def vietnamese(items) -> list[str]:
    with translation.override("vi"):
        return list(items())


def test_each_unit_gets_one_mail_with_its_own_missing_items(
    assessment, other, people, editor_a, editor_b, english
):
    set_deadlines(assessment.campaign, self_assessment_deadline=in_days(2))
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.2"),
        actor=editor_a,
        entry=SelfInput(level="Đúng hạn"),
    )
    score_self_assess(
        assessment=other,
        criterion=leaf(other, "1.1"),
        actor=editor_b,
        entry=SelfInput(points=D("1")),
    )
    out = run("--year", "2016")

    assert sorted(m.to for m in mail.outbox) == [
        ["chuyenvien@sgddt.gov.vn", "giamdoc@sgddt.gov.vn"],
        ["chuyenvien@sgtvt.gov.vn", "giamdoc@sgtvt.gov.vn"],
    ]
    bodies = {m.to[0]: m.body for m in mail.outbox}
    own_a = vietnamese(lambda: submission_problems(assessment))
    own_b = vietnamese(lambda: submission_problems(other))
    assert [item[:3] for item in own_a] == ["1.1", "1.3"]
    assert [item[:3] for item in own_b] == ["1.1", "1.2", "1.3"]
    assert all(f"- {item}" in bodies["chuyenvien@sgddt.gov.vn"] for item in own_a)
    assert all(f"- {item}" in bodies["chuyenvien@sgtvt.gov.vn"] for item in own_b)
    assert "1.2" not in bodies["chuyenvien@sgddt.gov.vn"]
    assert "Sở Giáo dục và Đào tạo" in bodies["chuyenvien@sgddt.gov.vn"]
    assert "Sở Giao thông vận tải" not in bodies["chuyenvien@sgddt.gov.vn"]
    assert out.splitlines() == [
        "Reminded Sở Giáo dục và Đào tạo (so-gddt) of 2 missing items: "
        "chuyenvien@sgddt.gov.vn, giamdoc@sgddt.gov.vn",
        "Reminded Sở Giao thông vận tải (so-gtvt) of 3 missing items: "
        "chuyenvien@sgtvt.gov.vn, giamdoc@sgtvt.gov.vn",
        "2 units reminded.",
    ]


def test_the_mail_is_in_the_portals_language(assessment, people, english):
    deadline = in_days(1)
    set_deadlines(assessment.campaign, self_assessment_deadline=deadline)
    run("--year", "2016")
    (message,) = mail.outbox
    # The label comes from the model, already translated: proof the mail was rendered in vi.
    local = timezone.localtime(deadline).strftime("%d/%m/%Y %H:%M")
    assert f"Hạn tự đánh giá: {local}" in message.body
    assert timezone.localtime(deadline).strftime("%d/%m/%Y") in message.subject


def test_complete_units_and_far_or_past_deadlines_get_nothing(
    assessment, other, people, editor_a, english
):
    fill_in(assessment, editor_a)
    set_deadlines(assessment.campaign, self_assessment_deadline=in_days(5))
    assert run("--year", "2016") == "0 units reminded.\n"
    out = run("--year", "2016", "--days", "7")
    # Unit A has done everything: only unit B hears.
    assert [m.to for m in mail.outbox] == [["chuyenvien@sgtvt.gov.vn", "giamdoc@sgtvt.gov.vn"]]
    assert out.startswith("Reminded Sở Giao thông vận tải (so-gtvt) of 3 missing items")
    mail.outbox.clear()
    set_deadlines(assessment.campaign, self_assessment_deadline=in_days(-1))
    assert run("--year", "2016", "--days", "30") == "0 units reminded.\n"
    assert mail.outbox == []


def test_submitted_units_are_not_reminded(assessment, people, editor_a, head_a, english):
    fill_in(assessment, editor_a)
    score = Score.objects.get(criterion=leaf(assessment, "1.1"))
    assert score.self_explanation  # evidence explained: nothing missing
    move_to(assessment, "submitted", head=head_a, staff=None)
    Score.objects.filter(pk=score.pk).update(self_points=None)  # would be missing in a draft
    set_deadlines(assessment.campaign, self_assessment_deadline=in_days(1))
    assert run("--year", "2016") == "0 units reminded.\n"


def test_a_dry_run_prints_and_sends_nothing(assessment, people, english):
    set_deadlines(assessment.campaign, self_assessment_deadline=in_days(1))
    out = run("--year", "2016", "--dry-run")
    assert mail.outbox == []
    assert out.splitlines() == [
        "Would remind Sở Giáo dục và Đào tạo (so-gddt) of 3 missing items: "
        "chuyenvien@sgddt.gov.vn, giamdoc@sgddt.gov.vn",
        "Dry run: nothing was sent.",
    ]


def test_a_unit_without_addresses_is_named_but_not_mailed(assessment, editor_a, english):
    set_deadlines(assessment.campaign, self_assessment_deadline=in_days(1))
    out = run("--year", "2016")
    assert mail.outbox == []
    assert out.splitlines() == [
        "Sở Giáo dục và Đào tạo (so-gddt): 3 items missing, "
        "but nobody with an e-mail address to remind.",
        "0 units reminded.",
    ]


def test_returned_units_are_reminded_of_the_leaves_without_a_reply(
    assessment, people, editor_a, head_a, staff, english
):
    fill_in(assessment, editor_a)
    move_to(assessment, "returned", head=head_a, staff=staff)
    lowered = Score.objects.get(criterion=leaf(assessment, "1.1"))
    lowered.appraised_points, lowered.appraisal_note = D("1"), "Kế hoạch ban hành muộn"
    lowered.save()
    set_deadlines(
        assessment.campaign,
        self_assessment_deadline=in_days(-10),
        explanation_deadline=in_days(2),
    )
    out = run("--year", "2016")
    (message,) = mail.outbox
    assert message.to == ["chuyenvien@sgddt.gov.vn", "giamdoc@sgddt.gov.vn"]
    (item,) = vietnamese(lambda: replies_missing(assessment))
    assert item.startswith("1.1")
    assert f"- {item}" in message.body
    assert "Hạn giải trình" in message.body
    assert out.startswith("Reminded Sở Giáo dục và Đào tạo (so-gddt) of 1 missing item:")

    mail.outbox.clear()
    score_reply(score=lowered, actor=editor_a, reply="Kế hoạch ban hành ngày 05/01, kèm văn bản")
    assert run("--year", "2016") == "0 units reminded.\n"
    assert mail.outbox == []


def test_the_command_checks_its_arguments(assessment, english):
    with pytest.raises(CommandError, match="No campaign for 2030"):
        run("--year", "2030")
    with pytest.raises(CommandError, match="--days must be 0 or more."):
        run("--year", "2016", "--days", "-1")
