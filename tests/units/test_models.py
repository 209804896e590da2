import pytest
from django.db import IntegrityError
from django.db.utils import DataError

from tests.factories import make_block, make_unit, make_user
from units.models import Membership, Unit
from units.text import fold


def test_fold_strips_vietnamese_diacritics_and_case():
    assert fold("Ủy ban nhân dân  Huyện Trần Đề") == "uy ban nhan dan huyen tran de"
    assert fold("Sở Giáo dục và Đào tạo") == "so giao duc va dao tao"


@pytest.mark.django_db
def test_search_finds_units_whatever_the_accents_and_case():
    make_unit(name="Ủy ban nhân dân huyện Trần Đề", code="tran-de")
    make_unit(name="Sở Y tế", code="so-yt")
    assert [u.code for u in Unit.objects.search("uy ban tran de")] == ["tran-de"]
    assert [u.code for u in Unit.objects.search("TRẦN ĐỀ")] == ["tran-de"]
    assert Unit.objects.search("").count() == 2


@pytest.mark.django_db
def test_active_in_follows_the_years_a_unit_existed():
    old = make_unit(code="old", active_to=2024)
    new = make_unit(code="new", active_from=2025)
    always = make_unit(code="always")
    assert set(Unit.objects.active_in(2024)) == {old, always}
    assert set(Unit.objects.active_in(2025)) == {new, always}
    assert new.is_active_in(2025) and not new.is_active_in(2024)


@pytest.mark.django_db
def test_a_merged_unit_points_to_its_predecessors_and_they_to_it():
    block = make_block()
    a = make_unit(code="a", block=block, active_to=2024)
    b = make_unit(code="b", block=block, active_to=2024)
    merged = make_unit(code="ab", block=block, active_from=2025)
    merged.predecessors.set([a, b])
    assert set(merged.predecessors.all()) == {a, b}
    assert list(a.successors.all()) == [merged]
    assert list(merged.successors.all()) == []


@pytest.mark.django_db
def test_the_last_active_year_cannot_precede_the_first():
    with pytest.raises((IntegrityError, DataError)):
        make_unit(code="bad", active_from=2020, active_to=2019)


@pytest.mark.django_db
def test_a_user_holds_one_role_per_unit(unit_a):
    user = make_user(unit=unit_a, role=Membership.Role.EDITOR)
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, unit=unit_a, role=Membership.Role.HEAD)
