"""The public home page: the province, the method, the campaigns, and what a user can do."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import AppraiserAssignment, Assessment, Campaign, Score
from tests.factories import make_block, make_campaign, make_framework, make_unit
from units.models import Province

HOME = reverse("home")


@pytest.fixture
def province(db):
    return Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")


@pytest.mark.django_db
def test_anyone_sees_the_province_the_method_and_the_campaigns(client, province):
    districts = make_block(code="huyen", name="UBND cấp huyện", position=2)
    make_campaign(
        year=2015,
        frameworks=(make_framework(year=2015), make_framework(year=2015, block=districts)),
        status=Campaign.Status.PUBLISHED,
    )
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sóc Trăng" in html
    assert "Ủy ban nhân dân tỉnh Sóc Trăng" in html
    assert "× 100" in html
    assert "Chỉ số CCHC năm 2015" in html
    assert "UBND cấp huyện" in html and "Sở, ban, ngành" in html
    assert str(Campaign.Status.PUBLISHED.label) in html
    assert reverse("login") in html
    # No staff link for a visitor.
    assert reverse("units:unit_list") not in html


@pytest.mark.django_db
def test_the_page_has_the_shell_landmarks(client, province):
    html = client.get(HOME).content.decode()
    assert '<html lang="vi">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert reverse("set_language") in html
    assert "portal.css" in html and "cdn" not in html.lower()


@pytest.mark.django_db
def test_without_a_province_the_page_still_renders(client):
    response = client.get(HOME)
    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_get_the_browse_links_and_a_logout_form(client, staff):
    client.force_login(staff)
    html = client.get(HOME).content.decode()
    for name in ("units:unit_list", "frameworks:framework_list", "campaigns:campaign_list"):
        assert reverse(name) in html
    assert f'action="{reverse("logout")}"' in html and 'method="post"' in html


@pytest.mark.django_db
def test_a_unit_member_sees_their_units_but_no_staff_links(client, editor_a, unit_a):
    client.force_login(editor_a)
    html = client.get(HOME).content.decode()
    assert unit_a.name in html
    assert unit_a.short_name.replace("&", "&amp;") in html  # in the navigation
    assert reverse("units:unit_list") not in html


@pytest.mark.django_db
def test_logging_in_and_out_through_the_forms(client, staff):
    page = client.get(reverse("login"))
    html = page.content.decode()
    assert 'for="id_username"' in html and 'for="id_password"' in html
    response = client.post(reverse("login"), {"username": "staff", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(reverse("logout")).status_code == 405  # logging out is a POST
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_english_is_available(client, province):
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(HOME).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_home_page_takes_a_fixed_number_of_queries(
    client, editor_a, province, django_assert_max_num_queries, size
):
    for i in range(size):
        block = make_block(code=f"b{i}", name=f"Khối {i}", position=i)
        make_campaign(year=1990 + i, frameworks=(make_framework(year=1990 + i, block=block),))
    client.force_login(editor_a)
    # 9: the menu and "your work" also link a unit member to its open assessments;
    # 2 more: the latest published decision and its first ranks (reports.selectors).
    with django_assert_max_num_queries(11):
        response = client.get(HOME)
    assert response.status_code == 200


# -- "Việc cần làm": each role's next steps, before the public results --------------------


def open_season(**deadlines):
    """A 2016 campaign open for self-assessment, its departments' framework (1.1, 1.2)."""
    framework = make_framework(year=2016)
    campaign = make_campaign(
        year=2016, frameworks=(framework,), status=Campaign.Status.SELF_ASSESSMENT, **deadlines
    )
    return campaign, framework


def section_order(html: str, *markers: str) -> list[int]:
    return [html.index(marker) for marker in markers]


@pytest.mark.django_db
def test_an_editor_is_told_to_fill_in_their_file_first(english_client, editor_a, unit_a):
    campaign, framework = open_season()
    assessment = Assessment.objects.create(campaign=campaign, unit=unit_a, framework=framework)
    english_client.force_login(editor_a)
    html = english_client.get(HOME).content.decode()
    assert "Fill in the self-assessment: 0 of 2 criteria scored." in html
    assert reverse("assessments:self_assessment", args=[assessment.pk]) in html
    todo, work = section_order(html, 'id="todo"', 'id="your-work"')
    assert todo < work


@pytest.mark.django_db
def test_a_head_is_told_to_reply_when_the_file_comes_back(english_client, head_a, unit_a):
    campaign, framework = open_season()
    assessment = Assessment.objects.create(
        campaign=campaign, unit=unit_a, framework=framework, state=Assessment.State.RETURNED
    )
    for leaf in framework.criteria.filter(children__isnull=True):
        Score.objects.create(
            assessment=assessment,
            criterion=leaf,
            self_points=5,
            appraised_points=3,
            appraisal_note="x",
        )
    english_client.force_login(head_a)
    html = english_client.get(HOME).content.decode()
    assert "The appraisal came back: reply to 2 criteria." in html
    assert reverse("assessments:explain", args=[assessment.pk]) in html
    Score.objects.update(unit_reply="Đã bổ sung")
    html = english_client.get(HOME).content.decode()
    assert "Every criterion has its reply: send the explanation." in html


@pytest.mark.django_db
def test_an_appraiser_gets_the_files_to_appraise_and_the_worklist(
    english_client, appraiser, unit_a, staff
):
    campaign, framework = open_season()
    assessment = Assessment.objects.create(
        campaign=campaign, unit=unit_a, framework=framework, state=Assessment.State.SUBMITTED
    )
    AppraiserAssignment.objects.create(campaign=campaign, unit=unit_a, appraiser=appraiser)
    english_client.force_login(appraiser)
    html = english_client.get(HOME).content.decode()
    assert "Submitted: start the appraisal." in html
    assert reverse("assessments:appraise", args=[assessment.pk]) in html
    assert reverse("assessments:appraisal_list") in html


@pytest.mark.django_db
def test_staff_see_the_work_waiting_before_the_public_results(english_client, staff, province):
    past = timezone.now() - datetime.timedelta(days=1)
    campaign, framework = open_season(self_assessment_deadline=past)
    states = ["submitted", "submitted", "draft", "explained"]
    for state in states:
        Assessment.objects.create(
            campaign=campaign, unit=make_unit(), framework=framework, state=state
        )
    english_client.force_login(staff)
    response = english_client.get(HOME)
    html = response.content.decode()
    [work] = response.context["todo"].campaigns
    assert (work.submitted, work.stragglers, work.explained) == (2, 1, 1)
    assert "2 submitted files wait for their appraisal to start" in html
    assert "1 unit is past its deadline" in html
    assert not work.ready_to_publish
    Assessment.objects.update(state="appraised")
    html = english_client.get(HOME).content.decode()
    assert reverse("reports:decision_list_staff", args=[2016]) in html
    todo, campaigns = section_order(html, 'id="todo"', 'id="campaigns"')
    assert todo < campaigns


@pytest.mark.django_db
@pytest.mark.parametrize("size", [12, 120])
def test_the_staff_home_takes_a_fixed_number_of_queries(
    client, staff, province, size, django_assert_max_num_queries
):
    past = timezone.now() - datetime.timedelta(days=1)
    campaign, framework = open_season(self_assessment_deadline=past)
    Assessment.objects.bulk_create(
        Assessment(campaign=campaign, unit=make_unit(), framework=framework, state=state)
        for state in ["draft", "submitted", "explained"] * (size // 3)
    )
    client.force_login(staff)
    # The editor's page above, with the campaigns' work (two queries) instead of the files.
    with django_assert_max_num_queries(11):
        assert client.get(HOME).status_code == 200
