"""The staff pages of criteria frameworks: the list and the tree of one framework."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Criterion, Framework
from scoring.services.frameworks import framework_lock
from tests.factories import make_framework, make_framework_tree

LIST_URL = reverse("frameworks:framework_list")


def detail_url(pk: int) -> str:
    return reverse("frameworks:framework_detail", args=[pk])


def make_tree_framework() -> Framework:
    return make_framework_tree(source_decision="Quyết định số 1294/QĐ-BNV", illustrative=True)


# -- access ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["list", "detail"])
def test_anonymous_is_sent_to_log_in(client, which):
    url = LIST_URL if which == "list" else detail_url(make_framework().pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["list", "detail"])
def test_a_unit_editor_is_refused(client, editor_a, which):
    client.force_login(editor_a)
    url = LIST_URL if which == "list" else detail_url(make_framework().pk)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_an_unknown_framework_is_404(client, staff):
    client.force_login(staff)
    assert client.get(detail_url(987654)).status_code == 404


# -- list ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_counts_criteria_and_leaves_and_sums_the_maximum(client, staff):
    framework = make_tree_framework()
    framework_lock(framework=make_framework(year=2014, leaves=4, leaf_max="2.5"))
    client.force_login(staff)
    response = client.get(LIST_URL)
    html = response.content.decode()
    rows = {f.pk: f for f in response.context["frameworks"]}
    tree_row = rows[framework.pk]
    # Level-2 criteria 1.1, 1.2, 2.1, 2.2, 2.10, 3.1; leaves add 1.2.1 and 1.2.2 but not 1.2;
    # the deduction area stays out of the maximum.
    assert (tree_row.criterion_count, tree_row.leaf_count) == (6, 7)
    assert tree_row.total_max == Decimal("5.5") == framework.max_points
    assert "5,5" in html  # Vietnamese decimal comma
    assert "Quyết định số 1294/QĐ-BNV" in html
    assert "badge text-bg-warning" in html and "badge text-bg-dark" in html
    assert reverse("frameworks:framework_import") in html
    assert detail_url(framework.pk) in html


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries, size
):
    for i in range(size):
        make_framework(year=1990 + i, leaves=3)
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["frameworks"]) == size


# -- detail -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tree_shows_every_code_in_order_with_vietnamese_subtotals(client, staff):
    framework = make_tree_framework()
    client.force_login(staff)
    html = client.get(detail_url(framework.pk)).content.decode()

    codes = re.findall(r'id="criterion-([0-9.]+)"', html)
    assert codes == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.1", "2.2", "2.10", "3", "3.1"]
    subtotals = re.findall(r'Cộng lĩnh vực (\d+)</td>\s*<td class="num">([0-9,]+)</td>', html)
    assert subtotals == [("1", "3"), ("2", "2,5"), ("3", "2")]
    # Each subtotal closes its area: after the area's last node, before the next area.
    assert html.index('id="criterion-1.2.2"') < html.index("Cộng lĩnh vực 1")
    assert html.index("Cộng lĩnh vực 1") < html.index('id="criterion-2"')


@pytest.mark.django_db
def test_the_tree_shows_scales_guidance_and_flags_readably(client, staff):
    framework = make_tree_framework()
    client.force_login(staff)
    html = client.get(detail_url(framework.pk)).content.decode()
    assert "Đúng hạn: 1; Trễ hạn: 0,5; Không ban hành: 0" in html
    assert "≥ 90%: 0,5; ≥ 0%: 0" in html
    assert "<details" in html and "Kế hoạch ban hành trước ngày 15/12." in html
    assert "1,5" in html and "0,25" in html
    assert str(Criterion.Method.SURVEY.label) in html
    # Export and clone are reachable from the page; cloning is a POST with a year.
    assert reverse("frameworks:framework_export", args=[framework.pk]) in html
    clone = reverse("frameworks:framework_clone", args=[framework.pk])
    assert f'<form method="post" action="{clone}">' in html
    assert 'name="year" value="2016"' in html and 'for="clone-year"' in html


@pytest.mark.django_db
def test_a_broken_tree_is_shown_with_its_problems(english_client, staff):
    framework = make_framework(leaves=2, leaf_max="5")
    Criterion.objects.filter(framework=framework, code="1.2").update(max_points=Decimal("4"))
    english_client.force_login(staff)
    html = english_client.get(detail_url(framework.pk)).content.decode()
    assert "1: its maximum 10 is not the sum of its children&#x27;s maxima (9)." in html


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_tree_takes_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries, size
):
    framework = make_framework(leaves=size, leaf_max="0.5")
    client.force_login(staff)
    with django_assert_max_num_queries(7):
        response = client.get(detail_url(framework.pk))
    assert response.status_code == 200
    assert response.context["tree"].leaf_count == size
