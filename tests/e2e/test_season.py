"""A season finished from the browser: staff close self-assessment, submit for a late unit,
start the appraisal of every submitted file from the dashboard's preview, and the late
unit's officer reads on their own page why the file moved.

Pages are reached by their addresses and buttons by their forms' actions, not by their
wording, which translators may change.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from scoring.models import Assessment, Campaign
from tests.e2e.steps import log_in, log_out, post_button
from tests.factories import STAFF_GROUP, make_campaign, make_framework, make_unit, make_user
from units.models import Membership, Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
State = Assessment.State


@pytest.fixture
def season(db):
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    framework = make_framework(year=2016, leaves=2)
    campaign = make_campaign(
        year=2016, frameworks=(framework,), status=Campaign.Status.SELF_ASSESSMENT
    )
    make_user(username="staff", groups=(STAFF_GROUP,))
    files = {}
    for name, state in (("Sở Tài chính", State.SUBMITTED), ("Sở Xây dựng", State.DRAFT)):
        unit = make_unit(name=name, block=framework.block)
        files[name] = Assessment.objects.create(
            campaign=campaign, unit=unit, framework=framework, state=state
        )
    make_user(username="editor", unit=files["Sở Xây dựng"].unit, role=Membership.Role.EDITOR)
    return files


def test_staff_move_a_late_unit_and_a_whole_block_on(page: Page, live_server, season):
    late = season["Sở Xây dựng"]
    log_in(page, live_server.url, "staff")
    dashboard = live_server.url + reverse("campaigns:campaign_dashboard", args=[2016])
    page.goto(dashboard)
    page.locator(
        f'a[href="{reverse("campaigns:campaign_self_assessment_close", args=[2016])}"]'
    ).click()
    post_button(page, reverse("campaigns:campaign_self_assessment_close", args=[2016])).click()
    expect(page).to_have_url(dashboard)

    page.goto(live_server.url + reverse("assessments:assessment_detail", args=[late.pk]))
    page.locator("#id_submit_for-reason").fill("Quá hạn, đã nhắc hai lần")
    post_button(page, reverse("assessments:submit_for", args=[late.pk])).click()
    expect(page.locator(".alert-info")).to_contain_text("Quá hạn, đã nhắc hai lần")

    page.goto(dashboard)
    bulk = reverse("campaigns:campaign_bulk", args=[2016, "start_appraisal"])
    page.locator(f'a[href="{bulk}"]').click()
    expect(page.locator(".bulk-units li")).to_have_count(2)
    page.locator("form.bulk-confirm button[type=submit]").click()
    expect(page.locator("#bulk-outcome")).to_be_visible()
    assert set(Assessment.objects.values_list("state", flat=True)) == {State.IN_APPRAISAL}

    log_out(page)
    log_in(page, live_server.url, "editor")
    page.goto(live_server.url + reverse("assessments:assessment_detail", args=[late.pk]))
    expect(page.locator("main")).to_contain_text("Quá hạn, đã nhắc hai lần")
