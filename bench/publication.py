#!/usr/bin/env python
"""Benchmark of publishing a decision: what the web request waits for against the publication.

    .venv/bin/python bench/publication.py [--units N] [--leaves M] [--repeat R] [--profile]

Generates a campaign of N units on a framework of M leaves (default 2,000 × 40) with
bench/campaign_data.py's generator, marks every assessment appraised and drafts a decision.
Then, with the database task backend (django_tasks_db, as in production), each of R
rounds (default 1) times, on the same data:

- the web request: `decision_publication_request`, which checks the draft, marks it
  "publishing" and queues `reports.services.publication_queue.publish_decision`;
- the progress page's one query (`publication_progress`), which it repeats every few seconds;
- the worker: `db_worker --batch --max-tasks 1`, which claims the task and publishes
  (recompute the results, freeze the rows, summary, PDF, store it);
- the baseline, what a web request waited for before: the synchronous `decision_publish`
  of a correction of the decision just published (the same work, on the same rows; only
  round 1's worker also moves the N assessments to published, one event each).

It prints each figure in ms (and this process's CPU time), the ratio request / baseline
and PASS or MISS against the goal: **the web request under 1 s**, whatever the number of
rows. See bench/README.md.

The database is DATABASE_URL's, or bench/.data/publication.sqlite3 when it is unset or
empty. The script refuses a database holding anything but bench data (as
bench/scoring.py does) and any other database whose name lacks "bench"; it removes its
data, or its SQLite file, at the end. PDFs go to a temporary MEDIA_ROOT, removed too.
"""

import argparse
import cProfile
import io
import os
import pstats
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_database, campaign_data  # noqa: E402  (bench/ is not on the path)
from bench.publication_data import (  # noqa: E402
    TASK_PATH,
    appraise_all,
    bench_staff,
    delete_publication_data,
    draft_decision,
    refuse_foreign_tasks,
)

PUBLICATION_SQLITE = ROOT / "bench" / ".data" / "publication.sqlite3"
GOAL_MS = 1000.0  # the web request, whatever the number of rows
WARM_UP_ROWS = 20


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # The production path queues in the database; an "immediate" backend inherited from
    # the environment would publish inside the request and measure nothing.
    os.environ["DJANGO_TASKS_BACKEND"] = "database"
    # Publication refuses to print a loopback address in a PDF (as the tests, a stand-in).
    os.environ.setdefault("PORTAL_BASE_URL", "https://chisocchc.example.gov.vn")
    if not os.environ.get("DATABASE_URL"):
        # A file of its own: a campaign kept by `bench/scoring.py --keep` is never touched.
        PUBLICATION_SQLITE.parent.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{PUBLICATION_SQLITE}"
    with tempfile.TemporaryDirectory(prefix="cchc-bench-media-") as media:
        os.environ["DJANGO_MEDIA_ROOT"] = media
        database = bench_database.setup_django()
        return run(args, database, Path(media))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000, help="assessed units (2000)")
    parser.add_argument("--leaves", type=int, default=40, help="leaves of the framework (40)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of request + worker + baseline (1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (1)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile one more web request with cProfile (its publication then runs untimed)",
    )
    args = parser.parse_args(argv)
    if args.units < 1 or args.repeat < 1:
        parser.error("--units and --repeat must be at least 1")
    minimum = campaign_data.SCORED_AREAS + campaign_data.DEDUCTION_LEAVES + 1
    if args.leaves < minimum:
        parser.error(f"--leaves must be at least {minimum}")
    return args


