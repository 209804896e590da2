#!/usr/bin/env python
"""What the idle timeout costs: session writes, page time and a writer's wait, on SQLite.

    .venv/bin/python bench/sessions.py [--browsers B] [--requests R] [--keep]

Two ways to end a session after 30 idle minutes, measured on the same SQLite file
(bench/.data/sessions.sqlite3, recreated on each run; transaction_mode IMMEDIATE, as
the portal sets it):

  - "middleware": the portal's IdleTimeoutMiddleware (the time of the latest request
    kept in the session, rewritten at most once a minute);
  - "every request": SESSION_COOKIE_AGE = 30 minutes with SESSION_SAVE_EVERY_REQUEST,
    which rewrites the session row on every request of a logged-in user.

B logged-in staff (default 4 threads, each with its own test client) each open a staff
page R times (default 150), while one more thread stands for an officer saving scores:
it runs short write transactions (an UPDATE of one row) back to back. It prints, for
each way: page views per second, session rows written per page view, and the writer's
transaction time (median, 95th percentile, maximum) — how long a score save waits
behind the browsing staff.
"""

import argparse
import itertools
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
DATABASE = DATA / "sessions.sqlite3"
PAGE = "/accounts/lockouts/"
_runs = itertools.count(1)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    DATA.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ["DJANGO_DEBUG"] = "true"
    # django-axes logs every login at INFO; the figures are what matters here.
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc_portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run(label: str, *, browsers: int, requests: int, overrides: dict) -> None:
    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from units.models import STAFF_GROUP

    run_number = next(_runs)
    with override_settings(**overrides):
        staff_group = Group.objects.get_or_create(name=STAFF_GROUP)[0]
        clients = []
        for n in range(browsers):
            user = User.objects.create_user(f"staff-{run_number}-{n}")
            user.groups.add(staff_group)
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            client.get(PAGE)  # the first request writes the activity time in both ways
            clients.append(client)
        officer = User.objects.create_user(f"officer-{run_number}")
        connection.close()

        session_writes = [0]
        lock = threading.Lock()

        def count_session_writes(execute, sql, params, many, context):
            if sql.startswith('UPDATE "django_session"'):
                with lock:
                    session_writes[0] += 1
            return execute(sql, params, many, context)

        def browse(client: Client) -> None:
            with connection.execute_wrapper(count_session_writes):
                for _ in range(requests):
                    response = client.get(PAGE)
                    assert response.status_code == 200, response.status_code
            connection.close()

        done = threading.Event()
        waits: list[float] = []

        def save_scores() -> None:
            while not done.is_set():
                started = time.perf_counter()
                with transaction.atomic():
                    User.objects.filter(pk=officer.pk).update(last_login=timezone.now())
                waits.append(time.perf_counter() - started)
                time.sleep(0.005)
            connection.close()

        writer = threading.Thread(target=save_scores)
        threads = [threading.Thread(target=browse, args=(c,)) for c in clients]
        started = time.perf_counter()
        writer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        done.set()
        writer.join()

    views = browsers * requests
    waits.sort()
    p95 = waits[int(len(waits) * 0.95)]
    print(
        f"{label:>14}: {views / elapsed:6.1f} page views/s, "
        f"{session_writes[0] / views:4.2f} session writes per view, "
        f"score save median {statistics.median(waits) * 1000:5.1f} ms, "
        f"p95 {p95 * 1000:5.1f} ms, max {waits[-1] * 1000:6.1f} ms ({len(waits)} saves)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--browsers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    every_request = {
        "SESSION_SAVE_EVERY_REQUEST": True,
        "SESSION_COOKIE_AGE": settings.SESSION_IDLE_TIMEOUT,
        "MIDDLEWARE": [m for m in settings.MIDDLEWARE if "IdleTimeout" not in m],
    }
    for label, overrides in (("middleware", {}), ("every request", every_request)) * 2:
        run(label, browsers=args.browsers, requests=args.requests, overrides=overrides)
    if not args.keep:
        DATABASE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
