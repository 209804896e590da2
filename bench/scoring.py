#!/usr/bin/env python
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
a later run with the same --units, --leaves and --seed reuses kept data.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "bench" / ".data" / "bench.sqlite3"
DEVELOPER_SQLITE = ROOT / "db.sqlite3"

BENCH_BLOCK = "bench"
BENCH_NAME = "Benchmark"  # every bench campaign's name starts with it
BENCH_YEAR = 2100
GOAL_RATIO = 2.0
GOAL_MS = 1000.0

SCORED_AREAS = 7  # plus one area of deductions
DEDUCTION_LEAVES = 2
SURVEY_SHARE = 0.03
NOT_APPLICABLE_SHARE = 0.2  # of the scores of leaves that may not apply (every 10th leaf)
QUARTERS = [f"{q / 4:.2f}" for q in range(0, 4 * 20 + 1)]  # "0.00", "0.25" ... "20.00"
WEIGHTS = {"A": "100", "B": "60", "C": "20", "D": "0"}
GROUPS = ("Lãnh đạo, công chức", "Người dân, doanh nghiệp")
TIERS = (("Tốt", "80"), ("Khá", "65"), ("Trung bình", "50"))
# The areas of a provincial index; their titles go into every Result row's `areas`.
AREA_TITLES = (
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    "Các nội dung bị trừ điểm",
)


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


# --- Django and the database -----------------------------------------------------------


