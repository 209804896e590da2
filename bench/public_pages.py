#!/usr/bin/env python
"""Throughput of the public ranking page of a 5,000-unit block against a trivial view.

    .venv/bin/python bench/public_pages.py [--units N] [--requests R] [--concurrency C] [--rounds K]

Generates one published decision with a block of N units (default 5,000; bulk_create)
in a database of its own (DATABASE_URL, or bench/.data/public_pages.sqlite3, recreated
on each run), collects the static files, starts gunicorn (-w 2) from the venv on a
free loopback port with production settings (DEBUG off), and sends R requests
(default 2,000) from C threads (default 8) with urllib to:

  - /healthz (a trivial view: no database, no template), the baseline;
  - /ket-qua/<year>/<block>/, the full ranking page (200);
  - the same page with If-None-Match (the ETag/304 path of a returning browser).

Every request says Accept-Encoding: gzip, as a browser does (urllib does not
decompress: the body read is what went over the wire). The ranking page shows one
page of rows (selectors.RANKING_PAGE_SIZE); the rest is in the open data downloads.

The three are measured in K interleaved rounds (default 10): each round sends R/K
requests to each of them in turn, the order rotating from round to round, so that
load from elsewhere on the machine falls on all three alike instead of on whichever
happened to run at the time. It prints requests per second of each (requests over
the summed time of its rounds), the ratios ranking / healthz (goal ≥ 0.8 for both
the 200 and the 304), the CPU time gunicorn spent per request of each (from /proc:
less sensitive than throughput to what else runs on the machine) and the load
average before and after, then stops the server.
A warm-up of 50 requests to each comes first; it also fills each worker's caches.
"""

# Every URL opened here is built by the script on 127.0.0.1; the server command is fixed.
# ruff: noqa: S310, S603

import argparse
import gzip
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
DEFAULT_SQLITE = DATA / "public_pages.sqlite3"
BIN = Path(sys.executable).parent
YEAR = 2100
BLOCK = "bench-public"
GOAL_RATIO = 0.8
# What a browser sends: the public pages answer gzip to it (views_public.published_page).
BROWSER = {"Accept-Encoding": "gzip"}


def setup_django(env: dict) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    import django

    django.setup()


def generate(units: int) -> None:
    """A published decision with one block of `units` rows, eight areas each."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from reports.models import Decision, PublishedResult
    from scoring.models import Campaign
    from units.models import Block, Unit

    call_command("migrate", verbosity=0, interactive=False)
    if Unit.objects.exclude(block__code=BLOCK).exists():
        sys.exit("Refusing to run: the database holds units of its own. Use an empty database.")
    block, _ = Block.objects.get_or_create(code=BLOCK, defaults={"name": "Xã, phường (bench)"})
    if PublishedResult.objects.filter(block_code=BLOCK).count() == units:
        return
    campaign, _ = Campaign.objects.get_or_create(year=YEAR, defaults={"name": "Bench"})
    decision = Decision.objects.create(
        campaign=campaign,
        number=f"{secrets.randbelow(10**6)}/QĐ-UBND",
        signed_on=f"{YEAR + 1}-02-03",
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject=f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {YEAR}",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
        status=Decision.Status.PUBLISHED,
        published_at=timezone.now(),
        summary="Bench.",
    )
    created = Unit.objects.bulk_create(
        (
            Unit(
                code=f"bench-{n:05d}",
                name=f"Ủy ban nhân dân xã Thử Nghiệm {n}",
                block=block,
                search_text=f"uy ban nhan dan xa thu nghiem {n}",
            )
            for n in range(units)
        ),
        batch_size=1000,
    )
    rows = []
    for n, unit in enumerate(created):
        index = Decimal(9000 - n * 8000 // units) / 100
        rows.append(
            PublishedResult(
                decision=decision,
                block_code=BLOCK,
                block_name=block.name,
                block_position=1,
                position=n + 1,
                unit=unit,
                unit_code=unit.code,
                unit_name=unit.name,
                areas=[
                    {"code": str(a), "title": f"Lĩnh vực {a}", "points": "6.5", "max": "8"}
                    for a in range(1, 9)
                ],
                survey_points=Decimal("20"),
                deductions=Decimal("0"),
                bonus=Decimal("0"),
                total=index,
                applicable_max=Decimal("100"),
                index=index,
                rank=n + 1,
                tier="Tốt" if index >= 80 else "Khá",
                previous_rank=units - n,
                previous_index=index - 1,
            )
        )
    PublishedResult.objects.bulk_create(rows, batch_size=1000)
    connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped before answering.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer in time.")


def fetch(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:  # 304 comes as an "error" from urllib
        error.read()
        return error.code


def server_cpu(server: subprocess.Popen) -> float | None:
    """CPU seconds used so far by gunicorn's master and its workers; None without Linux's /proc."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        # schedstat's first field: nanoseconds on a CPU (stat's utime and stime count 10 ms ticks).
        nanoseconds = sum(
            int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
            for pid in [server.pid, *map(int, children)]
        )
    except (OSError, ValueError, IndexError):
        return None
    return nanoseconds / 1e9


