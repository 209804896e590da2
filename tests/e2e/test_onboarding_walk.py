"""A province's first season on the portal, walked in the browser by Interior Department
staff at a laptop's width (1366 px): the sample units and accounts imported, last year's
campaign cloned, deadlines set, one unit given more time, a straggler's file submitted
on its behalf, another appraised without a submission, the bulk steps previewed and
confirmed, the decision drafted and published, and the public ranking read.

What the units and the appraisers do in between (scoring, submitting, appraising each
leaf) goes through the services, as in the other season tests: the walk is the staff's.
Each step checks what the page tells its user, and leaves a screenshot (artifacts/).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo import lam_giang
from reports.services.publication_queue import publish_decision
from scoring.models import Assessment, Campaign, Criterion, Score
from scoring.services.appraisal import score_appraise, scores_accept
from scoring.services.self_assessment import SelfInput, assessment_submit, score_self_assess
from tests.e2e.steps import log_in, log_out, post_button
from tests.factories import (
    STAFF_GROUP,
    make_block,
    make_campaign,
    make_framework,
    make_user,
)
from tests.scoring.province_sample import ACCOUNTS_SAMPLE, SAMPLES, UNITS_SAMPLE
from units.models import Membership, Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
State = Assessment.State

LAPTOP_1366 = {"width": 1366, "height": 768}
YEAR = 2025
# The departments that do not keep to the deadline: one asks for more time and gets it,
# one scored part of its sheet and never submitted, one never started.
EXTENDED, PARTLY_DONE, NEVER_STARTED = "lg-so-gddt", "lg-so-yt", "lg-so-ngv"
BLOCK = lam_giang.DEPARTMENTS_BLOCK
# The sample's departments under the codes the import gives them.
BLOCK_NAME = lam_giang.BLOCKS[0][1]  # the name the units workbook gives the block
DEPARTMENTS = [(lam_giang.PREFIX + code, *rest) for code, *rest in lam_giang.DEPARTMENTS]
LATE = (EXTENDED, PARTLY_DONE, NEVER_STARTED)


@pytest.fixture
def browser_context_args(browser_context_args):
    """A Vietnamese staff member's browser, at a laptop's width."""
    return {**browser_context_args, "locale": "vi-VN", "viewport": LAPTOP_1366}


@pytest.fixture
def last_year(db, settings, tmp_path):
    """The province's 2024 campaign of its departments, on a small framework, and a
    member of the Interior Department's staff who runs the season."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    # The portal is installed for the province (reference data, set once in the admin).
    Province.objects.create(
        name=lam_giang.PROVINCE_NAME, issuing_body=f"Ủy ban nhân dân tỉnh {lam_giang.PROVINCE_NAME}"
    )
    so = make_block(code=BLOCK, name="Sở, ban, ngành", position=1)
    framework = make_framework(year=YEAR - 1, block=so, leaves=3, leaf_max="5")
    make_campaign(
        year=YEAR - 1,
        frameworks=(framework,),
        tiers=(("Tốt", "80"), ("Khá", "65")),
        status=Campaign.Status.PUBLISHED,
    )
    staff_member = make_user(username="nguyenvana", groups=(STAFF_GROUP,))
    return staff_member


def local_input(moment: dt.datetime) -> str:
    """What a datetime-local input takes, in Vietnam's time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def head_of(code: str) -> User:
    return User.objects.get(memberships__unit__code=code, memberships__role=Membership.Role.HEAD)


def self_assess(assessment: Assessment, points: list[Decimal]) -> None:
    """The unit's editor scores its leaves, in order, as far as `points` goes."""
    editor = User.objects.get(
        memberships__unit=assessment.unit, memberships__role=Membership.Role.EDITOR
    )
    leaves = Criterion.objects.filter(framework=assessment.framework, children__isnull=True)
    for criterion, value in zip(leaves.order_by("sort_key"), points, strict=False):
        score_self_assess(
            assessment=assessment,
            criterion=criterion,
            actor=editor,
            entry=SelfInput(points=value),
        )


def appraise_all(staff: User) -> None:
    """The council accepts each unit's own points, and gives points where there were none."""
    for assessment in Assessment.objects.filter(campaign__year=YEAR):
        claimed = Score.objects.filter(assessment=assessment, self_points__isnull=False)
        scores_accept(
            assessment=assessment,
            actor=staff,
            criterion_ids=list(claimed.values_list("criterion_id", flat=True)),
        )
        for score in Score.objects.filter(assessment=assessment, self_points__isnull=True):
            score_appraise(score=score, actor=staff, points=Decimal("1"), note="Không có hồ sơ")


