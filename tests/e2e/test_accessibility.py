"""axe-core on the portal's key pages at phone and laptop width, and the ranking tables' fit.

axe runs the WCAG 2.x A and AA rules and the best-practice ones; every page must come
out with no violation. The script is put into the page through the DevTools protocol
(page.evaluate), which a Content-Security-Policy without inline scripts does not block.

The tables: at 390 px the first row's index is on screen without scrolling sideways;
at 1366 px a ranking of eight areas (with deductions and bonus) fits without a scroll bar.
"""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reports.models import PublishedResult
from scoring.models import Assessment, Criterion, SurveyAnswer
from scoring.services.evidence import evidence_attach
from scoring.services.results import results_compute
from tests.e2e.steps import PDF, log_in
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
from tests.reports.factories import make_published_years
from units.models import Membership, Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
WIDTHS = [pytest.param(PHONE, id="390"), pytest.param(LAPTOP, id="1366")]

# Eight areas, as in the 2021–2030 frameworks, and names as long as real ones.
AREAS = [
    "Công tác chỉ đạo, điều hành CCHC",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    "Tác động của cải cách hành chính đến người dân, tổ chức",
]
LONG_NAMES = [
    "Sở Lao động - Thương binh và Xã hội",
    "Ban Quản lý các Khu công nghiệp tỉnh",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Đài Phát thanh và Truyền hình tỉnh",
]


def axe_violations(page: Page) -> list[dict]:
    page.evaluate(AXE)
    result = page.evaluate(
        """tags => axe.run(document, {
          runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
        })""",
        AXE_TAGS,
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
    ]


def violations_of(page: Page, name: str) -> list[dict]:
    """The page's violations, each named with the page and the width."""
    width = page.viewport_size["width"]
    return [{"page": f"{name} at {width}px"} | v for v in axe_violations(page)]


def assert_none(violations: list[dict]) -> None:
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


def no_sideways_scroll(page: Page) -> None:
    """Neither the page nor any table's scroll box is wider than what it shows."""
    overflow = page.evaluate(
        """() => {
          const page = document.documentElement.scrollWidth - window.innerWidth;
          const boxes = [...document.querySelectorAll(".table-responsive")]
            .map(box => box.scrollWidth - box.clientWidth);
          return Math.max(page, 0, ...boxes);
        }"""
    )
    assert overflow <= 1, f"{page.url} scrolls {overflow}px sideways"


def first_index_on_screen(page: Page) -> None:
    cell = page.locator(".ranking-table tbody tr, .compare-table tbody tr").first.locator(
        ".col-index, .col-index-b"
    )
    expect(cell).to_be_visible()
    box = cell.bounding_box()
    size = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], box


# -- data -----------------------------------------------------------------------------------


def add_wide_block(decision) -> None:
    """A third block in the 2015 decision: eight areas, deductions and bonus, long names."""
    block = make_block(code="ban", name="Cơ quan ngành dọc", position=3)
    for rank, name in enumerate(LONG_NAMES, start=1):
        unit = make_unit(name=name, block=block)
        index = Decimal("92.37") - rank * Decimal("3.11")
        PublishedResult.objects.create(
            decision=decision,
            block_code=block.code,
            block_name=block.name,
            block_position=3,
            position=rank,
            unit=unit,
            unit_code=unit.code,
            unit_name=name,
            areas=[
                {"code": str(n), "title": title, "points": "8.75", "max": "10"}
                for n, title in enumerate(AREAS, start=1)
            ],
            survey_points=Decimal("22.55"),
            deductions=Decimal("1.50"),
            bonus=Decimal("0.75"),
            total=index,
            applicable_max=Decimal("100"),
            index=index,
            rank=rank,
            tier="Tốt" if rank < 3 else "Khá",
            previous_rank=6 - rank,
            previous_index=Decimal("80.05"),
        )


@pytest.fixture
def published(db):
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    data = make_published_years()
    add_wide_block(data["decisions"][2015])
    return data


@pytest.fixture
def campaign_in_progress(db, settings, tmp_path):
    """A 2016 campaign: one draft with a document, one in appraisal, two appraised; staff and
    the draft unit's editor."""
    settings.MEDIA_ROOT = tmp_path
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    block = make_block()
    framework = make_framework_tree(year=2016, block=block, name="Bộ tiêu chí sở 2016")
    campaign = make_campaign(
        year=2016, frameworks=(framework,), tiers=(("Tốt", "80"), ("Khá", "65"))
    )
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=Decimal("100"))
    leaves = list(framework.criteria.filter(children__isnull=True).exclude(code="2.1"))
    make_user(username="staff", groups=(STAFF_GROUP,))
    make_user(username="appraiser", groups=(APPRAISER_GROUP,))

    def assessment(name: str, state: str, points: str) -> Assessment:
        unit = make_unit(name=name, block=block)
        made = make_assessment(campaign=campaign, unit=unit, state=state)
        for criterion in leaves:
            value = min(Decimal(points), criterion.max_points)
            final = value if state == Assessment.State.APPRAISED else None
            made.scores.create(criterion=criterion, self_points=value, final_points=final)
        return made

    draft = assessment("Sở Giáo dục và Đào tạo", Assessment.State.DRAFT, "0.5")
    editor = make_user(username="editor", unit=draft.unit, role=Membership.Role.EDITOR)
    score = draft.scores.get(criterion=Criterion.objects.get(framework=framework, code="1.1"))
    evidence_attach(
        assessment=draft,
        criterion=score.criterion,
        actor=editor,
        file=io.BytesIO(PDF),
        name="ke-hoach-125.pdf",
        document_number="125/KH-SGDĐT",
        issuer="Sở Giáo dục và Đào tạo",
    )
    in_appraisal = assessment("Sở Giao thông vận tải", Assessment.State.IN_APPRAISAL, "1")
    assessment("Sở Tài chính", Assessment.State.APPRAISED, "1")
    assessment("Sở Lao động - Thương binh và Xã hội", Assessment.State.APPRAISED, "0.5")
    results_compute(campaign=campaign)
    return {"campaign": campaign, "draft": draft, "in_appraisal": in_appraisal}


