"""The load benchmark's data: a database of its own, the Sóc Trăng demo in it, staff
appraising five 2016 assessments, and the check that no save was lost."""

import secrets
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOAD_SQLITE = ROOT / "bench" / ".data" / "load.sqlite3"
BLOCK = "so"  # the departments: the block the staff appraise
STAFF_PREFIX = "bench-staff-"


# -- the database: made before the run, removed after it ------------------------------------


def _postgres_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to run on {name!r}: the load bench's database must have 'bench' in it.")
    return name


def _postgres_admin(url: str):
    """A connection to the server's maintenance database, to create and drop ours."""
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    connection.autocommit = True
    return connection


def database_create(url: str) -> str:
    """An empty database: a new SQLite file, or a PostgreSQL database (re)created by name."""
    if not url:
        LOAD_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        _remove_sqlite()
        return f"sqlite:///{LOAD_SQLITE}"
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must be a PostgreSQL URL (or empty, for SQLite).")
    name = _postgres_name(url)
    connection = _postgres_admin(url)
    with connection.cursor() as cursor:
        # A leftover of an interrupted run: the name says it is the bench's own.
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return url


def database_drop(url: str) -> None:
    from django.db import connections

    connections.close_all()
    if url.startswith("sqlite"):
        _remove_sqlite()
        return
    connection = _postgres_admin(url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{_postgres_name(url)}" WITH (FORCE)')
    connection.close()


def _remove_sqlite() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{LOAD_SQLITE}{suffix}").unlink(missing_ok=True)


# -- what the clients work on -----------------------------------------------------------------


@dataclass
class StaffWork:
    """One staff member's share: an assessment in appraisal and the leaves they appraise."""

    username: str
    assessment: int
    scores: dict[int, Decimal]  # score pk → the leaf's maximum


@dataclass
class Plan:
    password: str
    public: dict[str, list[str]]  # kind → paths
    staff: list[StaffWork] = field(default_factory=list)


def generate(*, staff: int) -> Plan:
    """Migrate, load the demo, put assessments in appraisal and make `staff` staff accounts.

    Each pair of staff members shares one assessment (the same row lock), each on its
    own half of the leaves: concurrent saves of one assessment, never of one score, so
    every score's last save is known and can be checked afterwards.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from bench.bench_database import refuse_foreign_data
    from demo import story
    from demo.loader import demo_load
    from scoring.models import Assessment, Criterion, Score
    from units.models import STAFF_GROUP

    refuse_foreign_data(connection)  # the database was just made: empty
    call_command("migrate", verbosity=0, interactive=False)
    demo_load()
    password = secrets.token_urlsafe(16)
    group = Group.objects.get(name=STAFF_GROUP)
    accounts = []
    for number in range(1, staff + 1):
        user = get_user_model().objects.create_user(
            username=f"{STAFF_PREFIX}{number:02d}", password=password
        )
        user.groups.add(group)
        accounts.append(user.username)

    assessments = list(
        Assessment.objects.filter(campaign__year=story.OPEN_YEAR, unit__block__code=BLOCK)
        .select_related("framework")
        .order_by("unit__code")[: (staff + 1) // 2]
    )
    plan = Plan(password=password, public=_public_paths())
    for number, username in enumerate(accounts):
        assessment = assessments[number // 2]
        leaves = list(
            assessment.framework.criteria.filter(children__isnull=True)
            .exclude(method=Criterion.Method.SURVEY)
            .order_by("sort_key")
        )
        scores = {}
        for index, leaf in enumerate(leaves):
            score, _created = Score.objects.update_or_create(
                assessment=assessment,
                criterion=leaf,
                defaults={"self_points": leaf.max_points, "not_applicable": False},
            )
            if index % 2 == number % 2 and leaf.max_points > 0:
                scores[score.pk] = leaf.max_points
        plan.staff.append(StaffWork(username=username, assessment=assessment.pk, scores=scores))
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
        state=Assessment.State.IN_APPRAISAL
    )
    connection.close()
    return plan


def _public_paths() -> dict[str, list[str]]:
    from django.urls import reverse

    from reports.models import Decision, PublishedResult

    decisions = list(Decision.objects.filter(status=Decision.Status.PUBLISHED).order_by("pk"))
    if not decisions:
        sys.exit("The demo published no decision: nothing for the public readers to read.")
    latest = decisions[-1]
    year = latest.campaign.year
    blocks = sorted(set(latest.rows.values_list("block_code", flat=True)))
    codes = sorted(set(PublishedResult.objects.values_list("unit__code", flat=True)))
    return {
        "rankings": [reverse("reports:rankings", args=[year, block]) for block in blocks],
        "unit profile": [reverse("reports:unit_profile", args=[code]) for code in codes],
        "decision": [reverse("reports:decision_detail", args=[d.pk]) for d in decisions],
        "decision PDF": [reverse("reports:decision_pdf", args=[d.pk]) for d in decisions],
        "open data": [
            reverse("reports:open_data_file", args=[year, block, fmt])
            for block in blocks
            for fmt in ("csv", "xlsx", "json")
        ],
    }


# -- after the run: was any save lost? --------------------------------------------------------


def lost_saves(last: dict[int, tuple[Decimal, str]], saves: dict[int, int]) -> list[str]:
    """Every score whose stored points and note are not its last acknowledged save, or
    whose history holds fewer appraisal saves than were acknowledged."""
    from django.db.models import Count

    from scoring.models import Score

    stored = {
        pk: (points, note)
        for pk, points, note in Score.objects.filter(pk__in=last).values_list(
            "pk", "appraised_points", "appraisal_note"
        )
    }
    history = dict(
        Score.history.filter(id__in=last, history_change_reason="appraisal")
        .values("id")
        .annotate(n=Count("history_id"))
        .values_list("id", "n")
    )
    problems = []
    for pk, (points, note) in last.items():
        if stored.get(pk) != (points, note):
            problems.append(f"score {pk}: stored {stored.get(pk)}, last saved {(points, note)}")
        if history.get(pk, 0) < saves[pk]:
            problems.append(f"score {pk}: {history.get(pk, 0)} saves in its history of {saves[pk]}")
    return problems