def test_a_province_runs_its_first_season_from_the_browser(
    page: Page, live_server, last_year, screenshot
):
    base = live_server.url
    assert page.viewport_size == LAPTOP_1366
    log_in(page, base, "nguyenvana")

    # 1. The province's units and blocks, from the sample workbook: preview, then confirm.
    page.goto(base + reverse("units:unit_list"))
    page.locator(f'a[href="{reverse("unit_workbook:units_import")}"]').first.click()
    page.locator("#id_file").set_input_files(str(SAMPLES / UNITS_SAMPLE))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-summary")).to_contain_text("142 đơn vị được tạo mới")
    screenshot("walk-01-units-preview", full_page=False)
    page.locator(f'form[action="{reverse("unit_workbook:units_import_confirm")}"] button').click()
    expect(page.locator(".portal-messages")).to_contain_text("142 đơn vị")
    expect(page.locator("main table caption")).to_contain_text("142 đơn vị")
    screenshot("walk-02-units-imported", full_page=False)

    # 2. An account for every unit's head and editor, from the sample workbook.
    page.locator("nav.portal-nav").get_by_role("link", name="Tài khoản", exact=True).click()
    page.locator(f'a[href="{reverse("accounts:account_import")}"]').first.click()
    page.locator("#id_file").set_input_files(str(SAMPLES / ACCOUNTS_SAMPLE))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-summary")).to_contain_text("230")
    screenshot("walk-03-accounts-preview", full_page=False)
    page.locator(f'form[action="{reverse("accounts:account_import_confirm")}"] button').click()
    expect(page.locator(".portal-messages")).to_contain_text("230 tài khoản được tạo mới")
    expect(page.locator("main")).to_contain_text("231 tài khoản")  # and the staff member
    screenshot("walk-04-accounts-imported", full_page=False)

    # 3. The 2025 campaign, cloned from 2024: its block, framework and tiers come along.
    page.goto(base + reverse("campaigns:campaign_list"))
    page.locator(f'a[href="{reverse("campaigns:campaign_create")}"]').first.click()
    expect(page.locator("#id_year")).to_have_value(str(YEAR))
    expect(page.locator("#id_source option:checked")).to_contain_text(str(YEAR - 1))
    screenshot("walk-05-campaign-clone")
    page.locator("main form button[type=submit]").click()
    setup = base + reverse("campaigns:campaign_setup", args=[YEAR])
    expect(page).to_have_url(re.compile(re.escape(setup)))
    expect(page.locator(".portal-messages")).to_contain_text(str(YEAR))
    expect(page.locator(f"#block-{BLOCK}")).to_contain_text(f"{YEAR}")

    # 4. Deadlines a week and more ahead; then the campaign opens to the 14 departments.
    now = timezone.now()
    page.locator("#id_self_assessment_deadline").fill(local_input(now + dt.timedelta(days=7)))
    page.locator("#id_appraisal_deadline").fill(local_input(now + dt.timedelta(days=14)))
    page.locator("#id_explanation_deadline").fill(local_input(now + dt.timedelta(days=21)))
    post_button(page, reverse("campaigns:campaign_deadlines", args=[YEAR])).click()
    expect(page.locator(".portal-messages")).to_contain_text("hạn")
    post_button(page, reverse("campaigns:campaign_open", args=[YEAR])).click()
    expect(page.locator(".portal-messages")).to_contain_text(str(len(DEPARTMENTS)))
    screenshot("walk-06-campaign-open")

    # The departments fill in their sheets; all but three submit in time.
    names = {code: name for code, name, *_rest in DEPARTMENTS}
    files = {
        a.unit.code: a
        for a in Assessment.objects.filter(campaign__year=YEAR).select_related("unit")
    }
    assert sorted(files) == sorted(code for code, *_ in DEPARTMENTS)
    # What each will have in the end: its own points, and 1 a leaf it left empty.
    totals = {NEVER_STARTED: Decimal(3)}
    for n, (code, assessment) in enumerate(sorted(files.items())):
        if code == NEVER_STARTED:
            continue
        # A spread of totals, some equal (a shared rank).
        points = [Decimal(5), Decimal(5 - n % 4), Decimal("4.5") - n % 3]
        if code == PARTLY_DONE:
            points = [points[0], Decimal(1), Decimal(1)]
            self_assess(assessment, points[:1])
        else:
            self_assess(assessment, points)
        totals[code] = sum(points)
        if code not in LATE:
            assessment_submit(assessment=assessment, actor=head_of(code))

    # 5. Self-assessment closes now, from the dashboard.
    dashboard = base + reverse("campaigns:campaign_dashboard", args=[YEAR])
    page.reload()  # the set-up page, still open
    page.locator("main").get_by_role("link", name="Bảng theo dõi", exact=True).click()
    close = reverse("campaigns:campaign_self_assessment_close", args=[YEAR])
    page.locator(f'a[href="{close}"]').first.click()
    post_button(page, close).click()
    expect(page).to_have_url(dashboard)
    expect(page.locator(".portal-messages")).to_contain_text("Đã kết thúc tự đánh giá")
    counts = page.locator("table.dashboard-counts")
    expect(counts.get_by_role("link", name=f"{BLOCK_NAME}, Đang soạn thảo: 3")).to_be_visible()
    expect(counts.get_by_role("link", name=f"{BLOCK_NAME}, Đã gửi: 11")).to_be_visible()
    expect(page.locator("tr.row-overdue")).to_have_count(len(LATE))
    screenshot("walk-07-dashboard-closed")

    # 6. One late department gets three more days, with the reason it gave.
    extended = files[EXTENDED]
    page.locator(
        f'a[href="{reverse("assessments:assessment_detail", args=[extended.pk])}"]'
    ).click()
    extension = page.locator("form.extension-form")
    extension.locator("select[name=phase]").select_option("self_assessment")
    extension.locator("input[name=deadline]").fill(local_input(now + dt.timedelta(days=3)))
    extension.locator("textarea[name=reason]").fill("Giám đốc đi công tác, xin thêm ba ngày")
    extension.locator("button[type=submit]").click()
    expect(page.locator(".portal-messages")).to_contain_text("Sở Giáo dục và Đào tạo")
    granted = page.locator("section[aria-labelledby=extensions] table")
    expect(granted).to_contain_text("Giám đốc đi công tác")
    screenshot("walk-08-extension")
    # With its extension, the department submits after everyone else's deadline.
    assessment_submit(assessment=extended, actor=head_of(EXTENDED))

    # 7. The department that stopped half-way: staff submit what it entered. Staff go
    # back to the dashboard by the breadcrumb.
    partly = files[PARTLY_DONE]
    page.locator(".breadcrumb").get_by_role("link", name=f"Bảng theo dõi {YEAR}").click()
    expect(page).to_have_url(dashboard)
    page.locator(f'a[href="{reverse("assessments:assessment_detail", args=[partly.pk])}"]').click()
    page.locator("#id_submit_for-reason").fill("Quá hạn, đã nhắc hai lần")
    post_button(page, reverse("assessments:submit_for", args=[partly.pk])).click()
    expect(page.locator("h1 .badge.state-submitted")).to_be_visible()
    expect(page.locator(".alert-info")).to_contain_text("Quá hạn, đã nhắc hai lần")
    screenshot("walk-09-submitted-for")

    # 8. The department that never started: appraised from nothing.
    never = files[NEVER_STARTED]
    page.locator(".breadcrumb").get_by_role("link", name=f"Bảng theo dõi {YEAR}").click()
    page.locator(f'a[href="{reverse("assessments:assessment_detail", args=[never.pk])}"]').click()
    page.locator("#id_appraise_unsubmitted-reason").fill("Không nộp bản tự đánh giá")
    post_button(page, reverse("assessments:appraise_unsubmitted", args=[never.pk])).click()
    expect(page.locator("h1 .badge.state-in_appraisal")).to_be_visible()

    # 9. Appraisal starts for every submitted file at once: 13 in the preview, 13 moved.
    page.locator(".breadcrumb").get_by_role("link", name=f"Bảng theo dõi {YEAR}").click()
    page.locator(
        f'a[href="{reverse("campaigns:campaign_bulk", args=[YEAR, "start_appraisal"])}"]'
    ).click()
    expect(page.locator(".bulk-units li")).to_have_count(len(DEPARTMENTS) - 1)
    expect(page.locator("#will-move")).to_contain_text(str(len(DEPARTMENTS) - 1))
    screenshot("walk-10-bulk-start-preview")
    page.locator("form.bulk-confirm button[type=submit]").click()
    expect(page.locator("#bulk-outcome")).to_contain_text(str(len(DEPARTMENTS) - 1))
    expect(page.locator("#refused")).to_have_count(0)

    # The council appraises every leaf; then staff finalise all 14 at once.
    appraise_all(last_year)
    page.locator("main").get_by_role("link", name="Trở lại bảng theo dõi").click()
    page.locator(f'a[href="{reverse("campaigns:campaign_bulk", args=[YEAR, "finalise"])}"]').click()
    expect(page.locator(".bulk-units li")).to_have_count(len(DEPARTMENTS))
    page.locator("form.bulk-confirm button[type=submit]").click()
    expect(page.locator("#bulk-outcome")).to_contain_text(str(len(DEPARTMENTS)))
    screenshot("walk-11-bulk-finalised")
    assert set(Assessment.objects.values_list("state", flat=True)) == {State.APPRAISED}

    # 10. The decision: from the dashboard, drafted from the defaults, previewed, published.
    page.locator("main").get_by_role("link", name="Trở lại bảng theo dõi").click()
    page.locator("#ready-to-publish a").click()
    page.locator(f'a[href="{reverse("reports:decision_create", args=[YEAR])}"]').click()
    today = timezone.localdate()
    page.locator("#id_number").fill("1234/QĐ-UBND")
    page.locator("#id_signed_on").fill(f"{today:%d/%m/%Y}")
    page.locator("#id_signer_name").fill("Trần Văn Bình")
    bases = page.locator("#id_legal_bases")
    bases.fill(
        bases.input_value()
        .replace("số /KH-UBND ngày tháng năm", "số 19/KH-UBND ngày 24 tháng 2 năm 2025")
        .replace(
            "số /TTr-SNV ngày tháng năm",
            f"số 512/TTr-SNV ngày {today.day} tháng {today.month} năm {today.year}",
        )
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".portal-messages")).to_contain_text("1234/QĐ-UBND")
    decision_id = int(re.search(r"/quyet-dinh/(\d+)/", page.url).group(1))
    # The appendix waits for the results: staff compute and read them first.
    page.locator("#no-results").get_by_role("link", name=f"Kết quả khối {BLOCK_NAME}").click()
    compute = reverse("campaigns:campaign_results_compute", args=[YEAR, BLOCK])
    post_button(page, compute).click()
    expect(page.locator("table.ranking-table tbody tr")).to_have_count(len(DEPARTMENTS))
    screenshot("walk-12-results-computed")
    page.locator(".breadcrumb").get_by_role("link", name=str(YEAR), exact=True).click()
    page.locator(f'main a[href="{reverse("reports:decision_list_staff", args=[YEAR])}"]').click()
    page.locator("main").get_by_role("link", name="1234/QĐ-UBND").first.click()
    expect(page.locator("#no-results")).to_have_count(0)
    expect(page.frame_locator("iframe.decision-preview").locator("body")).to_contain_text(
        names[NEVER_STARTED]
    )
    screenshot("walk-13-decision-preview")
    post_button(page, reverse("reports:decision_publish", args=[decision_id])).click()
    expect(page.locator("#publication-progress")).to_be_visible()
    publish_decision.call(decision_id=decision_id)  # the worker's part (db_worker)
    expect(page).to_have_url(
        base + reverse("reports:decision_detail", args=[decision_id]), timeout=10_000
    )
    expect(page.locator("main")).to_contain_text("1234/QĐ-UBND")
    screenshot("walk-14-decision-published")

    # 11. The public ranking, as anyone reads it: the 14 departments, ranked by their
    # totals, ties sharing a rank.
    log_out(page)
    page.goto(base + reverse("reports:rankings", args=[YEAR, BLOCK]))
    table = page.locator("table.ranking-table")
    expect(table.locator("tbody tr")).to_have_count(len(DEPARTMENTS))
    expected = {
        names[code]: str(1 + sum(other > total for other in totals.values()))
        for code, total in totals.items()
    }
    shown = {
        row.locator("th").inner_text().strip(): row.locator("td.col-rank").inner_text().strip()
        for row in table.locator("tbody tr").all()
    }
    assert shown == expected
    expect(table.locator("tbody tr").last).to_contain_text(names[NEVER_STARTED])
    screenshot("walk-15-public-ranking")
