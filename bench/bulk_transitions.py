#!/usr/bin/env python
"""Benchmark of a bulk workflow step against a bare UPDATE of the same rows.

    .venv/bin/python bench/bulk_transitions.py [--units N] [--leaves M] [--repeat R] [--keep]

Generates one campaign of N units (default 5,000) whose assessments each have M
appraised scores (default 20), then times, interleaved in the same run:

- the preview, scoring.services.bulk.bulk_plan (who would move and why not);
- the step, assessments_bulk_transition, end to end: the rows locked and read again,
  every transition check, one UPDATE, one event per assessment, the notifications'
  recipient lookup, the commit. For "start_appraisal" (submitted → in appraisal, no
  check of its own) and "return" (in appraisal → returned, whose check reads every
  score for leaves not appraised yet);
- the baseline: Assessment.objects.filter(pk__in=ids).update(state=...), the same
  rows, nothing checked or recorded; and that UPDATE with the bulk_create of one
  AssessmentEvent per row, the least a step that keeps its history must write.

Between runs the rows are put back (not timed). It prints the best and median of R runs
after one warm-up, the ratio to the baseline and the number of queries. See
bench/README.md.

The database is DATABASE_URL's, or bench/.data/bulk.sqlite3 when it is unset or empty
(removed at the end unless --keep). The script migrates it, and refuses a database
holding anything but its own data (never the developer's db.sqlite3).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "bench" / ".data" / "bulk.sqlite3"
DEVELOPER_SQLITE = ROOT / "db.sqlite3"

BENCH_BLOCK = "bench"
BENCH_NAME = "Benchmark"
BENCH_USER = "bench-staff"
BENCH_YEAR = 2101


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = setup_django()

    from django.core.management import call_command
    from django.db import connection

    refuse_foreign_data(connection)
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Database: {vendor(connection)} ({database})")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")

    started = time.perf_counter()
    campaign, staff, ids = generate(args)
    print(
        f"Generated {len(ids):,} assessments × {args.leaves} scores "
        f"in {time.perf_counter() - started:.1f} s"
    )
    try:
        for action, source, target in (
            ("start_appraisal", "submitted", "in_appraisal"),
            ("return", "in_appraisal", "returned"),
        ):
            report = measure(campaign, staff, ids, action, source, target, repeat=args.repeat)
            print_report(action, report, len(ids))
    finally:
        if not args.keep:
            cleanup(database)
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--leaves", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="Keep the generated data.")
    return parser.parse_args(argv)


def setup_django() -> str:
    """Configure Django on DATABASE_URL (or the bench's SQLite file); return where it is."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc_portal.settings"
    os.environ["DJANGO_DEBUG"] = "true"  # development settings; DEBUG is turned off below
    if not os.environ.get("DATABASE_URL"):
        DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_SQLITE}"

    import django
    from django.conf import settings

    django.setup()
    # Production runs without DEBUG's logging cursor; queries are counted with
    # CaptureQueriesContext instead. Mails go nowhere.
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = Path(db["NAME"]).resolve()
        if path == DEVELOPER_SQLITE.resolve():
            sys.exit(f"Refusing to run on the developer's database {path}.")
        return str(path)
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}/{db['NAME']}"


def refuse_foreign_data(connection) -> None:
    """Exit unless the database is empty or holds nothing but the bench's own data."""
    tables = set(connection.introspection.table_names())
    if not tables:
        return
    if "units_block" not in tables:
        sys.exit("Refusing to run: the database holds tables that are not the portal's.")
    checks = {
        "units_block": ("code <> %s", [BENCH_BLOCK]),
        "scoring_campaign": ("name NOT LIKE %s", [BENCH_NAME + "%"]),
        "units_province": ("1 = 1", []),
        "auth_user": ("username <> %s", [BENCH_USER]),
    }
    with connection.cursor() as cursor:
        for table, (condition, params) in checks.items():
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}", params)
                if cursor.fetchone()[0]:
                    sys.exit(
                        f"Refusing to run: the database holds data of its own ({table}). "
                        "Point DATABASE_URL at an empty database."
                    )


def vendor(connection) -> str:
    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{rest}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def generate(args: argparse.Namespace):
    """The bench's campaign, its staff member and the ids of its assessments (reused if kept)."""
    from django.contrib.auth.models import Group, User

    from scoring.models import Assessment, Campaign, CampaignBlock, Criterion, Framework, Score
    from units.models import STAFF_GROUP, Block, Unit

    staff, _ = User.objects.get_or_create(username=BENCH_USER)
    staff.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    name = f"{BENCH_NAME} {args.units}×{args.leaves}"
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is not None:
        return campaign, staff, list(campaign.assessments.values_list("pk", flat=True))
    if Campaign.objects.filter(year=BENCH_YEAR).exists():
        sys.exit(
            "Kept data of other sizes is in the way: run once with those sizes, without --keep."
        )
    block, _ = Block.objects.get_or_create(code=BENCH_BLOCK, defaults={"name": "Bench"})
    framework = Framework.objects.create(year=BENCH_YEAR, block=block, name=name)
    area = Criterion.objects.create(
        framework=framework, code="1", title="Lĩnh vực", max_points=Decimal(args.leaves)
    )
    leaves = [
        Criterion.objects.create(
            framework=framework,
            parent=area,
            code=f"1.{n}",
            title=f"Tiêu chí {n}",
            max_points=Decimal(1),
        )
        for n in range(1, args.leaves + 1)
    ]
    campaign = Campaign.objects.create(year=BENCH_YEAR, name=name)
    CampaignBlock.objects.create(campaign=campaign, block=block, framework=framework)
    units = Unit.objects.bulk_create(
        Unit(code=f"bench-{n}", name=f"Đơn vị {n}", search_text=f"don vi {n}", block=block)
        for n in range(args.units)
    )
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(campaign=campaign, unit=unit, framework=framework, state="submitted")
            for unit in units
        ),
        batch_size=2000,
    )
    Score.objects.bulk_create(
        (
            Score(
                assessment=assessment,
                criterion=leaf,
                self_points=Decimal(1),
                appraised_points=Decimal("0.5"),
                appraisal_note="Thiếu tài liệu",
            )
            for assessment in assessments
            for leaf in leaves
        ),
        batch_size=5000,
    )
    return campaign, staff, [assessment.pk for assessment in assessments]


