#!/usr/bin/env python
"""A province's onboarding at scale: 5,000 units and 5,000 accounts from workbooks.

    .venv/bin/python bench/onboarding.py [--rows N] [--rounds R]

Works in a SQLite file of its own (bench/.data/onboarding.sqlite3, made afresh and
removed at the end), with DEBUG off and the background tasks queued in the database,
as deployed. It writes two workbooks of N rows (default 5,000) with the portal's own
writers, then in R interleaved rounds (default 3) times, against two baselines measured
in the same run:

units workbook (N units in 4 blocks, every tenth with two predecessors, parents):
  - baseline: openpyxl reading the same file (read-only, every row of every sheet);
  - baseline: bulk_create of the same units and predecessor links, no checks;
  - units_import_plan: the preview (read, guard, every check, no writes);
  - units_import: the import into an empty portal;
  - units_import again: the same file run a second time (nothing to change);
accounts workbook (N accounts, each editor or head of one of the units):
  - baseline: openpyxl reading the same file;
  - baseline: bulk_create of the same users and memberships, no checks;
  - accounts_import_plan: the preview;
  - accounts_import: the import (accounts, roles, RoleChange and Invitation rows,
    the invitations queued for the worker);
and once, after the rounds: the worker's delivery of the N invitations to Django's
in-memory mail backend (rendering and handing over each mail; no network).

It prints the best and the median of each in ms, and the ratios of the bests to the
baselines. Clean-ups between rounds are not timed.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
DATABASE = DATA / "onboarding.sqlite3"
BLOCKS = (
    ("so", "Sở, ban, ngành", "Sở", 1),
    ("phuong", "UBND phường", "Phường", 2),
    ("xa", "UBND xã, đặc khu", "Xã", 3),
    ("huyen", "UBND cấp huyện", "Huyện", 4),
)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    DATA.mkdir(exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
            "DJANGO_DEBUG": "true",  # the development settings; DEBUG goes off below
            "DATABASE_URL": f"sqlite:///{DATABASE}",
            "DJANGO_TASKS_BACKEND": "database",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# -- the workbooks ------------------------------------------------------------------------


def unit_rows(n: int) -> list[tuple]:
    """N units: a tenth ended in 2024 (districts and their communes), the rest from 2025,
    every tenth of those with two predecessors among the ended ones."""
    rows = []
    old = max(2, n // 10)
    for i in range(old):
        block = "huyen" if i % 10 == 0 else "xa"
        parent = "" if block == "huyen" else f"old-{i - i % 10:05}"
        rows.append((f"old-{i:05}", f"Xã Cũ {i}", "", block, "", parent, None, 2024, ""))
    for i in range(n - old):
        block = ("so", "phuong", "xa")[0 if i < 14 else 1 + i % 2]
        lineage = ""
        if i % 10 == 0:
            first = (i // 10 * 2) % old
            lineage = f"old-{first:05}, old-{(first + 1) % old:05}"
        rows.append((f"u-{i:05}", f"Đơn vị Số {i}", f"ĐV {i}", block, "", "", 2025, None, lineage))
    return rows


def account_rows(units: list[tuple], n: int) -> list[tuple]:
    current = [row[0] for row in units if row[7] is None]
    return [
        (
            f"officer{i:05}",
            f"Nguyễn Văn Số{i}",
            f"officer{i:05}@bench.example",
            current[i % len(current)],
            None,
            "Thủ trưởng" if i % 2 else "Cán bộ nhập liệu",
            "",
        )
        for i in range(n)
    ]


# -- what is timed ------------------------------------------------------------------------


def openpyxl_read(data: bytes) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for sheet in workbook for _row in sheet.iter_rows(values_only=True))
    workbook.close()
    return count


def bulk_units(rows: list[tuple]) -> None:
    """What the import writes, written directly: blocks, units, parents, links."""
    from django.db import transaction

    from units.models import Block, Unit

    with transaction.atomic():
        blocks = Block.objects.bulk_create(
            [Block(code=c, name=name, short_name=s, position=p) for c, name, s, p in BLOCKS]
        )
        block_ids = {block.code: block.pk for block in blocks}
        units = [
            Unit(code=r[0], name=r[1], short_name=r[2], block_id=block_ids[r[3]],
                 active_from=r[6], active_to=r[7], search_text=r[1].lower())
            for r in rows
        ]  # fmt: skip
        Unit.objects.bulk_create(units, batch_size=500)
        ids = dict(Unit.objects.values_list("code", "pk"))
        parented = [Unit(pk=ids[r[0]], parent_id=ids[r[5]]) for r in rows if r[5]]
        Unit.objects.bulk_update(parented, ["parent"], batch_size=500)
        through = Unit.predecessors.through
        links = [
            through(from_unit_id=ids[r[0]], to_unit_id=ids[code])
            for r in rows
            for code in r[8].split(", ")
            if code
        ]
        through.objects.bulk_create(links, batch_size=500)


def bulk_accounts(rows: list[tuple]) -> None:
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from cchc_portal.accounts.models import Invitation, RoleChange
    from units.models import Membership, Unit

    with transaction.atomic():
        users = [
            User(username=r[0], email=r[2], last_name="Nguyễn Văn", first_name=r[1].split()[-1],
                 password="!" + r[0])
            for r in rows
        ]  # fmt: skip
        User.objects.bulk_create(users, batch_size=500)
        user_ids = dict(
            User.objects.filter(username__startswith="officer").values_list("username", "pk")
        )
        unit_ids = dict(Unit.objects.values_list("code", "pk"))
        roles = [
            (user_ids[r[0]], unit_ids[r[3]], "unit_head" if r[5] == "Thủ trưởng" else "unit_editor")
            for r in rows
        ]
        Membership.objects.bulk_create(
            [Membership(user_id=u, unit_id=unit, role=role) for u, unit, role in roles],
            batch_size=500,
        )
        # The import's own records of the same rows: a role change and an invitation each.
        root = User.objects.get(username="bench-root")
        RoleChange.objects.bulk_create(
            [
                RoleChange(user_id=u, unit_id=unit, role=role, kind="granted", changed_by=root)
                for u, unit, role in roles
            ],
            batch_size=500,
        )
        now = timezone.now()
        Invitation.objects.bulk_create(
            [Invitation(user_id=u, invited_by=root, queued_at=now) for u, _unit, _role in roles],
            batch_size=500,
        )  # fmt: skip


def clear_units() -> None:
    from units.models import Block, Province, Unit

    Unit.predecessors.through.objects.all().delete()
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()
    Block.objects.all().delete()
    Province.objects.all().delete()


def clear_accounts() -> None:
    from django.contrib.auth.models import User
    from django_tasks_db.models import DBTaskResult

    from cchc_portal.accounts.models import Invitation, RoleChange

    RoleChange.objects.all().delete()
    Invitation.objects.all().delete()
    User.objects.filter(username__startswith="officer").delete()
    DBTaskResult.objects.all().delete()


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU time of the action, in ms. On a shared machine the CPU time
    (this process's, SQLite's work included) varies less than the wall clock."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="units, and accounts (5000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth.models import User
    from django.urls import reverse

    from cchc_portal.accounts.services.account_import import accounts_import, accounts_import_plan
    from cchc_portal.accounts.services.invitations import invitations_deliver
    from scoring.exchange.accounts_xlsx import write_accounts_file
    from scoring.exchange.units_xlsx import write_units_workbook
    from scoring.services.units_import import units_import, units_import_plan

    root = User.objects.create_superuser("bench-root", "root@bench.example", None)
    units = unit_rows(args.rows)
    units_file = write_units_workbook(
        province=("Bench", "UBND tỉnh Bench"), blocks=BLOCKS, units=units
    )
    accounts = account_rows(units, args.rows)
    accounts_file = write_accounts_file(accounts)
    print(
        f"Rows: {len(units):,} units ({len(units_file) / 1024:,.0f} KB), "
        f"{args.rows:,} accounts ({len(accounts_file) / 1024:,.0f} KB); SQLite; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
    )
    times: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, action: Callable[[], object]) -> None:
        times.setdefault(name, []).append(timed(action))

    for _round in range(args.rounds):
        record("units: openpyxl read", lambda: openpyxl_read(units_file))
        record("units: bulk_create", lambda: bulk_units(units))
        clear_units()
        record("units: plan (preview)", lambda: units_import_plan(file=units_file))
        record("units: import", lambda: units_import(file=units_file))
        record("units: import again", lambda: units_import(file=units_file))
        record("accounts: openpyxl read", lambda: openpyxl_read(accounts_file))
        record("accounts: bulk_create", lambda: bulk_accounts(accounts))
        clear_accounts()
        record(
            "accounts: plan (preview)", lambda: accounts_import_plan(actor=root, file=accounts_file)
        )
        record("accounts: import", lambda: accounts_import(actor=root, file=accounts_file))
        if _round < args.rounds - 1:
            clear_accounts()
            clear_units()
    ids = list(User.objects.filter(username__startswith="officer").values_list("pk", flat=True))
    reverse("login")  # the URL patterns load once per process: not the delivery's cost
    delivery, delivery_cpu = timed(lambda: invitations_deliver.call(user_ids=ids))

    width = max(len(name) for name in times)
    print(f"{'':<{width}}  {'wall: best':>12} {'median':>9}  {'CPU: best':>11}")
    for name, values in times.items():
        walls, cpus = [wall for wall, _cpu in values], [cpu for _wall, cpu in values]
        print(
            f"{name:<{width}}  {min(walls):9,.0f} ms {statistics.median(walls):6,.0f} ms"
            f"  {min(cpus):8,.0f} ms"
        )
    print(f"invitations: delivery of {len(ids):,} (locmem, once): {delivery:,.0f} ms, "
          f"CPU {delivery_cpu:,.0f} ms")  # fmt: skip
    best = {name: min(wall for wall, _cpu in values) for name, values in times.items()}
    cpu = {name: min(c for _wall, c in values) for name, values in times.items()}
    for what in ("units", "accounts"):
        steps = ("plan (preview)", "import", "import again") if what == "units" else (
            "plan (preview)", "import")  # fmt: skip
        for step in steps:
            name = f"{what}: {step}"
            read, bulk = f"{what}: openpyxl read", f"{what}: bulk_create"
            print(
                f"{name}: {best[name] / best[read]:.1f}× the openpyxl read "
                f"(CPU {cpu[name] / cpu[read]:.1f}×), {best[name] / best[bulk]:.1f}× the "
                f"bulk_create (CPU {cpu[name] / cpu[bulk]:.1f}×)"
            )
    DATABASE.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