def measure(
    targets: dict[str, tuple[str, dict, int]],
    *,
    requests: int,
    concurrency: int,
    rounds: int,
    cpu: Callable[[], float | None],
) -> dict[str, tuple[float, float | None]]:
    """Requests per second and server CPU seconds per request of each target, interleaved.

    A target is (url, headers, expected status). Each of `rounds` rounds sends
    requests / rounds requests from `concurrency` threads to every target in turn,
    starting with a different target each round.
    """
    per_round = max(1, requests // rounds)
    names = list(targets)
    elapsed = dict.fromkeys(names, 0.0)
    used: dict[str, float | None] = dict.fromkeys(names, 0.0)
    with ThreadPoolExecutor(concurrency) as pool:

        def send(name: str, count: int) -> tuple[float, float | None]:
            url, headers, expect = targets[name]
            cpu_before = cpu()
            start = time.perf_counter()
            statuses = list(pool.map(lambda _n: fetch(url, headers), range(count)))
            took = time.perf_counter() - start
            cpu_after = cpu()
            wrong = [status for status in statuses if status != expect]
            if wrong:
                sys.exit(f"{url}: {len(wrong)} answers were not {expect} (e.g. {wrong[0]}).")
            if cpu_before is None or cpu_after is None:
                return took, None
            return took, cpu_after - cpu_before

        for name in names:
            send(name, 50)  # warm-up
        for round_ in range(rounds):
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                took, cpu_used = send(name, per_round)
                elapsed[name] += took
                used[name] = (
                    None if cpu_used is None or used[name] is None else used[name] + cpu_used
                )
    total = per_round * rounds
    return {
        name: (total / elapsed[name], None if used[name] is None else used[name] / total)
        for name in names
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("DATABASE_URL") or ""
    if not database:
        DEFAULT_SQLITE.unlink(missing_ok=True)
        database = f"sqlite:///{DEFAULT_SQLITE}"
    static_root = DATA / "static"
    env = {
        "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    setup_django(env)
    print(f"Generating {args.units:,} published rows in {database} …", flush=True)
    started = time.perf_counter()
    generate(args.units)
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    from django.core.management import call_command

    shutil.rmtree(static_root, ignore_errors=True)
    call_command("collectstatic", verbosity=0, interactive=False)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cchc_portal.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        wait_until_up(f"{base}/healthz", server)
        ranking = f"{base}/ket-qua/{YEAR}/{BLOCK}/"
        first = urllib.request.Request(ranking, headers=BROWSER)
        with urllib.request.urlopen(first, timeout=60) as response:
            body = response.read()
            etag = response.headers["ETag"]
            encoding = response.headers.get("Content-Encoding") or "identity"
        size = len(gzip.decompress(body) if encoding == "gzip" else body)
        revalidate = {**BROWSER, "If-None-Match": etag}
        load_before = os.getloadavg()[0]
        rates = measure(
            {
                "healthz": (f"{base}/healthz", BROWSER, 200),
                "page": (ranking, BROWSER, 200),
                "not_modified": (ranking, revalidate, 304),
            },
            requests=args.requests,
            concurrency=args.concurrency,
            rounds=args.rounds,
            cpu=lambda: server_cpu(server),
        )
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    (healthz, healthz_cpu), (page, page_cpu), (not_modified, not_modified_cpu) = (
        rates["healthz"],
        rates["page"],
        rates["not_modified"],
    )
    print(
        f"gunicorn -w 2, {args.requests:,} requests × {args.concurrency} threads each "
        f"in {args.rounds} interleaved rounds; "
        f"ranking page 1 of a block of {args.units:,} units: {size / 1e3:.0f} kB of HTML, "
        f"{len(body) / 1e3:.0f} kB sent ({encoding}; requests send Accept-Encoding: gzip)"
    )

    def cpu_text(seconds: float | None) -> str:
        return "" if seconds is None else f"   server CPU {seconds * 1e6:5.0f} µs/request"

    print(f"  /healthz            {healthz:8.1f} req/s{' ' * 15}{cpu_text(healthz_cpu)}")
    print(
        f"  ranking (200)       {page:8.1f} req/s   ratio {page / healthz:.2f}" + cpu_text(page_cpu)
    )
    print(
        f"  ranking (ETag, 304) {not_modified:8.1f} req/s   ratio {not_modified / healthz:.2f}"
        + cpu_text(not_modified_cpu)
    )
    print(f"  load average (1 min) {load_before:.2f} before, {load_after:.2f} after")
    lowest = min(page, not_modified) / healthz
    verdict = "meets" if lowest >= GOAL_RATIO else "misses"
    print(f"Goal: ranking / healthz ≥ {GOAL_RATIO} for the 200 and the 304: {verdict} it.")


if __name__ == "__main__":
    main()
