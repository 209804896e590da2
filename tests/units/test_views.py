"""The staff pages of units: the list with its filters and search, and a unit's page."""

import pytest
from django.urls import reverse

from scoring.models import Assessment
from tests.factories import (
    make_assessment,
    make_block,
    make_campaign,
    make_framework,
    make_unit,
    make_user,
)
from units.models import Membership

LIST_URL = reverse("units:unit_list")


def detail_url(code: str) -> str:
    return reverse("units:unit_detail", args=[code])


# -- access ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["list", "detail"])
def test_anonymous_is_sent_to_log_in(client, unit_a, url_name):
    url = LIST_URL if url_name == "list" else detail_url(unit_a.code)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor_a", "head_a", "appraiser"])
@pytest.mark.parametrize("url_name", ["list", "detail"])
def test_non_staff_are_refused(client, request, unit_a, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    url = LIST_URL if url_name == "list" else detail_url(unit_a.code)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_unknown_code_is_404(client, staff):
    client.force_login(staff)
    assert client.get(detail_url("no-such-unit")).status_code == 404


# -- list ---------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_sees_the_table(client, staff, unit_a, unit_b):
    client.force_login(staff)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("so-gddt", "Sở Giáo dục và Đào tạo", "Sở GD&amp;ĐT", "Sở Giao thông vận tải"):
        assert text in html
    assert detail_url("so-gddt") in html


@pytest.mark.django_db
def test_search_folds_accents_and_case(client, staff):
    make_unit(name="Ủy ban nhân dân huyện Long Phú", code="long-phu")
    make_unit(name="Sở Tư pháp", code="so-tp")
    client.force_login(staff)
    html = client.get(LIST_URL, {"q": "uy ban"}).content.decode()
    assert "Ủy ban nhân dân huyện Long Phú" in html
    assert "Sở Tư pháp" not in html


@pytest.mark.django_db
def test_filters_by_block_and_by_active_year(client, staff):
    districts = make_block(code="huyen", name="UBND cấp huyện", position=2)
    make_unit(name="Huyện Trần Đề", code="tran-de", block=districts, active_from=2009)
    make_unit(name="Sở Cũ", code="so-cu", active_to=2014)
    make_unit(name="Sở Mới", code="so-moi", active_from=2016)
    client.force_login(staff)

    html = client.get(LIST_URL, {"block": districts.pk}).content.decode()
    assert "Huyện Trần Đề" in html and "Sở Cũ" not in html

    html = client.get(LIST_URL, {"year": 2015}).content.decode()
    assert "Huyện Trần Đề" in html
    assert "Sở Cũ" not in html and "Sở Mới" not in html


@pytest.mark.django_db
def test_a_bad_year_shows_the_error_and_every_unit(client, staff, unit_a):
    client.force_login(staff)
    response = client.get(LIST_URL, {"year": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert unit_a.name in response.content.decode()


@pytest.mark.django_db
def test_the_list_is_paginated_by_fifty(client, staff):
    for i in range(55):
        make_unit(name=f"Đơn vị {i:02d}", code=f"dv-{i:02d}")
    client.force_login(staff)
    first = client.get(LIST_URL, {"q": "don vi"})
    assert len(first.context["page_obj"].object_list) == 50
    second = client.get(LIST_URL, {"q": "don vi", "page": 2})
    assert len(second.context["page_obj"].object_list) == 5
    # The next-page link keeps the search.
    assert "?q=don+vi&amp;page=2" in first.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries, size
):
    other_block = make_block(code="xa", name="UBND cấp xã", position=3)
    for i in range(size):
        make_unit(block=other_block if i % 2 else None)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL, {"q": "so", "year": 2015})
    assert response.status_code == 200


# -- detail -------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_sees_the_unit_with_lineage_members_and_assessments(
    client, staff, unit_a, editor_a, head_a
):
    old = make_unit(name="Sở Giáo dục", code="so-gd-cu", active_to=2014)
    newer = make_unit(name="Sở Giáo dục và Khoa học", code="so-gdkh", active_from=2026)
    unit_a.predecessors.add(old)
    newer.predecessors.add(unit_a)
    campaign = make_campaign(year=2015, frameworks=(make_framework(year=2015),))
    make_assessment(campaign=campaign, unit=unit_a, state=Assessment.State.SUBMITTED)
    client.force_login(staff)

    html = client.get(detail_url(unit_a.code)).content.decode()
    assert "Sở Giáo dục và Đào tạo" in html
    assert detail_url("so-gd-cu") in html
    assert detail_url("so-gdkh") in html
    assert "editor_a" in html and "head_a" in html
    assert str(Membership.Role.HEAD.label) in html
    assert reverse("campaigns:campaign_detail", args=[2015]) in html
    assert str(Assessment.State.SUBMITTED.label) in html


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_detail_takes_a_fixed_number_of_queries(
    client, staff, unit_a, django_assert_max_num_queries, size
):
    framework = make_framework(year=2000)
    for i in range(size):
        unit_a.predecessors.add(make_unit())
        make_unit(parent=unit_a)
        make_user(unit=unit_a)
        campaign = make_campaign(year=2000 + i, frameworks=(framework,) if i == 0 else ())
        if i == 0:
            make_assessment(campaign=campaign, unit=unit_a)
    client.force_login(staff)
    with django_assert_max_num_queries(11):
        response = client.get(detail_url(unit_a.code))
    assert response.status_code == 200
