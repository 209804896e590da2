#!/usr/bin/env python
"""Refusing a zip-bomb workbook against opening a normal one; a public page while bombs arrive.

    .venv/bin/python bench/upload_guard.py [--rows N] [--rounds R] [--http-rounds K] [--http-only]

1. In this process (interleaved, R rounds, default 7; best and median):
   - baseline: reading a normal scores file of N rows × 12 columns (default 2,000,
     about the 95 KB of the issue's slow file) with read_scores_file, guard included;
   - the zip bomb of the issue: 8 million rows of one cell in column AA, 1.4 MB packed,
     436 MiB unpacked, refused by read_scores_file;
   - a row bomb within every size limit: cells in column AA down to row 50,011;
   - the cost of the formula check, two ways: the guard's expat pass over the normal
     file (what it does, rows and formulas at once) against a second openpyxl load of
     it with formulas (data_only=False), the other way of finding lost results.
2. Over HTTP (skipped with --no-http): a database of its own (bench/.data/
   upload_guard.sqlite3, recreated), gunicorn -w 2 (sync, 30 s timeout, as deployed) on
   loopback with DEBUG off, a unit editor logged in. In K rounds (default 5) it
   measures a public page (/quyet-dinh/, requested one after the other) for 2 s
   idle, then for 2 s during which the editor posts the bomb twice at once to the
   scoring sheet upload; it prints the page's latency in both windows (median, 95th
   percentile, worst), their ratios, and how long the two posts took and what they got.
   --http-only skips part 1 (to measure a checkout without the guard, as README did).
   The bomb posted is the unit's own scoring sheet with the 8 million rows below it.
"""

# Every URL opened here is built by the script on 127.0.0.1; the server command is fixed.
# ruff: noqa: S310, S603

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.public_pages import free_port, wait_until_up  # noqa: E402

DATA = ROOT / "bench" / ".data"
DATABASE = DATA / "upload_guard.sqlite3"
BIN = Path(sys.executable).parent
YEAR = 2101
UNIT = "bench-guard"
PASSWORD = secrets.token_urlsafe(16)
PUBLIC_PAGE = "/quyet-dinh/"
WINDOW = 2.0  # seconds of public-page requests per window
# What this process and gunicorn run with: production settings, a database of their own.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
    "DATABASE_URL": f"sqlite:///{DATABASE}",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_STATIC_ROOT": str(DATA / "static"),
    "DJANGO_LOG_LEVEL": "WARNING",
}


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


# -- 1. in process ----------------------------------------------------------------------


def workbooks(rows: int) -> dict[str, bytes]:
    from scoring.exchange.bulk_scores_xlsx import write_scores_file
    from tests.scoring.hostile_workbooks import stray_rows, zip_bomb

    normal = write_scores_file(
        [
            # 45 criteria a unit, each unit and criterion once, as in a real file.
            [f"xa-{n // 45:04d}", "Ủy ban nhân dân xã", f"{n % 45 // 5 + 1}.{n % 5 + 1}", 0.75]
            + ["", "", "", "", "", 0.5, "Thiếu báo cáo quý IV", 0.5]
            for n in range(rows)
        ]
    )
    return {
        "normal": normal,
        "bomb": zip_bomb(normal, "Điểm", rows=8_000_000),
        "rows": stray_rows(normal, "Điểm", first=rows + 2, last=50_011),
    }