def run(args: argparse.Namespace, database: str, media: Path) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        # An empty database passes refuse_foreign_data, and migrate would leave its
        # tables there: only a database named for benchmarks is used.
        sys.exit(f"Refusing to run on {name!r}: use a database of its own, e.g. cchc_bench_pub.")
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        sys.exit(f"Refusing to run: the task backend is {backend}, not the database one.")
    bench_database.refuse_foreign_data(connection)
    refuse_foreign_tasks(connection)
    call_command("migrate", verbosity=0, interactive=False)

    print(f"Database: {bench_database.vendor(connection)} ({database})")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    started = time.perf_counter()
    delete_publication_data()
    campaign_data.delete_bench_data()
    campaign = campaign_data.generate(args)
    appraised = appraise_all(campaign)
    bench_database.analyze()
    counts = campaign_data.row_counts(campaign)
    print(
        f"Data: {counts['assessments']:,} units × {args.leaves} leaves: {counts['scores']:,} "
        f"scores, {counts['survey_results']:,} survey results; {appraised:,} assessments "
        "set appraised"
    )
    print(f"Generation: {(time.perf_counter() - started) * 1000:,.0f} ms (not timed below)")

    try:
        warm_up()
        report = measure(campaign, repeat=args.repeat, profile=args.profile, media=media)
    finally:
        cleanup(database)
    print_report(report, connection)
    return 0 if report.checks_ok else 1


# --- Data --------------------------------------------------------------------------------


def cleanup(database: str) -> None:
    if bench_database.remove_own_sqlite(database, PUBLICATION_SQLITE):
        return
    started = time.perf_counter()
    delete_publication_data()
    campaign_data.delete_bench_data()
    print(f"Cleanup: deleted the generated data ({time.perf_counter() - started:.1f} s)")


# --- Measurement -------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    ms: float
    cpu_ms: float  # this process's CPU: on a busy machine, wall time waits for a CPU too
    queries: int


@dataclass
class Report:
    vendor: str
    request: list[Timing] = field(default_factory=list)
    progress: list[Timing] = field(default_factory=list)
    worker: list[Timing] = field(default_factory=list)
    baseline: list[Timing] = field(default_factory=list)
    rows: int = 0
    pdf_bytes: int = 0
    problems: list[str] = field(default_factory=list)
    profile: str = ""

    @property
    def checks_ok(self) -> bool:
        return not self.problems

    @property
    def passes(self) -> bool:
        return max(t.ms for t in self.request) < GOAL_MS


class QueryCounter:
    """Counts the queries run inside it (an execute wrapper: no debug cursor)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(function: Callable[..., object], **kwargs) -> tuple[Timing, object]:
    """The timing of one call and its return value."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        value = function(**kwargs)
        timing = Timing(
            (time.perf_counter() - started) * 1000,
            (time.process_time() - cpu) * 1000,
            counter.count,
        )
    return timing, value


def warm_up() -> None:
    """The first WeasyPrint render in a process loads fonts and CSS: do it on a few rows.

    A worker process renders many decisions; timing its first would measure start-up.
    """
    from bench.publish import build
    from reports.outputs.pdf import decision_pdf

    decision, rows = build(WARM_UP_ROWS)
    decision_pdf(decision=decision, rows=rows)


def run_worker() -> None:
    """What `manage.py db_worker` does for one queued task, in this process."""
    from django.core.management import call_command

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            batch=True,
            max_tasks=1,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=0,
        )
    finally:
        for sig, handler in handlers.items():  # the worker installs its own
            signal.signal(sig, handler)


