"""Benchmark of the campaign computation against a raw SQL SUM ... GROUP BY over the same scores.

    .venv/bin/python bench/scoring.py [--units N] [--leaves M] [--repeat R] [--keep]

Generates one campaign of N units scored on one framework of M leaves (default
5,000 × 100), then times, interleaved in the same run, `results_compute` end to end
(reading, summing, ranking and writing the Result rows) and the raw baseline

    SELECT assessment_id, SUM(COALESCE(final_points, appraised_points, self_points, 0))
    FROM scoring_score JOIN scoring_assessment ... WHERE campaign_id = %s GROUP BY assessment_id

fetched fully into Python. It prints the best and median of R runs of each after one
warm-up, their ratio and the computation's number of queries. Goal on PostgreSQL:
ratio ≤ 2 and the computation under 1 s. See bench/README.md.

The database is DATABASE_URL's, or bench/.data/bench.sqlite3 when it is unset or
empty. The script migrates it, and refuses a database holding anything but its own
data (never the developer's db.sqlite3). Its data is deleted at the end unless --keep;
a later run with the same --units, --leaves and --seed reuses kept data."""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_database import (  # noqa: E402  (bench/ is not on the path by itself)
    DEFAULT_SQLITE,
    refuse_foreign_data,
    remove_own_sqlite,
    setup_django,
    vendor,
)
from bench.campaign_data import (  # noqa: E402
    DEDUCTION_LEAVES,
    SCORED_AREAS,
    bench_campaign,
    delete_bench_data,
    row_counts,
)

GOAL_RATIO = 2.0

GOAL_MS = 1000.0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = setup_django()

    from django.core.management import call_command
    from django.db import connection

    refuse_foreign_data(connection)
    call_command("migrate", verbosity=0, interactive=False)

    print(f"Database: {vendor(connection)} ({database})")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    campaign, generated = bench_campaign(args)
    counts = row_counts(campaign)
    print(
        f"Data: {counts['assessments']:,} units × {args.leaves} leaves "
        f"({counts['survey_leaves']} survey): {counts['scores']:,} scores "
        f"({counts['not_applicable']:,} not applicable), "
        f"{counts['survey_results']:,} survey results"
    )
    if generated is None:
        print("Generation: reused the data kept by an earlier run (--keep)")
    else:
        print(f"Generation: {generated:,.0f} ms (not part of the timings below)")

    try:
        report = measure(campaign, repeat=args.repeat, profile=args.profile)
    finally:
        if not args.keep:
            cleanup(campaign, database)
    print_report(report, connection)
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000, help="assessed units (5000)")
    parser.add_argument("--leaves", type=int, default=100, help="leaves of the framework (100)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (1)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one computation with cProfile"
    )
    args = parser.parse_args(argv)
    if args.units < 1 or args.repeat < 1:
        parser.error("--units and --repeat must be at least 1")
    if args.leaves < SCORED_AREAS + DEDUCTION_LEAVES + 1:
        parser.error(f"--leaves must be at least {SCORED_AREAS + DEDUCTION_LEAVES + 1}")
    return args


def cleanup(campaign, database: str) -> None:
    if remove_own_sqlite(database, DEFAULT_SQLITE):
        return
    started = time.perf_counter()
    delete_bench_data()
    print(f"Cleanup: deleted the generated data ({time.perf_counter() - started:.1f} s)")


@dataclass
class Report:
    compute_ms: list[float]
    baseline_ms: list[float]
    queries: int
    results: int
    baseline_rows: int
    mismatches: int
    vendor: str
    profile: str = ""

    @property
    def ratio(self) -> float:
        return min(self.compute_ms) / min(self.baseline_ms)

    @property
    def passes(self) -> bool:
        return self.ratio <= GOAL_RATIO and min(self.compute_ms) < GOAL_MS


def baseline_sql() -> str:
    from scoring.models import Assessment, Score

    score, assessment = Score._meta.db_table, Assessment._meta.db_table
    return (
        "SELECT s.assessment_id, "
        "SUM(COALESCE(s.final_points, s.appraised_points, s.self_points, 0)) "
        f"FROM {score} s JOIN {assessment} a ON a.id = s.assessment_id "
        "WHERE a.campaign_id = %s GROUP BY s.assessment_id"
    )


def measure(campaign, *, repeat: int, profile: bool) -> Report:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.models import Result
    from scoring.services.results import results_compute

    sql = baseline_sql()

    def baseline() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [campaign.pk])
            return cursor.fetchall()

    def compute():
        return results_compute(campaign=campaign)

    def vacuum():
        # Each run replaces 5,000 rows of scoring_result; autovacuum clears the dead
        # ones between two recomputations minutes apart, but not between runs a second
        # apart: without this, every run would be slower than the one before.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {Result._meta.db_table}")

    # Warm-up: connections, caches, and the count of queries (outside the timings).
    sums = baseline()
    with CaptureQueriesContext(connection) as queries:
        results = compute()

    compute_ms, baseline_ms = [], []
    for _ in range(repeat):
        baseline_ms.append(_timed(baseline))
        vacuum()
        compute_ms.append(_timed(compute))

    report = Report(
        compute_ms=compute_ms,
        baseline_ms=baseline_ms,
        queries=len(queries),
        results=len(results),
        baseline_rows=len(sums),
        mismatches=_mismatches(campaign, sums),
        vendor=vendor(connection),
    )
    if profile:
        vacuum()
        profiler = cProfile.Profile()
        profiler.runcall(compute)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        report.profile = text.getvalue()
    return report


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _mismatches(campaign, sums: list[tuple]) -> int:
    """Assessments whose stored scored points + deductions differ from the baseline sum.

    The generated data makes them equal: survey leaves have no Score rows, scores
    that do not apply have no points, and deductions stay under their area's cap.
    """
    from scoring.models import Result

    stored = {
        assessment_id: scored + deductions
        for assessment_id, scored, deductions in Result.objects.filter(
            campaign=campaign
        ).values_list("assessment_id", "scored_points", "deductions")
    }
    baseline = {assessment_id: Decimal(str(total)) for assessment_id, total in sums}
    return sum(1 for key in baseline.keys() | stored.keys() if baseline.get(key) != stored.get(key))


def print_report(report: Report, connection) -> None:
    def figures(values: list[float]) -> str:
        return f"best {min(values):8.1f} ms   median {statistics.median(values):8.1f} ms"

    runs = len(report.compute_ms)
    print(f"Timings ({runs} run{'s' if runs > 1 else ''} of each after one warm-up, interleaved):")
    print(
        f"  computation  {figures(report.compute_ms)}   "
        f"{report.queries} queries, {report.results:,} Result rows written"
    )
    print(
        f"  baseline SQL {figures(report.baseline_ms)}   "
        f"1 query, {report.baseline_rows:,} rows fetched"
    )
    print(f"  ratio        {report.ratio:.2f} (best computation / best baseline)")
    check = "OK" if report.mismatches == 0 else f"{report.mismatches} MISMATCHES"
    print(f"Check: stored scored points + deductions = baseline sums: {check}")
    if report.profile:
        print(report.profile)
    goal = f"ratio ≤ {GOAL_RATIO:g} and computation < {GOAL_MS:,.0f} ms"
    if connection.vendor == "postgresql":
        print(f"Goal ({goal}): {'PASS' if report.passes else 'MISS'}")
    else:
        print(f"Goal ({goal}) is set for PostgreSQL; figures for {report.vendor} reported only.")


if __name__ == "__main__":
    sys.exit(main())
