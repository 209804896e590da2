#!/usr/bin/env python
"""An office day's load: public visitors reading results while 10 staff save appraisals.

    .venv/bin/python bench/load.py [--duration S] [--max-requests N] [--staff K] [--readers R]
                                   [--staff-think T] [--reader-think T] [--threads N]
                                   [--sqlite-deferred]

Makes a database of its own (bench/.data/load.sqlite3, or the PostgreSQL database named
in DATABASE_URL, which must have "bench" in its name: created, and dropped at the end),
loads the Sóc Trăng demo into it (two published decisions with their PDFs, 2016 open),
puts five 2016 assessments in appraisal and makes K staff accounts (default 10), then
starts gunicorn (-w 2, sync unless --threads, DEBUG off) on a free loopback port and,
for S seconds (default 60) or N requests (default 20,000), whichever ends first, runs:

  - R public readers (default 10): rankings, unit profiles, the decision page, its PDF,
    the open data files (CSV, XLSX, JSON), each followed by a pause of 0 to 2 s;
  - K staff members, logged in through the login form, each saving appraised points and a
    note through the appraisal form (real POSTs with the session and CSRF token), then
    reading the page the save redirects to, as a browser does, and pausing 0 to 10 s;
    two staff share each assessment, each on half its leaves;
  - a probe requesting /healthz (no database, no template): the server's own latency.

The baseline, measured in the same run just before: every kind of request alone, one at
a time on the idle server. It prints per kind the requests, errors and p50 / p99 latency
under load, alone, and their ratio, the server's CPU time and the load average. It checks
every save: the page after it shows the value saved, and at the end the database holds
each score's last save and a history row for every save (no update lost). Goal: 0
errors, 0 lost updates, staff save p99 under 300 ms. --sqlite-deferred runs SQLite's
default transactions (DEFERRED) in the server instead of the portal's IMMEDIATE, to see
what that setting fixed. See bench/README.md.
"""

# Every URL opened here is built by the script on 127.0.0.1; the server command is fixed.
# ruff: noqa: S310, S603

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_database, load_data  # noqa: E402  (bench/ is not on the path)
from bench.load_clients import (  # noqa: E402
    PUBLIC_WEIGHTS,
    Recorder,
    Staff,
    browser,
    probe,
    public_get,
    read_public,
)
from bench.public_pages import free_port, wait_until_up  # noqa: E402

DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
GOAL_SAVE_P99_MS = 300.0
ALONE = 20  # requests of each kind in the baseline
DEFERRED_SETTINGS = "from cchc_portal.settings import *  # noqa\n" + (
    'DATABASES["default"]["OPTIONS"]["transaction_mode"] = "DEFERRED"\n'
)


