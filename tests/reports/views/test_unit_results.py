"""A unit's results page: what its head reads to know where the unit lost points."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Campaign, Result, Score
from scoring.services.results import results_compute
from tests.factories import make_user
from tests.scoring.results_data import build_block_of, build_story
from units.access import can_view_unit_results
from units.models import Membership

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page_url(code: str = "so-gddt", year: int = 2015) -> str:
    return reverse("reports:unit_results", args=[code, year])


@pytest.fixture
def story(unit_a, unit_b):
    return build_story(unit_a=unit_a, unit_b=unit_b)


def lost_codes(html: str) -> list[str]:
    """The codes of the "where we lost points" table, top to bottom."""
    table = html.split('class="table table-sm mb-0 table-stack lost-table"', 1)[1].split(
        "</table>", 1
    )[0]
    return re.findall(r'<span class="leaf-code">([0-9.]+)</span>', table)


# -- access ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, story):
    response = client.get(page_url())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page_url()}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff", "head_a", "editor_a"])
def test_staff_and_the_units_own_people_see_it(client, request, story, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["head_b", "editor_b", "appraiser"])
def test_others_get_404(client, request, story, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page_url()).status_code == 404


@pytest.mark.django_db
def test_the_head_of_a_sees_a_but_not_b(client, story, head_a):
    client.force_login(head_a)
    assert client.get(page_url("so-gddt")).status_code == 200
    assert client.get(page_url("so-gtvt")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "year"), [("no-such-unit", 2015), ("so-gddt", 2013)])
def test_unknown_unit_or_year_is_404(client, staff, story, code, year):
    client.force_login(staff)
    assert client.get(page_url(code, year)).status_code == 404


@pytest.mark.django_db
def test_a_year_without_computed_results_is_404(client, head_a, unit_a, unit_b):
    build_story(unit_a=unit_a, unit_b=unit_b, compute=False)
    client.force_login(head_a)
    assert client.get(page_url()).status_code == 404


@pytest.mark.django_db
def test_the_access_rule(story, staff, appraiser, editor_a, head_a, head_b):
    assert can_view_unit_results(staff, story.a)
    assert can_view_unit_results(editor_a, story.a) and can_view_unit_results(head_a, story.a)
    assert not can_view_unit_results(head_b, story.a)
    assert not can_view_unit_results(appraiser, story.a)
    assert can_view_unit_results(head_b, story.b)


# -- content ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_headline(english_client, head_a, story):
    english_client.force_login(head_a)
    response = english_client.get(page_url())
    html = response.content.decode()
    assert "Sở Giáo dục và Đào tạo" in html
    assert "48.86%" in html  # index
    assert "2 of 4" in html  # rank in the block
    assert "+30.68" in html and "▲&nbsp;1" in html and "was 18.18%, rank 3" in html
    assert "2.69 / 5.5" in html  # total of the applicable maximum
    assert "2.31 points lost" in html and "0.5 deducted" in html
    assert "Final" in html


def headline_points(html: str) -> tuple[D, D, D]:
    """(total, maximum, points lost) as the English headline shows them."""
    found = re.search(
        r'<dd class="stat-value">([0-9.]+) / ([0-9.]+)</dd>\s*<dd class="stat-note">([0-9.]+) '
        r"points lost",
        html,
    )
    return D(found.group(1)), D(found.group(2)), D(found.group(3))


@pytest.mark.django_db
def test_the_headline_comes_from_the_stored_result_even_after_points_change(
    english_client, head_a, story
):
    english_client.force_login(head_a)
    before = english_client.get(page_url()).content.decode()
    assert "Points have changed" not in before
    # The appraisal council raises 2.2 after the computation (2.2 was 0 of 1).
    Score.objects.filter(assessment__unit=story.a, criterion__code="2.2").update(
        final_points=D("1")
    )
    html = english_client.get(page_url()).content.decode()
    total, maximum, lost = headline_points(html)
    assert (total, maximum, lost) == (D("2.69"), D("5.5"), D("2.31"))
    # The headline adds up: total + lost + deducted = maximum (no bonus here).
    assert total + lost + D("0.5") == maximum
    assert "48.86%" in html
    # The list of criteria is today's, and the page says the two moments apart.
    assert lost_codes(html) == ["1.1", "2.10", "2.1"]
    assert "Points have changed since the results above were computed" in html
    assert "1.31 points were lost on 3 criteria" in html
    results_compute(campaign=story.campaign)
    html = english_client.get(page_url()).content.decode()
    assert headline_points(html)[2] == D("1.31")
    assert "Points have changed" not in html


@pytest.mark.django_db
def test_a_preview_says_its_figures_are_provisional(client, head_a, story):
    Result.objects.filter(unit=story.a).update(is_final=False)
    client.force_login(head_a)
    html = client.get(page_url()).content.decode()
    assert html.count('<span class="stat-provisional">(tạm tính)</span>') == 3
    Result.objects.filter(unit=story.a).update(is_final=True)
    assert "(tạm tính)" not in client.get(page_url()).content.decode()


@pytest.mark.django_db
def test_areas_against_the_block_and_the_chart(english_client, head_a, story):
    english_client.force_login(head_a)
    html = english_client.get(page_url()).content.decode()
    areas = html.split('id="areas"', 1)[1].split("<figure", 1)[0]
    assert "83.33" in areas and "62.50" in areas and "100.00" in areas  # area 1
    assert "27.50" in areas and "41.88" in areas  # area 2 with its survey
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "83.33%" in svg and "block average 62.50%" in svg
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_where_we_lost_points(english_client, head_a, story):
    english_client.force_login(head_a)
    html = english_client.get(page_url()).content.decode()
    assert lost_codes(html) == ["2.2", "1.1", "2.10", "2.1"]
    lost = html.split('id="lost-points"', 1)[1]
    assert "Kế hoạch ban hành trễ hạn." in lost and "Đơn vị xin tiếp thu." in lost
    assert "Không có tài liệu kiểm chứng." in lost
    assert lost.count("Scored 0") == 2  # 2.2 appraised at 0, and 2.10 never entered
    assert "another unit did better" in lost
    assert "2 criteria at full marks" in lost
    assert "Deductions and bonus points" in html and "Chậm báo cáo quý." in html


@pytest.mark.django_db
def test_not_applicable_criteria_are_listed_apart(english_client, head_b, story):
    english_client.force_login(head_b)
    html = english_client.get(page_url("so-gtvt")).content.decode()
    assert "Criteria not applicable to this unit" in html
    assert "Không có đơn vị trực thuộc." in html
    assert "No points were lost" in html
    assert "100.00%" in html and "1 of 4" in html


@pytest.mark.django_db
def test_the_vietnamese_page_uses_decimal_commas(client, head_a, story):
    client.force_login(head_a)
    html = client.get(page_url()).content.decode()
    assert "48,86%" in html and "+30,68" in html and "62,50" in html


# -- links --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_members_find_their_latest_results_from_home_and_navigation(client, story):
    head = make_user(username="head_c", unit=story.c, role=Membership.Role.HEAD)
    client.force_login(head)
    html = client.get(reverse("home")).content.decode()
    nav = html.split('class="navbar', 1)[1].split("</nav>", 1)[0]
    assert page_url("so-ct", 2015) in nav
    main = html.split("<main", 1)[1]
    assert page_url("so-ct", 2015) in main


@pytest.mark.django_db
def test_a_member_without_results_gets_no_link(client, unit_a):
    head = make_user(username="head_x", unit=unit_a, role=Membership.Role.HEAD)
    client.force_login(head)
    html = client.get(reverse("home")).content.decode()
    assert "/results/" not in html


@pytest.mark.django_db
def test_the_unit_page_links_to_each_year_with_a_result(client, staff, story):
    client.force_login(staff)
    html = client.get(reverse("units:unit_detail", args=["so-gddt"])).content.decode()
    assert page_url("so-gddt", 2015) in html and page_url("so-gddt", 2014) in html
    html = client.get(reverse("units:unit_detail", args=["so-dl"])).content.decode()
    assert page_url("so-dl", 2015) in html and page_url("so-dl", 2014) not in html


# -- queries ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_page_takes_a_fixed_number_of_queries(
    client, size, staff, django_assert_max_num_queries
):
    campaign, units = build_block_of(size)
    head = make_user(unit=units[0], role=Membership.Role.HEAD)
    for user in (staff, head):
        client.force_login(user)
        with django_assert_max_num_queries(15):
            response = client.get(page_url(units[0].code, campaign.year))
        assert response.status_code == 200
        assert response.context["results"].comparison.units == size


# -- the demo -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_results(demo_db, django_db_blocker):
    """The demo (loaded once for the module) with its 2015 results computed."""
    with django_db_blocker.unblock():
        results_compute(campaign=Campaign.objects.get(year=2015))


@pytest.mark.django_db
def test_the_demo_education_department_sees_where_it_lost_points(
    client, demo_results, django_user_model
):
    client.force_login(django_user_model.objects.get(username="gddt_head"))
    response = client.get(page_url("so-gddt", 2015))
    assert response.status_code == 200
    losses = [leaf.lost for leaf in response.context["results"].lost.losing]
    assert losses == sorted(losses, reverse=True) and len(losses) > 5
    codes = lost_codes(response.content.decode())
    assert codes == [leaf.code for leaf in response.context["results"].lost.losing]
    assert codes[0] == "1.1.2"
    assert response.context["results"].comparison.units == 22
    assert response.context["result"] == Result.objects.get(
        unit__code="so-gddt", campaign__year=2015
    )
    # Its counterpart in Transport is not for the Education department's head.
    assert client.get(page_url("so-gtvt", 2015)).status_code == 404
