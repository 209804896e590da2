"""The second demo: Lam Giang's 2025 season, beside an untouched Sóc Trăng story."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings

from demo.accounts import DEMO_PASSWORD
from demo.lam_giang import SAMPLES, province_samples
from demo.lam_giang_criteria import framework_samples
from demo.lam_giang_season import CAMPAIGN_NAME, lam_giang_load, sample_logins
from demo.loader import demo_load
from demo.samples import cell_values
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Campaign,
    DeadlineExtension,
    Framework,
    Score,
    SurveyResult,
)
from scoring.services.results import results_compute
from tests.conftest import FAST_HASHING
from units.models import Block, Membership, Province, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def both(django_db_setup, django_db_blocker):
    """Both stories, loaded once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHING),
        transaction.atomic(),
    ):
        demo_load()
        yield lam_giang_load()
        transaction.set_rollback(True)


def campaign() -> Campaign:
    return Campaign.objects.get(year=2025)


def test_the_province_has_its_blocks_with_a_special_zone_and_no_districts(both):
    current = Unit.objects.active_in(2025)
    counts = Counter(current.filter(code__startswith="lg-").values_list("block__code", flat=True))
    assert counts == {"lg-so": 14, "lg-phuong": 40, "lg-xa": 60}
    assert current.filter(block__code="lg-xa", name__startswith="Đặc khu").count() == 1
    assert Unit.objects.filter(block__code="lg-huyen", active_to=2024).count() == 5


def test_lineage_reaches_back_to_the_districts_and_communes_before_2025(both):
    zone = Unit.objects.get(code="lg-dk-hon-ngoc")
    assert sorted(zone.predecessors.values_list("code", flat=True)) == [
        "lg-h-hon-ngoc", "lg-hhn-hon-tre", "lg-hhn-tt-hon-ngoc",
    ]  # fmt: skip
    merged = Unit.objects.filter(
        code__startswith="lg-", active_from=2025, predecessors__isnull=False
    )
    assert merged.distinct().count() >= 10
    assert all(p.active_to == 2024 for unit in merged for p in unit.predecessors.all())


def test_every_unit_has_its_head_and_editor_who_log_in_with_the_demo_password(both, client):
    units = Unit.objects.active_in(2025).filter(code__startswith="lg-")
    roles = Counter(Membership.objects.filter(unit__in=units).values_list("unit_id", "role"))
    assert len(roles) == 2 * units.count()  # a head and an editor each
    assert User.objects.filter(groups__name="appraiser", email__endswith="lamgiang.example").count()
    head = Membership.objects.get(unit__code="lg-so-nv", role="unit_head").user
    assert head.check_password(DEMO_PASSWORD) and head.is_active
    assert head.invitation.accepted_at is not None  # taken up: no mail goes out


def test_a_framework_per_block_in_the_eight_areas_imported_and_locked(both):
    for block in ("lg-so", "lg-phuong", "lg-xa"):
        framework = Framework.objects.get(year=2025, block__code=block)
        areas = framework.criteria.filter(parent__isnull=True)
        assert areas.count() == 8 and framework.max_points == 100
        assert framework.consistency_problems() == [] and framework.locked
    assert set(campaign().blocks.values_list("block__code", flat=True)) == {
        "lg-so", "lg-phuong", "lg-xa",
    }  # fmt: skip


def test_the_season_stands_part_way_through_appraisal(both):
    season = campaign()
    assert season.name == CAMPAIGN_NAME and season.status == Campaign.Status.APPRAISAL
    states = Counter(Assessment.objects.filter(campaign=season).values_list("state", flat=True))
    assert sum(states.values()) == 114
    assert states["returned"] == 2 and states["draft"] >= 10
    assert states["submitted"] > states["in_appraisal"] > 10 and states["appraised"] > 20
    per_block = Counter(
        Assessment.objects.filter(campaign=season).values_list("unit__block__code", "state")
    )
    for block in ("lg-so", "lg-phuong", "lg-xa"):
        assert {state for (b, state) in per_block if b == block} >= {
            "draft", "submitted", "in_appraisal", "appraised",
        }  # fmt: skip
    # One straggler got more time; the demo appraiser has files to appraise.
    assert DeadlineExtension.objects.filter(assessment__campaign=season).count() == 1
    assert AppraiserAssignment.objects.filter(campaign=season, appraiser__username="appraiser")
    assert SurveyResult.objects.filter(assessment__campaign=season).count() == 3 * 114


def test_the_appraisal_lowers_some_claims_and_the_indexes_spread_realistically(both):
    season = campaign()
    lowered = Score.objects.filter(
        assessment__campaign=season, appraised_points__lt=F("self_points")
    )
    assert lowered.exclude(appraisal_note="").count() == lowered.count() > 20
    results = results_compute(campaign=season)
    states = dict(Assessment.objects.filter(campaign=season).values_list("pk", "state"))
    indexes = [float(r.index) for r in results if states[r.assessment_id] != "draft"]
    assert 50 < min(indexes) < 75 and 88 < max(indexes) < 95
    assert 75 < sum(indexes) / len(indexes) < 85


def test_sóc_trăng_stays_as_it_is(both):
    assert Province.current().name == "Sóc Trăng"
    assert list(Block.objects.filter(code__in=("so", "huyen", "xa")).values_list("name")) == [
        ("Sở, ban, ngành",), ("UBND cấp huyện",), ("UBND cấp xã",),
    ]  # fmt: skip
    assert Unit.objects.exclude(code__startswith="lg-").count() == 33
    assert Assessment.objects.exclude(campaign__year=2025).count() == 99


def test_loading_again_changes_nothing(both):
    before = {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "scores": list(Score.objects.order_by("pk").values_list("pk", "version")),
        "states": list(Assessment.objects.order_by("pk").values_list("pk", "state")),
    }
    out = StringIO()
    summary = lam_giang_load(stdout=out)
    assert not summary.created_anything
    assert out.getvalue().count("already loaded.") == 4
    assert before == {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "scores": list(Score.objects.order_by("pk").values_list("pk", "version")),
        "states": list(Assessment.objects.order_by("pk").values_list("pk", "state")),
    }


def test_the_committed_samples_are_what_the_code_writes(both):
    for name, data in {**province_samples(), **framework_samples()}.items():
        assert cell_values((SAMPLES / name).read_bytes()) == cell_values(data), (
            f"docs/samples/{name} is out of date: run manage.py write_samples."
        )


def test_load_demo_loads_both_stories_and_names_a_few_lam_giang_logins(settings):
    settings.DEBUG = True
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        call_command("load_demo", stdout=out)
    assert Campaign.objects.filter(year__in=(2016, 2025)).count() == 2
    # The head and the editor of the straggler given more time and of the files to explain.
    logins = sample_logins()
    assert len(logins) == 2 * 3 and "Lam Giang, 2025" in out.getvalue()
    for username, _name, _role in logins:
        assert username in out.getvalue()
        user = User.objects.get(username=username)
        assert user.memberships.filter(
            unit__assessments__state__in=("draft", "returned"),
            unit__assessments__campaign__year=2025,
        ).exists()