def server_cpu(server: subprocess.Popen) -> float | None:
    """CPU seconds of gunicorn's master and workers, every thread counted (Linux /proc)."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        ticks = 0
        for pid in [server.pid, *map(int, children)]:
            # After the command's closing parenthesis: utime and stime are fields 12 and 13.
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def baseline(base: str, plan: load_data.Plan, staff: Staff) -> Recorder:
    """Each kind alone, one request at a time, on the idle server."""
    recorder = Recorder(until=time.monotonic() + 600, max_requests=10**6)
    opener = browser()
    for _round in range(ALONE):
        public_get(opener, "/healthz", f"{base}/healthz", recorder)
        for kind in PUBLIC_WEIGHTS:
            public_get(opener, kind, base + random.choice(plan.public[kind]), recorder)  # noqa: S311
        staff.save_once(recorder)
    return recorder


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(loaded: Recorder, alone: Recorder, staff: list[Staff], load: tuple, header: str) -> None:
    print(header)
    print(
        f"  {'kind':14} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}"
        f"   {'alone p50/p99 ms':>17} {'p99 ratio':>9}"
    )
    kinds = ["/healthz", *PUBLIC_WEIGHTS, "staff save", "staff page"]
    for kind in kinds:
        times, quiet = loaded.latencies.get(kind, []), alone.latencies.get(kind, [])
        if not times:
            continue
        p50, p99 = percentile(times, 0.5) * 1e3, percentile(times, 0.99) * 1e3
        q50, q99 = (
            (percentile(quiet, 0.5) * 1e3, percentile(quiet, 0.99) * 1e3) if quiet else (0, 0)
        )
        ratio = f"{p99 / q99:9.1f}" if q99 else ""
        errors = len(loaded.errors.get(kind, []))
        print(
            f"  {kind:14} {len(times):8} {errors:6} {p50:8.1f} {p99:8.1f}"
            f"   {q50:8.1f} / {q99:6.1f} {ratio}"
        )
    for kind, errors in {**alone.errors, **loaded.errors}.items():
        print(f"  errors of {kind}: {len(errors)}, e.g. {errors[0]}")
    print(f"  load average (1 min) {load[0]:.2f} before, {load[1]:.2f} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--staff-think", type=float, default=5.0, help="mean pause between saves")
    parser.add_argument("--reader-think", type=float, default=1.0, help="mean pause, readers")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--sqlite-deferred", action="store_true")
    args = parser.parse_args()

    static_root, media_root = DATA / "load-static", DATA / "load-media"
    for folder in (static_root, media_root):
        shutil.rmtree(folder, ignore_errors=True)
    database = load_data.database_create(os.environ.get("DATABASE_URL") or "")
    os.environ.update(
        DATABASE_URL=database,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_TASKS_BACKEND="immediate",
    )
    where = bench_database.setup_django()
    from django.db import connection

    vendor = bench_database.vendor(connection)
    try:
        print(f"Loading the demo into {where} …", flush=True)
        started = time.perf_counter()
        plan = load_data.generate(staff=args.staff)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        run(args, plan, vendor)
    finally:
        load_data.database_drop(database)
        for folder in (static_root, media_root):
            shutil.rmtree(folder, ignore_errors=True)
        (DATA / "load_deferred_settings.py").unlink(missing_ok=True)


def run(args, plan: load_data.Plan, vendor: str) -> None:
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-bench-" + plan.password,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    mode = "transactions IMMEDIATE" if connection.vendor == "sqlite" else "read committed"
    if args.sqlite_deferred and connection.vendor == "sqlite":
        (DATA / "load_deferred_settings.py").write_text(DEFERRED_SETTINGS)
        env |= {"DJANGO_SETTINGS_MODULE": "load_deferred_settings", "PYTHONPATH": f"{DATA}:{ROOT}"}
        mode = "transactions DEFERRED (--sqlite-deferred)"
    # Collected with DEBUG off, as the server runs: the manifest of hashed names.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(BIN / "gunicorn"), "cchc_portal.wsgi:application", "-w", str(args.workers)]
    command += ["--threads", str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(f"{base}/healthz", server)
        staff = [Staff(base, work, plan.password) for work in plan.staff]
        alone = baseline(base, plan, staff[0])
        load_before = os.getloadavg()[0]
        recorder = Recorder(until=time.monotonic() + args.duration, max_requests=args.max_requests)
        threads = [threading.Thread(target=probe, args=(base, recorder))]
        threads += [
            threading.Thread(target=read_public, args=(base, plan, recorder, args.reader_think))
            for _n in range(args.readers)
        ]
        threads += [
            threading.Thread(target=member.run, args=(recorder, args.staff_think))
            for member in staff
        ]
        started, cpu_before = time.monotonic(), server_cpu(server)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - started
        cpu = (server_cpu(server) or 0.0) - (cpu_before or 0.0)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    total = sum(len(times) for times in recorder.latencies.values())
    header = (
        f"{vendor} ({mode}), gunicorn -w {args.workers} --threads {args.threads}; {took:.1f} s, "
        f"{total:,} requests ({total / took:.0f}/s): {args.readers} readers, {len(staff)} staff "
        f"saving, /healthz probe; the server used {cpu:.1f} s of CPU ({cpu / took:.2f} CPUs)"
    )
    report(recorder, alone, staff, (load_before, load_after), header)
    last = {pk: value for member in staff for pk, value in member.last.items()}
    counts = {pk: n for member in staff for pk, n in member.counts.items()}
    lost = [problem for member in staff for problem in member.lost]
    lost += load_data.lost_saves(last, counts)
    saves = sum(counts.values())
    print(f"  lost updates: {len(lost)} ({saves} saves read back, {len(last)} scores checked)")
    for problem in lost[:5]:
        print(f"    {problem}")
    errors = sum(len(e) for e in recorder.errors.values()) + sum(
        len(e) for e in alone.errors.values()
    )
    save_p99 = percentile(recorder.latencies["staff save"], 0.99) * 1e3
    met = not errors and not lost and save_p99 < GOAL_SAVE_P99_MS
    print(
        f"Goal: 0 errors ({errors}), 0 lost updates ({len(lost)}), staff save p99 under "
        f"{GOAL_SAVE_P99_MS:.0f} ms ({save_p99:.0f}): {'meets' if met else 'misses'} it."
    )


if __name__ == "__main__":
    main()
