from decimal import Decimal

import pytest

from scoring.criteria_tree import leaf_scale_problems
from scoring.models import Criterion, FrameworkLockedError
from scoring.services.frameworks import FrameworkError, framework_clone, framework_lock
from tests.factories import make_framework


@pytest.mark.django_db
def test_a_sound_framework_has_no_problems_and_sums_its_areas():
    framework = make_framework(leaves=3, leaf_max="2.5")
    assert framework.consistency_problems() == []
    assert framework.max_points == Decimal("7.5")


@pytest.mark.django_db
def test_a_parent_whose_children_do_not_add_up_is_named(english):
    framework = make_framework(leaves=2, leaf_max="5")
    Criterion.objects.filter(framework=framework, code="1.2").update(max_points=Decimal("4"))
    problems = [str(p) for p in framework.consistency_problems()]
    assert problems == ["1: its maximum 10 is not the sum of its children's maxima (9)."]


@pytest.mark.django_db
def test_a_locked_framework_refuses_to_change_or_lose_a_criterion():
    framework = framework_lock(framework=make_framework())
    leaf = framework.criteria.get(code="1.1")
    leaf.title = "Changed"
    with pytest.raises(FrameworkLockedError):
        leaf.save()
    with pytest.raises(FrameworkLockedError):
        leaf.delete()
    assert framework.criteria.get(code="1.1").title == "Tiêu chí 1"


@pytest.mark.django_db
def test_locking_is_refused_while_the_tree_is_broken():
    framework = make_framework()
    Criterion.objects.filter(framework=framework, code="1.1").update(max_points=Decimal("1"))
    with pytest.raises(FrameworkError):
        framework_lock(framework=framework)
    framework.refresh_from_db()
    assert not framework.locked


@pytest.mark.django_db
def test_cloning_copies_the_whole_tree_to_a_new_unlocked_year():
    source = framework_lock(framework=make_framework(year=2015, leaves=3))
    clone = framework_clone(source=source, year=2016)
    assert not clone.locked and clone.cloned_from == source and clone.year == 2016

    def tree(framework):
        return [
            (c.code, c.parent.code if c.parent else None, c.max_points)
            for c in framework.criteria_in_order().select_related("parent")
        ]

    assert tree(clone) == tree(source)


@pytest.mark.django_db
def test_cloning_onto_an_existing_year_is_refused():
    source = make_framework(year=2015)
    make_framework(year=2016, block=source.block)
    with pytest.raises(FrameworkError):
        framework_clone(source=source, year=2016)


def test_a_ratio_threshold_written_twice_in_two_ways_is_refused(english):
    scale = [
        {"min_percent": "80", "points": "1"},
        {"min_percent": "80.0", "points": "0.5"},
        {"min_percent": "0", "points": "0"},
    ]
    problems = leaf_scale_problems(method="ratio", max_points=Decimal("1"), step=None, scale=scale)
    assert problems == ["“80.0” appears twice in the scale."]