def reset(ids: list[int], state: str) -> None:
    from scoring.models import Assessment, AssessmentEvent

    AssessmentEvent.objects.filter(assessment_id__in=ids).delete()
    Assessment.objects.filter(pk__in=ids).update(state=state)


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def measure(campaign, staff, ids, action, source, target, *, repeat: int) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from scoring.models import Assessment, AssessmentEvent
    from scoring.services.bulk import assessments_bulk_transition, bulk_plan

    def step():
        outcome = assessments_bulk_transition(
            campaign=campaign, action=action, actor=staff, assessment_ids=ids
        )
        assert len(outcome.moved) == len(ids) and not outcome.refused, outcome.refused[:3]

    def preview():
        plan = bulk_plan(campaign=campaign, action=action, actor=staff)
        assert len(plan.movable) == len(ids)

    def baseline():
        Assessment.objects.filter(pk__in=ids).update(state=target, updated_at=timezone.now())

    def baseline_with_events():
        # The least a recorded step writes: the same UPDATE and one event row per file.
        with transaction.atomic():
            baseline()
            AssessmentEvent.objects.bulk_create(
                (
                    AssessmentEvent(
                        assessment_id=pk,
                        action=action,
                        from_state=source,
                        to_state=target,
                        actor=staff,
                    )
                    for pk in ids
                ),
                batch_size=500,
            )

    figures = {"step": [], "preview": [], "baseline": [], "baseline_events": []}
    reset(ids, source)
    with CaptureQueriesContext(connection) as step_queries:
        step()  # warm-up
    reset(ids, source)
    with CaptureQueriesContext(connection) as preview_queries:
        preview()
    baseline()
    for _ in range(repeat):
        reset(ids, source)
        figures["preview"].append(_timed(preview))
        figures["step"].append(_timed(step))
        reset(ids, source)
        figures["baseline"].append(_timed(baseline))
        reset(ids, source)
        figures["baseline_events"].append(_timed(baseline_with_events))
    reset(ids, source)
    figures["step_queries"] = len(step_queries)
    figures["preview_queries"] = len(preview_queries)
    return figures


def print_report(action: str, report: dict, units: int) -> None:
    def best_median(values: list[float]) -> str:
        return f"{min(values):,.0f} / {statistics.median(values):,.0f} ms"

    ratio = min(report["step"]) / min(report["baseline"])
    print(f"\n{action} for {units:,} assessments")
    for name in ("step", "preview"):
        queries = report[f"{name}_queries"]
        print(f"  {name:<9} best / median: {best_median(report[name])} ({queries} queries)")
    print(f"  baseline  best / median: {best_median(report['baseline'])} (1 query)")
    print(f"  + events  best / median: {best_median(report['baseline_events'])}")
    with_events = min(report["step"]) / min(report["baseline_events"])
    print(f"  ratio of the bests: step / baseline {ratio:.1f}, step / (+ events) {with_events:.1f}")


def cleanup(database: str) -> None:
    from django.db import connection

    if connection.vendor == "sqlite" and Path(database) == DEFAULT_SQLITE.resolve():
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(database + suffix).unlink(missing_ok=True)
        print(f"\nCleanup: removed {database}")
        return
    bench_assessments = (
        "SELECT a.id FROM scoring_assessment a "
        "JOIN scoring_campaign c ON c.id = a.campaign_id WHERE c.name LIKE %s"
    )
    bench_campaigns = "SELECT id FROM scoring_campaign WHERE name LIKE %s"
    with connection.cursor() as cursor:
        # The bench's scores have no history rows: one DELETE each, children first.
        for table, condition in (
            ("scoring_assessmentevent", f"assessment_id IN ({bench_assessments})"),
            ("scoring_score", f"assessment_id IN ({bench_assessments})"),
            ("scoring_assessment", f"campaign_id IN ({bench_campaigns})"),
            ("scoring_campaignblock", f"campaign_id IN ({bench_campaigns})"),
            ("scoring_campaign", "name LIKE %s"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", [BENCH_NAME + "%"])
    from scoring.models import Criterion, Framework
    from units.models import Block, Unit

    Criterion.objects.filter(framework__block__code=BENCH_BLOCK).delete()
    Framework.objects.filter(block__code=BENCH_BLOCK).delete()
    Unit.objects.filter(block__code=BENCH_BLOCK).delete()
    Block.objects.filter(code=BENCH_BLOCK).delete()
    print("\nCleanup: deleted the generated data")


if __name__ == "__main__":
    sys.exit(main())