def in_process(rows: int, rounds: int) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from scoring.exchange.bulk_scores_xlsx import read_scores_file
    from scoring.exchange.columns import HEADER_SEARCH_ROWS
    from scoring.exchange.tables import MAX_TABLE_ROWS
    from scoring.exchange.workbook_guard import guard_workbook
    from tests.scoring.hostile_workbooks import unpacked_size

    files = workbooks(rows)
    for name, data in files.items():
        print(
            f"  {name:7} {len(data) / 1e3:8.0f} kB packed, "
            f"{unpacked_size(data) / 2**20:8.1f} MiB unpacked"
        )

    def read(name: str):
        return lambda: read_scores_file(files[name], name=f"{name}.xlsx")

    def second_load():
        book = load_workbook(BytesIO(files["normal"]), read_only=True, data_only=False)
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            for _row in sheet.iter_rows(values_only=True):
                pass
        book.close()

    def guard_only():
        guard_workbook(files["normal"], max_rows=MAX_TABLE_ROWS + HEADER_SEARCH_ROWS)

    measures = {
        "open normal": read("normal"),
        "refuse bomb": read("bomb"),
        "refuse rows": read("rows"),
        "guard pass": guard_only,
        "2nd openpyxl": second_load,
    }
    outcome = {name: measure() for name, measure in measures.items() if name.startswith("ref")}
    for name, result in outcome.items():
        print(f"  {name}: {result.problems[0]}")
    assert not read_scores_file(files["normal"]).problems, "the normal file has problems"
    times: dict[str, list[float]] = {name: [] for name in measures}
    names = list(measures)
    for round_ in range(rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            started = time.perf_counter()
            measures[name]()
            times[name].append(time.perf_counter() - started)
    base = min(times["open normal"])
    print(f"\nIn process, {rounds} interleaved rounds (best / median ms, best / best of baseline):")
    for name in names:
        best, median = min(times[name]), statistics.median(times[name])
        print(f"  {name:13} {best * 1e3:9.1f} / {median * 1e3:9.1f} ms   ratio {best / base:.4f}")


# -- 2. over HTTP -----------------------------------------------------------------------


def generate() -> int:
    """A campaign whose unit editor may upload a scoring sheet; returns the assessment's pk."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from scoring.models import Assessment, Campaign, CampaignBlock, Criterion, Framework
    from units.models import Block, Membership, Unit

    call_command("migrate", verbosity=0, interactive=False)
    block = Block.objects.create(code="bench-guard", name="Sở (bench)")
    unit = Unit.objects.create(code=UNIT, name="Sở Thử nghiệm", block=block, search_text="so")
    framework = Framework.objects.create(year=YEAR, block=block, name="Bench")
    area = Criterion.objects.create(framework=framework, code="1", title="Lĩnh vực", max_points=4)
    for n in range(1, 5):
        Criterion.objects.create(
            framework=framework, parent=area, code=f"1.{n}", title=f"Tiêu chí {n}", max_points=1
        )
    campaign = Campaign.objects.create(
        year=YEAR,
        name="Bench",
        self_assessment_deadline=timezone.now() + timedelta(days=30),
    )
    CampaignBlock.objects.create(campaign=campaign, block=block, framework=framework)
    assessment = Assessment.objects.create(campaign=campaign, unit=unit, framework=framework)
    user = User.objects.create_user(username="bench-editor", password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role=Membership.Role.EDITOR)
    return assessment.pk


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        sys.exit("No CSRF token on the page.")
    return match.group(1)


class Editor:
    """The unit editor's browser: a session cookie and the sheet upload form."""

    def __init__(self, base: str, assessment: int) -> None:
        self.base = base
        self.upload = f"{base}/assessments/{assessment}/sheet/"
        # With DEBUG off the cookies are Secure; on loopback they travel over plain HTTP.
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "http"))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy))
        )
        page = self.opener.open(f"{base}/login/", timeout=30).read().decode()
        fields = {"username": "bench-editor", "password": PASSWORD}
        self.post(f"{base}/login/", {**fields, "csrfmiddlewaretoken": csrf_token(page)})
        self.token = csrf_token(self.opener.open(self.upload, timeout=30).read().decode())

    def post(self, url: str, fields: dict, file: bytes | None = None) -> tuple[int, str]:
        boundary = secrets.token_hex(12)
        head = f"--{boundary}\r\nContent-Disposition: form-data; "
        parts = [f'{head}name="{key}"\r\n\r\n{value}\r\n'.encode() for key, value in fields.items()]
        if file is not None:
            parts.append(
                f'{head}name="file"; filename="cham-diem.xlsx"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
                + file
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            url,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except OSError as error:  # the worker was killed under the request
            return 0, type(error).__name__

    def send_sheet(self, data: bytes) -> tuple[int, str]:
        return self.post(self.upload, {"csrfmiddlewaretoken": self.token}, data)


def probe(url: str, until: float, latencies: list[float]) -> None:
    """Request the public page one after the other until `until`, keeping each latency."""
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
        except OSError:
            pass  # counted by its latency all the same
        latencies.append(time.perf_counter() - started)


def window(url: str, editor: Editor | None, bomb: bytes) -> tuple[list[float], list]:
    """Latencies of the public page for WINDOW seconds, while two bombs go in if `editor`."""
    latencies: list[float] = []
    posts: list = []
    until = time.monotonic() + WINDOW
    prober = threading.Thread(target=probe, args=(url, until, latencies))
    prober.start()
    if editor is not None:
        time.sleep(0.2)
        start = threading.Barrier(2)

        def send() -> None:
            start.wait()
            began = time.perf_counter()
            status, page = editor.send_sheet(bomb)
            refused = "giải nén" in page or "unpack" in page
            posts.append((time.perf_counter() - began, status, refused))

        senders = [threading.Thread(target=send) for _ in range(2)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
    prober.join()
    return latencies, posts


def over_http(rounds: int) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    static_root = DATA / "static"
    from django.core.management import call_command

    from scoring.models import Assessment
    from scoring.services.sheet_import import assessment_sheet_export
    from tests.scoring.hostile_workbooks import zip_bomb

    assessment = generate()
    # The file: the unit's own scoring sheet, 8 million rows in column AA below it.
    sheet, _identity = assessment_sheet_export(assessment=Assessment.objects.get(pk=assessment))
    bomb = zip_bomb(sheet, "Chấm điểm", rows=8_000_000)
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
            "error",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
    )
    try:
        wait_until_up(f"{base}/healthz", server)
        editor = Editor(base, assessment)
        url = f"{base}{PUBLIC_PAGE}"
        for _warm_up in range(50):  # each worker's first requests load templates and caches
            with urllib.request.urlopen(url, timeout=30) as response:
                assert response.status == 200, response.status
                response.read()
        load_before = os.getloadavg()[0]
        idle: list[float] = []
        busy: list[float] = []
        posts: list = []
        for _round in range(rounds):
            latencies, _ = window(url, None, bomb)
            idle += latencies
            latencies, sent = window(url, editor, bomb)
            busy += latencies
            posts += sent
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)

    def figures(latencies: list[float]) -> tuple[float, float, float]:
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return statistics.median(ordered), p95, ordered[-1]

    quiet, loaded = figures(idle), figures(busy)
    print(
        f"\nOver HTTP: gunicorn -w 2 (sync, timeout 30 s), {rounds} rounds of a {WINDOW:.0f} s "
        f"window idle and a {WINDOW:.0f} s window with two bombs ({len(bomb) / 1e3:.0f} kB) "
        f"posted at once to the scoring sheet upload; public page {PUBLIC_PAGE}:"
    )
    print(f"  {'':24} {'requests':>8} {'median':>9} {'p95':>9} {'worst':>9}")
    for label, latencies, (median, p95, worst) in (
        ("idle", idle, quiet),
        ("two bombs posted", busy, loaded),
    ):
        print(
            f"  {label:24} {len(latencies):8} {median * 1e3:7.1f}ms {p95 * 1e3:7.1f}ms "
            f"{worst * 1e3:7.1f}ms"
        )
    ratios = [f"{bombs / calm:9.2f}" for bombs, calm in zip(loaded, quiet, strict=True)]
    print(f"  {'ratio (bombs / idle)':24} {'':8} {' '.join(ratios)}")
    durations = sorted(duration for duration, _status, _refused in posts)
    statuses = sorted({status for _duration, status, _refused in posts})
    refused = sum(1 for _duration, _status, was in posts if was)
    print(
        f"  bomb posts: {len(posts)}, {refused} answered with the refusal; status {statuses}; "
        f"{durations[0] * 1e3:.0f} to {durations[-1] * 1e3:.0f} ms each"
    )
    print(f"  load average (1 min) {load_before:.2f} before, {load_after:.2f} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--http-rounds", type=int, default=5)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--http-only", action="store_true")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    setup_django(SERVER_ENV)
    from django.utils import translation

    translation.activate("en")
    if not args.http_only:
        print(f"Workbooks (a normal scores file of {args.rows:,} rows and two bombs):")
        in_process(args.rows, args.rounds)
    if not args.no_http:
        over_http(args.http_rounds)


if __name__ == "__main__":
    main()