def measure(campaign, *, repeat: int, profile: bool, media: Path) -> Report:
    from django.db import connection
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from reports.models import Decision
    from reports.publication_progress import publication_progress
    from reports.services.drafting import decision_correct
    from reports.services.publication import decision_publish
    from reports.services.publication_queue import decision_publication_request

    report = Report(vendor=bench_database.vendor(connection))
    staff = bench_staff()
    draft = draft_decision(campaign)
    for round_ in range(1, repeat + 1):
        # The web request, then the page it redirects to, which polls.
        timing, queued = _timed(decision_publication_request, decision=draft, actor=staff)
        report.request.append(timing)
        ready = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY)
        if queued.status != Decision.Status.PUBLISHING or ready.count() != 1:
            report.problems.append(f"round {round_}: the request did not queue one task")
        timing, _progress = _timed(publication_progress, decision=queued)
        report.progress.append(timing)

        # The worker. In round 1 it also marks every assessment published (one event
        # each); the corrections after it find them published already.
        timing, _ = _timed(run_worker)
        report.worker.append(timing)
        published = Decision.objects.get(pk=queued.pk)
        if published.status != Decision.Status.PUBLISHED:
            report.problems.append(
                f"round {round_}: the worker left the decision {published.status} "
                f"({published.publication_error or 'no error recorded'})"
            )
            break
        tasks = DBTaskResult.objects.filter(task_path=TASK_PATH)
        if tasks.exclude(status=TaskResultStatus.SUCCESSFUL).exists():
            report.problems.append(f"round {round_}: a task did not end SUCCESSFUL")
        report.rows = published.rows.count()
        report.pdf_bytes = published.pdf.size
        if not Path(published.pdf.path).is_relative_to(media):
            report.problems.append(f"round {round_}: the PDF went to {published.pdf.path}")

        # The baseline: the same publication, synchronously, as the request once ran it.
        # A draft cannot be published twice, so it publishes a correction of the same rows.
        correction = decision_correct(decision=published, actor=staff, reason="Benchmark")
        timing, done = _timed(decision_publish, decision=correction, actor=staff)
        report.baseline.append(timing)
        if done.rows.count() != report.rows:
            report.problems.append(f"round {round_}: the baseline froze a different number of rows")
        draft = decision_correct(decision=done, actor=staff, reason="Benchmark")

    if profile and not report.problems:
        profiler = cProfile.Profile()
        profiler.runcall(decision_publication_request, decision=draft, actor=staff)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
        report.profile = text.getvalue()
        run_worker()  # leaves no queued task behind
    return report


def print_report(report: Report, connection) -> None:
    def figures(timings: list[Timing]) -> str:
        best = min(timings, key=lambda t: t.ms)
        text = f"{best.ms:10,.1f} ms (CPU {best.cpu_ms:9,.1f})"
        if len(timings) > 1:
            text = (
                f"best {text}   median {statistics.median(t.ms for t in timings):10,.1f} ms"
                f"   worst {max(t.ms for t in timings):10,.1f} ms"
            )
        queries = max(t.queries for t in timings)
        return f"{text}   {queries:,} quer{'y' if queries == 1 else 'ies'}"

    rounds = len(report.request)
    print(
        f"Timings ({rounds} round{'s' if rounds > 1 else ''}; {report.rows:,} rows frozen, "
        f"PDF {report.pdf_bytes / 1024:,.0f} kB):"
    )
    print(f"  web request   decision_publication_request   {figures(report.request)}")
    print(f"  progress page publication_progress           {figures(report.progress)}")
    if report.worker:
        print(f"  worker        db_worker, publish_decision    {figures(report.worker)}")
    if report.baseline:
        print(f"  baseline      decision_publish (synchronous) {figures(report.baseline)}")
        request = min(t.ms for t in report.request)
        baseline = min(t.ms for t in report.baseline)
        worker = min(t.ms for t in report.worker)
        cpu = min(t.cpu_ms for t in report.worker) / min(t.cpu_ms for t in report.baseline)
        print(
            f"  ratio         {request / baseline:.4f} (best request / best baseline: "
            f"the request now waits 1/{baseline / request:,.0f} of it)"
        )
        print(
            f"  worker / baseline {worker / baseline:.2f}, CPU {cpu:.2f} "
            "(the same work, in the background)"
        )
    if report.profile:
        print(report.profile)
    for problem in report.problems:
        print(f"Check: {problem}")
    if report.checks_ok:
        print("Check: each request queued one task, the worker published it, PDFs in MEDIA_ROOT")
    verdict = "PASS" if report.passes and report.checks_ok else "MISS"
    print(f"Goal (web request < {GOAL_MS:,.0f} ms in every round): {verdict}")
    if report.baseline:
        before = "PASS" if max(t.ms for t in report.baseline) < GOAL_MS else "MISS"
        print(f"  the synchronous publication as the request, before: {before}")


if __name__ == "__main__":
    sys.exit(main())
