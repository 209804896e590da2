"""The whole assessment cycle in Chromium, one person after another.

The framework, the campaign, the people and the appraiser's assignment are set up
through the factories and services; the cycle itself goes through the browser: the
unit's editor scores every leaf and attaches a document, its head submits; the
appraiser starts the appraisal, lowers one criterion with a note and accepts the
rest, and returns it; the editor replies; the head sends the explanation; the
appraiser reads what accepting the reply would change, accepts it and finalises;
staff look at the dashboard.

Pages are reached by their addresses and buttons by their forms' actions, not by
their wording, which translators may change.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from scoring.models import Assessment, SurveyAnswer, SurveyResult
from scoring.services.appraisal import appraiser_assign
from scoring.services.results import results_compute
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.steps import (
    leaf,
    log_in,
    log_out,
    open_review,
    post_button,
    score_level,
    score_points,
    score_ratio,
    submit,
    upload_evidence,
)
from tests.factories import (
    APPRAISER_GROUP,
    STAFF_GROUP,
    make_assessment,
    make_block,
    make_campaign,
    make_framework_tree,
    make_unit,
    make_user,
)
from units.models import Membership, Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person(username: str, first: str, last: str, **kwargs):
    user = make_user(username=username, **kwargs)  # password "pw"
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def cycle(db, settings, tmp_path):
    """Sở GD&ĐT's draft on the 2016 framework; two other departments already appraised."""
    settings.MEDIA_ROOT = tmp_path
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    block = make_block()
    framework = make_framework_tree(year=2016, block=block, name="Bộ tiêu chí sở 2016")
    campaign = make_campaign(
        year=2016, frameworks=(framework,), tiers=(("Tốt", "80"), ("Khá", "65"))
    )
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=Decimal("100"))
    SurveyAnswer.objects.create(campaign=campaign, code="B", weight_percent=Decimal("60"))
    unit = make_unit(name="Sở Giáo dục và Đào tạo", short_name="Sở GD&ĐT", block=block)
    staff = person("nguyenvanan", "An", "Nguyễn Văn", groups=(STAFF_GROUP,))
    appraiser = person("tranthibinh", "Bình", "Trần Thị", groups=(APPRAISER_GROUP,))
    person("leminhchau", "Châu", "Lê Minh", unit=unit, role=Membership.Role.EDITOR)
    person("phamquocdung", "Dũng", "Phạm Quốc", unit=unit, role=Membership.Role.HEAD)

    leaves = {c.code: c for c in framework.criteria.filter(children__isnull=True)}
    survey_leaf = leaves.pop("2.1")

    def appraised_unit(name: str, points: dict[str, str], answers: dict[str, int]):
        other = make_assessment(
            campaign=campaign,
            unit=make_unit(name=name, block=block),
            state=Assessment.State.APPRAISED,
        )
        for code, value in points.items():
            other.scores.create(
                criterion=leaves[code],
                self_points=Decimal(value),
                appraised_points=Decimal(value),
                final_points=Decimal(value),
            )
        SurveyResult.objects.create(assessment=other, criterion=survey_leaf, answer_counts=answers)

    appraised_unit(
        "Sở Giao thông vận tải",
        {"1.1": "1", "1.2.1": "1.5", "1.2.2": "0.5", "2.2": "1", "2.10": "0.5", "3.1": "0"},
        {"A": 9, "B": 1},
    )
    appraised_unit(
        "Sở Tài chính",
        {"1.1": "0.5", "1.2.1": "1.25", "1.2.2": "0.5", "2.2": "1", "2.10": "0.5", "3.1": "0"},
        {"A": 7, "B": 3},
    )

    assessment = make_assessment(campaign=campaign, unit=unit)  # a draft
    SurveyResult.objects.create(
        assessment=assessment, criterion=survey_leaf, answer_counts={"A": 6, "B": 4}
    )
    appraiser_assign(campaign=campaign, unit=unit, appraiser=appraiser, actor=staff)
    # The other departments' results, for the rank in the what-if line.
    results_compute(campaign=campaign)
    return {"assessment": assessment, "leaf": leaves["1.1"]}