def setup_django() -> str:
    """Configure Django on DATABASE_URL (or the bench's SQLite file); return where it is."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc_portal.settings"
    # The development settings (no secret key needed); DEBUG itself is turned off below.
    os.environ["DJANGO_DEBUG"] = "true"
    if not os.environ.get("DATABASE_URL"):
        DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_SQLITE}"

    import django
    from django.conf import settings

    django.setup()
    # With DEBUG on, every query goes through Django's logging cursor; production runs
    # without it. Queries are counted with CaptureQueriesContext instead.
    settings.DEBUG = False

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
        "auth_user": ("1 = 1", []),
    }
    with connection.cursor() as cursor:
        for table, (condition, params) in checks.items():
            if table not in tables:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}", params)
            if cursor.fetchone()[0]:
                sys.exit(
                    f"Refusing to run: the database holds data of its own ({table}). "
                    "Point DATABASE_URL at an empty database, e.g. "
                    "postgres://cchc:cchc@127.0.0.1:5432/cchc_bench."
                )


def vendor(connection) -> str:
    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{rest}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


# --- Generated data ----------------------------------------------------------------------


def _parent(code: str) -> str | None:
    head, _sep, _tail = code.rpartition(".")
    return head or None


@dataclass(frozen=True)
class NodeSpec:
    code: str
    max_points: Decimal
    method: str = "direct"
    na_allowed: bool = False

    @property
    def parent_code(self) -> str | None:
        return _parent(self.code)


def campaign_name(args: argparse.Namespace) -> str:
    return f"{BENCH_NAME} {args.units}×{args.leaves} seed {args.seed}"


def bench_campaign(args: argparse.Namespace):
    """The campaign of these arguments, kept by an earlier run or generated now.

    Returns (campaign, generation time in ms, or None when reused).
    """
    from scoring.models import Campaign, Result

    kept = Campaign.objects.filter(name=campaign_name(args)).first()
    if kept is not None:
        Result.objects.filter(campaign=kept).delete()
        return kept, None
    started = time.perf_counter()
    delete_bench_data()
    campaign = generate(args)
    analyze()
    return campaign, (time.perf_counter() - started) * 1000


def framework_plan(leaves: int, rng: random.Random) -> list[NodeSpec]:
    """Seven scored areas and one of deductions; some criteria have sub-criteria.

    A few percent of the leaves are surveys (the last leaf of every other area), every
    tenth leaf may be not applicable, leaf maxima are multiples of 0.25.
    """
    scored_leaves = leaves - DEDUCTION_LEAVES
    per_area = [
        scored_leaves // SCORED_AREAS + (1 if i < scored_leaves % SCORED_AREAS else 0)
        for i in range(SCORED_AREAS)
    ]
    surveys = max(1, round(leaves * SURVEY_SHARE))
    survey_areas = [(2 * i + 1) % SCORED_AREAS for i in range(surveys)]  # areas 2, 4, 6, ...
    nodes: list[NodeSpec] = []
    leaf_number = 0
    for area_index, count in enumerate(per_area):
        area = str(area_index + 1)
        children: list[NodeSpec] = []
        criterion, remaining = 0, count
        while remaining:
            criterion += 1
            code = f"{area}.{criterion}"
            subs = min(3, remaining) if criterion % 3 == 0 and remaining >= 2 else 0
            for sub in range(1, subs + 1) if subs else [None]:
                leaf_number += 1
                leaf_code = f"{code}.{sub}" if sub else code
                children.append(
                    NodeSpec(
                        leaf_code,
                        Decimal(rng.choice(("0.5", "0.75", "1", "1", "1.5", "2"))),
                        na_allowed=leaf_number % 10 == 0,
                    )
                )
                remaining -= 1
        for _ in range(survey_areas.count(area_index)):
            # The last direct leaf of the area becomes a survey of 2 points.
            index = max(i for i, n in enumerate(children) if n.method == "direct")
            children[index] = NodeSpec(children[index].code, Decimal("2"), "survey")
        nodes.extend(_with_parents(area, children))
    deductions = [
        NodeSpec(f"{SCORED_AREAS + 1}.{i}", Decimal("1"), "deduction")
        for i in range(1, DEDUCTION_LEAVES + 1)
    ]
    nodes.extend(_with_parents(str(SCORED_AREAS + 1), deductions, method="deduction"))
    return nodes


def _with_parents(area: str, leaves: list[NodeSpec], method: str = "direct") -> list[NodeSpec]:
    """The leaves of one area under their area and criteria, each maximum the sum below it."""
    maxima: dict[str, Decimal] = {}
    for leaf in leaves:
        parent = leaf.parent_code
        while parent:
            maxima[parent] = maxima.get(parent, Decimal("0")) + leaf.max_points
            parent = _parent(parent)
    parents = [NodeSpec(code, total, method) for code, total in maxima.items()]
    return sorted(parents + leaves, key=lambda n: [int(p) for p in n.code.split(".")])


def generate(args: argparse.Namespace):
    """Units, framework, campaign, assessments, scores and survey results, seeded."""
    from django.db import connection, transaction
    from django.utils import timezone

    from scoring.models import (
        Assessment,
        Campaign,
        CampaignBlock,
        Criterion,
        Framework,
        Score,
        SurveyAnswer,
        SurveyResult,
        TierBand,
    )
    from units.models import Block, Unit
    from units.text import fold

    rng = random.Random(f"cchc-bench:{args.seed}")
    plan = framework_plan(args.leaves, rng)
    with transaction.atomic():
        block = Block.objects.create(code=BENCH_BLOCK, name="Khối đo hiệu năng", position=99)
        framework = Framework.objects.create(
            year=BENCH_YEAR, block=block, name="Bộ tiêu chí đo hiệu năng", illustrative=True
        )
        created: dict[str, Criterion] = {}
        for node in plan:
            created[node.code] = Criterion.objects.create(
                framework=framework,
                parent=created.get(node.parent_code) if node.parent_code else None,
                code=node.code,
                title=_title(node.code),
                max_points=node.max_points,
                method=node.method,
                step=Decimal("0.25") if node.method == "direct" else None,
                na_allowed=node.na_allowed,
            )
        parents = {node.parent_code for node in plan}
        leaves = [(created[n.code].pk, n) for n in plan if n.code not in parents]  # in code order
        campaign = Campaign.objects.create(
            year=BENCH_YEAR,
            name=campaign_name(args),
            status=Campaign.Status.APPRAISAL,
        )
        campaign_block = CampaignBlock.objects.create(
            campaign=campaign, block=block, framework=framework
        )
        TierBand.objects.bulk_create(
            TierBand(campaign_block=campaign_block, name=name, min_index=Decimal(minimum))
            for name, minimum in TIERS
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(campaign=campaign, code=code, weight_percent=Decimal(weight))
            for code, weight in WEIGHTS.items()
        )

        units = []
        for n in range(1, args.units + 1):
            name = f"Đơn vị đo hiệu năng số {n:05d}"
            code = f"bench-{n:05d}"
            units.append(
                Unit(code=code, name=name, block=block, search_text=fold(f"{name}  {code}"))
            )
        Unit.objects.bulk_create(units, batch_size=2000)
        units = list(Unit.objects.filter(block=block).order_by("code"))
        Assessment.objects.bulk_create(
            (
                Assessment(
                    campaign=campaign, unit=unit, framework=framework, state=_state(position)
                )
                for position, unit in enumerate(units)
            ),
            batch_size=2000,
        )
        assessments = list(
            Assessment.objects.filter(campaign=campaign).order_by("pk").values_list("pk", "state")
        )

        # Rows go in as the columns take them: the time as the database adapter wants it.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        scored = [(pk, leaf) for pk, leaf in leaves if leaf.method != "survey"]
        surveyed = [pk for pk, leaf in leaves if leaf.method == "survey"]
        insert_rows(
            Score,
            [
                "assessment_id",
                "criterion_id",
                "not_applicable",
                "na_reason",
                "self_points",
                "self_input",
                "self_explanation",
                "appraised_points",
                "appraisal_note",
                "unit_reply",
                "final_points",
                "updated_at",
            ],
            _score_rows(rng, assessments, scored, now),
        )
        insert_rows(
            SurveyResult,
            ["assessment_id", "criterion_id", "respondent_group", "answer_counts", "imported_at"],
            _survey_rows(rng, assessments, surveyed, now),
        )
    return campaign


def _title(code: str) -> str:
    return AREA_TITLES[int(code) - 1] if "." not in code else f"Tiêu chí {code}"


def _state(position: int) -> str:
    """Eight in ten appraised, one in appraisal, one submitted (a preview on its claims)."""
    from scoring.models import Assessment

    return {8: Assessment.State.IN_APPRAISAL, 9: Assessment.State.SUBMITTED}.get(
        position % 10, Assessment.State.APPRAISED
    )


def _score_rows(rng: random.Random, assessments, leaves, now) -> Iterable[tuple]:
    """One row per assessment and non-survey leaf, points in steps of 0.25.

    The unit claims near the maximum; the appraisal sometimes takes a step or two off,
    and the final points are the appraisal, rarely raised back one step after an
    explanation. Final points exist once appraised, appraised points once in appraisal.
    """
    from scoring.models import Assessment

    randint, random_ = rng.randint, rng.random
    for assessment_id, state in assessments:
        appraised = state != Assessment.State.SUBMITTED
        final = state == Assessment.State.APPRAISED
        for criterion_id, leaf in leaves:
            if leaf.na_allowed and random_() < NOT_APPLICABLE_SHARE:
                yield (assessment_id, criterion_id, True, "Không phát sinh", None, "{}", "",
                       None, "", "", None, now)  # fmt: skip
                continue
            steps = int(leaf.max_points * 4)
            if leaf.method == "deduction":
                claim = 0
                points = randint(1, steps) if random_() < 0.1 else 0
            else:
                claim = randint(steps * 3 // 4, steps)
                points = max(0, claim - randint(0, 2)) if random_() < 0.3 else claim
            raised = min(steps, points + 1) if random_() < 0.05 else points
            yield (
                assessment_id,
                criterion_id,
                False,
                "",
                QUARTERS[claim],
                "{}",
                "",
                QUARTERS[points] if appraised else None,
                "",
                "",
                QUARTERS[raised] if final else None,
                now,
            )


def _survey_rows(rng: random.Random, assessments, leaves, now) -> Iterable[tuple]:
    """Answer counts of two respondent groups per assessment and survey leaf."""
    randint = rng.randint
    for assessment_id, _ in assessments:
        for criterion_id in leaves:
            for group in GROUPS:
                counts = {"A": randint(5, 60), "B": randint(0, 30), "C": randint(0, 10)}
                counts["D"] = randint(0, 3)
                yield assessment_id, criterion_id, group, json.dumps(counts), now


def insert_rows(model, fields: list[str], rows: Iterable[tuple], chunk: int = 50_000) -> None:
    """Insert plain rows fast: COPY on PostgreSQL, executemany elsewhere.

    Values are what the database columns take: points as "1.25", JSON as text.
    """
    from django.db import connection

    columns = [model._meta.get_field(name).column for name in fields]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for batch in _chunks(rows, chunk):
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in batch:
                    buffer.write("\t".join(map(_copy_text, row)))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch
                )


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def _chunks(rows: Iterable[tuple], size: int) -> Iterable[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze() -> None:
    """On PostgreSQL, VACUUM ANALYZE the generated tables, as autovacuum would have by now."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from scoring.models import Assessment, Criterion, Result, Score, SurveyResult

    with connection.cursor() as cursor:
        for model in (Score, SurveyResult, Assessment, Criterion, Result):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def row_counts(campaign) -> dict[str, int]:
    from scoring.models import Assessment, Criterion, Score, SurveyResult

    scores = Score.objects.filter(assessment__campaign=campaign)
    return {
        "assessments": Assessment.objects.filter(campaign=campaign).count(),
        "scores": scores.count(),
        "not_applicable": scores.filter(not_applicable=True).count(),
        "survey_results": SurveyResult.objects.filter(assessment__campaign=campaign).count(),
        "survey_leaves": Criterion.objects.filter(
            framework__campaigns=campaign, method=Criterion.Method.SURVEY
        ).count(),
    }


