"""The staff pages that set a campaign up and run its season: creating it, deadlines,
blocks, tiers, survey weights, opening, closing self-assessment, reminders."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, Campaign, SurveyAnswer
from tests.factories import make_assessment, make_campaign, make_framework, make_unit

pytestmark = pytest.mark.django_db
State = Assessment.State


def url(name: str, *args) -> str:
    return reverse(f"campaigns:{name}", args=args)


@pytest.fixture
def campaign_2015(db):
    framework = make_framework(year=2015)
    campaign = make_campaign(year=2015, frameworks=(framework,))
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=D("100"))
    return campaign


@pytest.fixture
def campaign_2016(db):
    framework = make_framework(year=2016)
    return make_campaign(year=2016, frameworks=(framework,))


# -- who may --------------------------------------------------------------------------------

PAGES = [
    ("campaign_create", ()),
    ("campaign_setup", (2016,)),
    ("campaign_self_assessment_close", (2016,)),
]
EXPECTED = {"staff": 200, "assigned": 403, "editor_a": 403, "head_a": 403, "anonymous": "login"}


@pytest.fixture
def assigned(appraiser):
    return appraiser


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_the_set_up_pages_are_for_staff(
    as_persona, campaign_2016, head_a, editor_a, persona, name, args
):
    response = as_persona(persona).get(url(name, *args))
    if EXPECTED[persona] == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == EXPECTED[persona]


POSTS = [
    "campaign_deadlines",
    "campaign_block_add",
    "campaign_answers",
    "campaign_open",
    "campaign_reminders",
]


@pytest.mark.parametrize("name", POSTS)
def test_the_set_up_posts_refuse_others_and_get(client, campaign_2016, staff, head_a, name):
    client.force_login(head_a)
    assert client.post(url(name, 2016)).status_code == 403
    client.force_login(staff)
    assert client.get(url(name, 2016)).status_code == 405
    assert client.post(url(name, 1999)).status_code == 404
    assert Campaign.objects.get(year=2016).status == Campaign.Status.PREPARING


# -- creating and setting up ----------------------------------------------------------------


def test_staff_create_next_years_campaign_from_last_years(client, staff, campaign_2015):
    client.force_login(staff)
    form = client.get(url("campaign_create")).context["form"]
    assert form.initial["year"] == 2016 and form.initial["source"] == campaign_2015
    response = client.post(
        url("campaign_create"),
        {"year": "2016", "name": "Chỉ số CCHC năm 2016", "source": campaign_2015.pk},
    )
    assert response.status_code == 302 and response["Location"] == url("campaign_setup", 2016)
    campaign = Campaign.objects.get(year=2016)
    assert campaign.blocks.get().framework.year == 2016
    assert campaign.survey_answers.get().weight_percent == D("100")


def test_a_refused_creation_is_shown_with_what_was_typed(client, staff, campaign_2015):
    client.force_login(staff)
    response = client.post(url("campaign_create"), {"year": "2015", "name": "Trùng năm"})
    assert response.status_code == 200
    assert "Trùng năm" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert Campaign.objects.count() == 1


def test_deadlines_are_set_in_vietnam_time(client, staff, campaign_2016):
    client.force_login(staff)
    response = client.post(
        url("campaign_deadlines", 2016),
        {
            "self_assessment_deadline": "2016-11-30T17:00",
            "appraisal_deadline": "2016-12-20T17:00",
            "explanation_deadline": "2017-01-10T17:00",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(year=2016)
    assert campaign.self_assessment_deadline == datetime.datetime(
        2016, 11, 30, 10, 0, tzinfo=datetime.UTC
    )
    page = client.get(url("campaign_dashboard", 2016)).content.decode()
    assert "30/11/2016 17:00" in page and "20/12/2016 17:00" in page


def test_deadlines_out_of_order_are_refused_beside_the_field(client, staff, campaign_2016):
    client.force_login(staff)
    response = client.post(
        url("campaign_deadlines", 2016),
        {
            "self_assessment_deadline": "2016-12-30T17:00",
            "explanation_deadline": "2016-12-01T17:00",
        },
    )
    assert response.status_code == 200
    assert response.context["deadlines_form"].errors["explanation_deadline"]
    assert Campaign.objects.get(year=2016).self_assessment_deadline is None


def test_tiers_of_a_block_are_edited_on_the_page(client, staff, campaign_2016):
    client.force_login(staff)
    prefix = "tiers-so"
    response = client.post(
        url("campaign_tiers", 2016, "so"),
        {
            f"{prefix}-TOTAL_FORMS": "3",
            f"{prefix}-INITIAL_FORMS": "2",
            f"{prefix}-0-name": "Tốt",
            f"{prefix}-0-min_index": "85",
            f"{prefix}-0-inclusive": "on",
            f"{prefix}-1-name": "Khá",
            f"{prefix}-1-min_index": "65",
            f"{prefix}-1-DELETE": "on",
            f"{prefix}-2-name": "Trung bình",
            f"{prefix}-2-min_index": "50",
        },
    )
    assert response.status_code == 302
    tiers = Campaign.objects.get(year=2016).blocks.get().tiers
    assert sorted(tiers.values_list("name", "min_index", "inclusive")) == [
        ("Trung bình", D("50"), False),
        ("Tốt", D("85"), True),
    ]


def test_a_refused_tier_list_stays_on_the_page(client, staff, campaign_2016):
    client.force_login(staff)
    prefix = "tiers-so"
    response = client.post(
        url("campaign_tiers", 2016, "so"),
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-name": "Tốt",
            f"{prefix}-0-min_index": "80",
            f"{prefix}-1-name": "Tốt",
            f"{prefix}-1-min_index": "70",
        },
    )
    assert response.status_code == 200
    [(_block, formset)] = response.context["blocks"]
    assert formset.non_form_errors()
    assert Campaign.objects.get(year=2016).blocks.get().tiers.count() == 2  # as before


def test_survey_weights_are_edited_on_the_page(client, staff, campaign_2016):
    client.force_login(staff)
    data = {"answers-TOTAL_FORMS": "4", "answers-INITIAL_FORMS": "0"}
    for n, (code, weight) in enumerate((("A", "100"), ("B", "60"), ("C", "20"), ("D", "0"))):
        data.update({f"answers-{n}-code": code, f"answers-{n}-weight_percent": weight})
    assert client.post(url("campaign_answers", 2016), data).status_code == 302
    weights = Campaign.objects.get(year=2016).survey_answers.values_list("code", "weight_percent")
    assert sorted(weights) == [("A", D("100")), ("B", D("60")), ("C", D("20")), ("D", D("0"))]


def test_opening_the_campaign_gives_the_units_their_assessments(client, staff, campaign_2016):
    units = [make_unit(), make_unit()]
    client.force_login(staff)
    page = client.get(url("campaign_setup", 2016)).content.decode()
    assert (
        url("campaign_open", 2016) in page
        and "disabled" not in page.split(url("campaign_open", 2016))[1].split("</form>")[0]
    )
    assert client.post(url("campaign_open", 2016)).status_code == 302
    assert set(Assessment.objects.values_list("unit", flat=True)) == {u.pk for u in units}
    assert Campaign.objects.get(year=2016).status == Campaign.Status.SELF_ASSESSMENT


def test_opening_is_disabled_with_the_reason_when_the_campaign_has_no_block(english_client, staff):
    Campaign.objects.create(year=2017, name="2017")
    english_client.force_login(staff)
    page = english_client.get(url("campaign_setup", 2017)).content.decode()
    assert 'disabled aria-describedby="why-open"' in page
    assert "Add at least one block with its framework." in page


# -- closing self-assessment, reminding -----------------------------------------------------


def test_closing_self_assessment_asks_first_then_closes(client, staff, campaign_2016, unit_a):
    assessment = make_assessment(campaign=campaign_2016, unit=unit_a)
    Campaign.objects.filter(pk=campaign_2016.pk).update(status=Campaign.Status.SELF_ASSESSMENT)
    client.force_login(staff)
    page = client.get(url("campaign_self_assessment_close", 2016))
    assert page.status_code == 200
    assert Campaign.objects.get(pk=campaign_2016.pk).self_assessment_deadline is None
    response = client.post(url("campaign_self_assessment_close", 2016))
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=campaign_2016.pk)
    assert campaign.self_assessment_deadline <= timezone.now()
    assert campaign.status == Campaign.Status.APPRAISAL
    assessment.refresh_from_db()
    # The unit's head now finds the submission closed, and says so before a click.
    assert assessment.state == State.DRAFT


def test_closing_twice_is_refused_on_the_page(client, staff, campaign_2016):
    Campaign.objects.filter(pk=campaign_2016.pk).update(
        status=Campaign.Status.APPRAISAL,
        self_assessment_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(staff)
    response = client.post(url("campaign_self_assessment_close", 2016))
    assert response.status_code == 200 and response.context["problems"]


def test_reminders_are_sent_from_the_dashboard(client, staff, campaign_2016, unit_a, editor_a):
    editor_a.email = "chuyenvien@sgddt.gov.vn"
    editor_a.save()
    make_assessment(campaign=campaign_2016, unit=unit_a)
    Campaign.objects.filter(pk=campaign_2016.pk).update(
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=30)
    )
    client.force_login(staff)
    page = client.get(url("campaign_dashboard", 2016)).content.decode()
    assert url("campaign_reminders", 2016) in page
    response = client.post(url("campaign_reminders", 2016), follow=True)
    assert [m.to for m in mail.outbox] == [["chuyenvien@sgddt.gov.vn"]]
    assert "1 đơn vị" in response.content.decode()