def test_the_appraisal_cycle(page: Page, live_server, cycle, screenshot):
    assessment = cycle["assessment"]
    base = live_server.url
    self_url = reverse("assessments:self_assessment", args=[assessment.pk])
    appraise_url = reverse("assessments:appraise", args=[assessment.pk])
    explain_url = reverse("assessments:explain", args=[assessment.pk])

    # -- the unit's editor scores every leaf and attaches the plan ----------------------
    log_in(page, base, "leminhchau")
    page.goto(base + self_url)
    expect(page.locator("h1 .badge.state-draft")).to_be_visible()
    screenshot("cycle-self-assessment-empty-desktop")
    score_level(page, "1.1", "Đúng hạn", "Kế hoạch số 125/KH-SGDĐT ngày 10/12/2015")
    score_points(page, "1.2.1", "1.5", "Hoàn thành 100% nhiệm vụ")
    score_ratio(page, "1.2.2", "46", "48")
    expect(leaf(page, "1.2.2").locator(".ratio-result")).to_contain_text("95,83%")
    score_points(page, "2.2", "1")
    score_points(page, "2.10", "0.5")
    score_points(page, "3.1", "0")
    documents = upload_evidence(
        page,
        "1.1",
        "ke-hoach-125.pdf",
        number="125/KH-SGDĐT",
        date="10/12/2015",
        issuer="Sở Giáo dục và Đào tạo",
    )
    expect(documents).to_contain_text("125/KH-SGDĐT")
    expect(page.locator(".progress").first).to_have_attribute("aria-valuenow", "100")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("cycle-self-assessment-scored-desktop")

    # -- the head reviews and submits ----------------------------------------------------
    log_out(page)
    log_in(page, base, "phamquocdung")
    open_review(page, base, assessment.pk)
    expect(page.locator(".review-table tfoot")).to_contain_text("4,5")  # 1 + 1,5 + 0,5 + 1 + 0,5
    screenshot("cycle-review-desktop")
    submit(page, assessment.pk)
    screenshot("cycle-submitted-desktop")

    score = assessment.scores.get(criterion=cycle["leaf"])
    points, note = f"#id_s{score.pk}-points", f"#id_s{score.pk}-note"

    # -- the appraiser starts, lowers 1.1, accepts the rest, returns it --------------
    log_out(page)
    log_in(page, base, "tranthibinh")
    page.goto(base + reverse("assessments:appraisal_list"))
    expect(page.locator("main table")).to_contain_text("Sở Giáo dục và Đào tạo")
    screenshot("appraisal-worklist-desktop")
    page.locator(f'main table a[href="{appraise_url}"]').first.click()
    expect(page.locator("main")).to_contain_text("Kế hoạch số 125/KH-SGDĐT ngày 10/12/2015")
    expect(page.locator("main")).to_contain_text("ke-hoach-125.pdf")
    screenshot("appraisal-submitted-desktop")
    post_button(page, reverse("assessments:appraisal_start", args=[assessment.pk])).click()
    expect(page.locator(".badge.state-in_appraisal")).to_be_visible()

    page.locator(points).fill("0.5")
    page.locator("#leaf-1\\.1 form button[type=submit]").click()
    # No note: refused, and the typed points are still there.
    expect(page.locator("#leaf-1\\.1")).to_contain_text("1.1")
    expect(page.locator("#leaf-1\\.1 .alert")).to_be_visible()
    expect(page.locator(points)).to_have_value("0.5")
    # The refused field has the focus, so a long page opens where the problem is.
    expect(page.locator(points)).to_be_focused()
    screenshot("appraisal-refused-desktop")
    page.locator(note).fill("Kế hoạch ban hành ngày 28/12/2015, sau hạn 15/12.")
    page.locator("#leaf-1\\.1 form button[type=submit]").click()
    # Saved, and shown back as the Vietnamese page writes it.
    expect(page.locator(points)).to_have_value("0,5")

    for box in page.locator('input[name="criteria"]').all():
        if box.get_attribute("data-unappraised") is not None:
            box.check()
    page.locator("#accept-selected button[type=submit]").click()
    expect(page.locator("#appraised-label")).to_contain_text("6")
    screenshot("appraisal-appraised-desktop")
    post_button(page, reverse("assessments:appraisal_return", args=[assessment.pk])).click()
    expect(page.locator(".badge.state-returned")).to_be_visible()

    # -- the unit's editor replies on the lowered leaf ----------------------------------
    log_out(page)
    log_in(page, base, "leminhchau")
    page.goto(base + explain_url)
    expect(page.locator("main")).to_contain_text("sau hạn 15/12")
    reply = f"#id_s{score.pk}-reply"
    page.locator(reply).fill(
        "Kế hoạch được ký ngày 10/12/2015 (Kế hoạch số 125/KH-SGDĐT); ngày 28/12 là ngày "
        "đăng trên cổng thông tin. Đề nghị giữ 1 điểm."
    )
    post_button(page, reverse("assessments:explain_reply", args=[assessment.pk, score.pk])).click()
    expect(page.locator(reply)).to_have_value(
        "Kế hoạch được ký ngày 10/12/2015 (Kế hoạch số 125/KH-SGDĐT); ngày 28/12 là ngày "
        "đăng trên cổng thông tin. Đề nghị giữ 1 điểm."
    )
    screenshot("explain-editor-desktop")
    page.set_viewport_size(PHONE)
    screenshot("explain-editor-phone")
    page.set_viewport_size(DESKTOP)

    # -- the head sends the explanation -------------------------------------------------
    log_out(page)
    log_in(page, base, "phamquocdung")
    page.goto(base + explain_url)
    post_button(page, reverse("assessments:explain_send", args=[assessment.pk])).click()
    expect(page.locator(".badge.state-explained")).to_be_visible()
    screenshot("explain-sent-desktop")

    # -- the appraiser weighs the reply, accepts it and finalises ------------------------
    log_out(page)
    log_in(page, base, "tranthibinh")
    page.goto(base + appraise_url)
    whatif = page.locator("#leaf-1\\.1 .whatif")
    expect(whatif).to_be_visible()
    expect(whatif).to_contain_text("→")
    screenshot("appraisal-whatif-desktop")
    page.set_viewport_size(PHONE)
    screenshot("appraisal-whatif-phone")
    page.set_viewport_size(DESKTOP)
    accept = reverse("assessments:appraise_accept_reply", args=[assessment.pk, score.pk])
    page.locator(f"#id_r{score.pk}-note").fill("Hội đồng chấp nhận giải trình.")
    post_button(page, accept).click()
    expect(page.locator("#leaf-1\\.1 .badge")).to_be_visible()
    post_button(page, reverse("assessments:appraisal_finalise", args=[assessment.pk])).click()
    expect(page.locator(".badge.state-appraised")).to_be_visible()
    screenshot("appraisal-final-desktop")
    score.refresh_from_db()
    assert score.final_points == Decimal("1")

    page.goto(base + reverse("assessments:score_history", args=[assessment.pk, score.pk]))
    expect(page.locator("main tbody tr")).to_have_count(4)
    screenshot("score-history-desktop")

    # -- staff see the campaign ----------------------------------------------------------
    log_out(page)
    log_in(page, base, "nguyenvanan")
    page.goto(base + reverse("campaigns:campaign_detail", args=[2016]))
    page.locator(f'a[href="{reverse("campaigns:campaign_dashboard", args=[2016])}"]').click()
    expect(page.locator("main .dashboard-table")).to_contain_text("Sở Giáo dục và Đào tạo")
    screenshot("campaign-dashboard-desktop")
    page.set_viewport_size(PHONE)
    screenshot("campaign-dashboard-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(base + reverse("campaigns:campaign_appraisers", args=[2016]))
    expect(page.locator("main table")).to_contain_text("Trần Thị Bình")
    screenshot("campaign-appraisers-desktop")