# -- axe ------------------------------------------------------------------------------------


def public_pages(data) -> list[tuple[str, str]]:
    d2015 = data["decisions"][2015]
    return [
        ("home", "/"),
        ("rankings", reverse("reports:rankings", args=[2015, "ban"])),
        ("unit profile", reverse("reports:unit_profile", args=["so-gd"])),
        ("decision list", reverse("reports:decision_list")),
        ("decision", reverse("reports:decision_detail", args=[d2015.pk])),
        ("compare", reverse("reports:compare", args=[2014, 2015, "huyen"])),
        ("methodology", reverse("reports:methodology")),
        ("open data", reverse("reports:open_data")),
        ("verify", reverse("reports:verify")),
        ("login", reverse("login")),
        ("not found", "/khong-co-trang-nay/"),
    ]


@pytest.mark.parametrize("size", WIDTHS)
def test_public_pages_have_no_axe_violations(page: Page, live_server, published, size):
    page.set_viewport_size(size)
    found = []
    for name, path in public_pages(published):
        page.goto(live_server.url + path)
        found += violations_of(page, name)
    assert_none(found)


@pytest.mark.parametrize("size", WIDTHS)
def test_working_pages_have_no_axe_violations(page: Page, live_server, campaign_in_progress, size):
    data = campaign_in_progress
    log_in(page, live_server.url, "editor")  # at laptop width, where "log out" is in view
    page.set_viewport_size(size)
    page.goto(live_server.url + reverse("assessments:self_assessment", args=[data["draft"].pk]))
    expect(page.locator(".evidence-list")).to_contain_text("ke-hoach-125.pdf")
    found = violations_of(page, "self-assessment sheet")

    page.context.clear_cookies()
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server.url, "staff")
    page.set_viewport_size(size)
    for name, path in [
        ("appraisal", reverse("assessments:appraise", args=[data["in_appraisal"].pk])),
        ("dashboard", reverse("campaigns:campaign_dashboard", args=[2016])),
        ("results", reverse("campaigns:campaign_results", args=[2016, "so"])),
    ]:
        page.goto(live_server.url + path)
        found += violations_of(page, name)
    assert_none(found)


# -- tables that fit ------------------------------------------------------------------------


@pytest.mark.parametrize("size", WIDTHS)
def test_the_leaders_index_is_on_screen_without_scrolling(page: Page, live_server, published, size):
    page.set_viewport_size(size)
    for path in (
        reverse("reports:rankings", args=[2015, "ban"]),
        reverse("reports:rankings", args=[2015, "so"]),
    ):
        page.goto(live_server.url + path)
        first_index_on_screen(page)
        no_sideways_scroll(page)


def test_public_tables_fit_a_laptop(page: Page, live_server, published):
    page.set_viewport_size(LAPTOP)
    for path in (
        reverse("reports:rankings", args=[2015, "ban"]),
        reverse("reports:compare", args=[2014, 2015, "huyen"]),
        reverse("reports:unit_profile", args=["so-gd"]),
    ):
        page.goto(live_server.url + path)
        no_sideways_scroll(page)


@pytest.mark.parametrize("size", WIDTHS)
def test_staff_results_fit(page: Page, live_server, campaign_in_progress, size):
    log_in(page, live_server.url, "staff")
    page.set_viewport_size(size)
    page.goto(live_server.url + reverse("campaigns:campaign_results", args=[2016, "so"]))
    no_sideways_scroll(page)
    if size == LAPTOP:
        first_index_on_screen(page)
    else:
        expect(page.locator(".ranking-table tbody tr").first.locator(".col-index")).to_be_visible()


def test_removing_a_document_asks_first(page: Page, live_server, campaign_in_progress):
    draft = campaign_in_progress["draft"]
    log_in(page, live_server.url, "editor")
    page.goto(live_server.url + reverse("assessments:self_assessment", args=[draft.pk]))
    evidence = draft.scores.get(criterion__code="1.1").evidence.get()
    remove = page.locator(
        f'form[action="{reverse("assessments:evidence_remove", args=[evidence.pk])}"]'
    )
    questions = []

    def answer(dialog, accept: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    remove.locator("button").click()
    expect(page.locator(".evidence-list")).to_contain_text("ke-hoach-125.pdf")
    assert "ke-hoach-125.pdf" in questions[0]
    page.once("dialog", lambda dialog: answer(dialog, True))
    remove.locator("button").click()
    expect(page.locator(".evidence-list")).to_have_count(0)


def test_accepting_every_criterion_asks_first(page: Page, live_server, campaign_in_progress):
    in_appraisal = campaign_in_progress["in_appraisal"]
    log_in(page, live_server.url, "staff")
    page.goto(live_server.url + reverse("assessments:appraise", args=[in_appraisal.pk]))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("#accept-unappraised button[type=submit]").click()
    assert questions and any(ch.isdigit() for ch in questions[0])
    expect(page.locator("#accept-unappraised")).to_be_visible()
    assert not in_appraisal.scores.filter(appraised_points__isnull=False).exists()
