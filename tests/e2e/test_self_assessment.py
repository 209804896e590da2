"""A unit's self-assessment in the browser: the editor scores three kinds of criteria and
attaches a document, the head reviews and submits; screenshots of each screen.

Elements are found by their anchors and form actions rather than by their text, which
translators may still change.
"""

from decimal import Decimal as D

import pytest
from playwright.sync_api import Page, expect

from scoring.models import Assessment, Campaign, Criterion, Framework
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.steps import (
    leaf,
    log_in,
    log_out,
    open_review,
    save_leaf,
    score_level,
    score_points,
    score_ratio,
    submit,
    upload_evidence,
)
from tests.factories import make_assessment, make_block, make_campaign, make_unit, make_user
from units.models import Membership, Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_assessment(settings, tmp_path) -> Assessment:
    settings.MEDIA_ROOT = tmp_path
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    block = make_block()
    unit = make_unit(name="Sở Giáo dục và Đào tạo", short_name="Sở GD&ĐT", block=block)
    framework = Framework.objects.create(year=2016, block=block, name="Bộ tiêu chí sở 2016")

    def node(code, title, max_points, parent=None, **extra):
        return Criterion.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            title=title,
            max_points=D(max_points),
            **extra,
        )

    area1 = node("1", "Công tác chỉ đạo, điều hành CCHC", "5")
    node(
        "1.1",
        "Ban hành kế hoạch CCHC năm đúng thời hạn",
        "1",
        area1,
        method="levels",
        evidence_required=True,
        guidance="Kế hoạch ban hành trước ngày 15/12 của năm trước.",
        scale=[
            {"label": "Đúng hạn", "points": "1"},
            {"label": "Trễ hạn", "points": "0.5"},
            {"label": "Không ban hành", "points": "0"},
        ],
    )
    node(
        "1.2",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "2",
        area1,
        method="ratio",
        scale=[{"min_percent": "95", "points": "2"}, {"min_percent": "80", "points": "1"}],
    )
    node("1.3", "Kiểm tra công tác CCHC", "2", area1, step=D("0.25"), na_allowed=True)
    area2 = node("2", "Tác động của CCHC", "3")
    node("2.1", "Mức độ hài lòng của người dân", "3", area2, method="survey")
    campaign = make_campaign(
        year=2016, frameworks=(framework,), status=Campaign.Status.SELF_ASSESSMENT
    )
    make_user(username="chau.editor", unit=unit, role=Membership.Role.EDITOR)
    make_user(username="dung.head", unit=unit, role=Membership.Role.HEAD)
    return make_assessment(campaign=campaign, unit=unit)


def test_the_unit_fills_in_and_submits_its_self_assessment(
    page: Page, live_server, open_assessment, screenshot
):
    assessment = open_assessment
    base = live_server.url
    detail = f"/assessments/{assessment.pk}/"

    # The editor finds the assessment from the menu.
    log_in(page, base, "chau.editor")
    page.locator(f'nav.portal-nav a[href="{detail}"]').click()
    expect(page.locator("h1 .badge.state-draft")).to_be_visible()
    page.locator(f'.assessment-tabs a[href="{detail}self/"]').click()
    expect(leaf(page, "2.1").locator("input")).to_have_count(0)  # survey: nothing to enter

    # A level
    leaf(page, "1.1").locator("summary").first.click()
    expect(leaf(page, "1.1").locator(".guidance")).to_be_visible()
    score_level(page, "1.1", "Trễ hạn")
    expect(page.locator(".portal-messages")).to_contain_text("1.1")
    expect(leaf(page, "1.1").locator(".badge.mark-status-done")).to_contain_text("0,5")

    # A ratio: the points and the percentage show once saved
    score_ratio(page, "1.2", "90", "100")
    expect(leaf(page, "1.2").locator(".ratio-result")).to_contain_text("90%")
    expect(leaf(page, "1.2").locator(".badge.mark-status-done")).to_contain_text("1")

    # Direct points, typed with the keyboard, and an explanation
    score_points(page, "1.3", "1.75", "Biên bản kiểm tra 3 phòng")
    expect(leaf(page, "1.3").locator(".badge.mark-status-done")).to_contain_text("1,75")

    # A document for 1.1, with its number, date and issuer
    documents = upload_evidence(
        page,
        "1.1",
        "ke-hoach-cchc-2016.pdf",
        number="125/KH-SGDĐT",
        date="05/01/2016",
        issuer="Sở Giáo dục và Đào tạo",
    )
    expect(documents).to_contain_text("125/KH-SGDĐT")
    expect(documents).to_contain_text("05/01/2016")
    expect(leaf(page, "1.1").locator(".badge.mark-missing")).to_have_count(0)

    # Progress: everything the unit scores is filled in
    expect(page.locator(".progress").first).to_have_attribute("aria-valuenow", "100")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("self-assessment-sheet-desktop")
    page.set_viewport_size(PHONE)
    screenshot("self-assessment-sheet-phone")
    page.set_viewport_size(DESKTOP)
    page.locator(f'.assessment-tabs a[href="{detail}"]').click()
    expect(page.locator(".progress")).to_have_attribute("aria-valuenow", "100")
    screenshot("assessment-detail-editor-desktop")

    # The head reviews and submits.
    log_out(page)
    log_in(page, base, "dung.head")
    open_review(page, base, assessment.pk)
    expect(page.locator(".review-table tfoot")).to_contain_text("3,25")  # 0,5 + 1 + 1,75
    screenshot("assessment-review-desktop")
    submit(page, assessment.pk)
    expect(page.locator("#assessment-history ~ div table")).to_contain_text("dung.head")
    screenshot("assessment-submitted-desktop")

    # Submitted: the sheet is read-only now.
    page.locator(f'.assessment-tabs a[href="{detail}self/"]').click()
    expect(page.locator("form.score-form")).to_have_count(0)
    expect(leaf(page, "1.3")).to_contain_text("Biên bản kiểm tra 3 phòng")
    screenshot("self-assessment-read-only-desktop")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED


def test_a_vietnamese_browser_takes_points_typed_with_a_decimal_comma(
    browser, live_server, open_assessment
):
    # A vi-VN Chromium used to turn "1,75" typed in a number input into 175 (issue 13).
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "chau.editor")
        page.goto(f"{live_server.url}/assessments/{open_assessment.pk}/self/")
        field = leaf(page, "1.3").locator("input[name$='-points']")
        field.press_sequentially("1,75")
        expect(field).to_have_value("1,75")
        save_leaf(page, "1.3")
        expect(leaf(page, "1.3").locator(".badge.mark-status-done")).to_contain_text("1,75")
        expect(leaf(page, "1.3").locator("input[name$='-points']")).to_have_value("1,75")
    finally:
        context.close()
    score = open_assessment.scores.get(criterion__code="1.3")
    assert score.self_points == D("1.75")