def delete_bench_data() -> None:
    """Every row the bench ever generated, children first."""
    from django.db import connection

    from scoring.models import (
        Assessment,
        Campaign,
        CampaignBlock,
        Criterion,
        Framework,
        Result,
        Score,
        SurveyAnswer,
        SurveyResult,
        TierBand,
    )
    from units.models import Block, Unit

    campaigns = Campaign.objects.filter(name__startswith=BENCH_NAME)
    # Scores keep a history (django-simple-history), so Django would load and delete
    # them one by one: the bench's rows, which have none, go with one DELETE each.
    assessments = (
        f"SELECT a.id FROM {Assessment._meta.db_table} a "
        f"JOIN {Campaign._meta.db_table} c ON c.id = a.campaign_id WHERE c.name LIKE %s"
    )
    with connection.cursor() as cursor:
        for model in (Score, SurveyResult):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE assessment_id IN ({assessments})",
                [BENCH_NAME + "%"],
            )
    for queryset in (
        Result.objects.filter(campaign__in=campaigns),
        Assessment.objects.filter(campaign__in=campaigns),
        SurveyAnswer.objects.filter(campaign__in=campaigns),
        TierBand.objects.filter(campaign_block__campaign__in=campaigns),
        CampaignBlock.objects.filter(campaign__in=campaigns),
        campaigns,
        Criterion.objects.filter(framework__block__code=BENCH_BLOCK),
        Framework.objects.filter(block__code=BENCH_BLOCK),
        Unit.objects.filter(block__code=BENCH_BLOCK),
        Block.objects.filter(code=BENCH_BLOCK),
    ):
        queryset.delete()


def remove_own_sqlite(database: str, own: Path) -> bool:
    """Delete the bench's own SQLite file and its journals; False for any other database."""
    from django.db import connection

    if connection.vendor != "sqlite" or Path(database) != own.resolve():
        return False
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(database + suffix).unlink(missing_ok=True)
    print(f"Cleanup: removed {database}")
    return True


def cleanup(campaign, database: str) -> None:
    if remove_own_sqlite(database, DEFAULT_SQLITE):
        return
    started = time.perf_counter()
    delete_bench_data()
    print(f"Cleanup: deleted the generated data ({time.perf_counter() - started:.1f} s)")


# --- Measurement -------------------------------------------------------------------------


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
