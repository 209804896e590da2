"""The benchmarks' database: Django set up on DATABASE_URL or a SQLite file of the bench's
own, never a database holding anything but bench data (never the developer's
db.sqlite3), and rows inserted in bulk (COPY on PostgreSQL)."""

import io
import os
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_SQLITE = ROOT / "bench" / ".data" / "bench.sqlite3"

DEVELOPER_SQLITE = ROOT / "db.sqlite3"

# Bench data is recognised by these: a database holding anything else is refused.
BENCH_BLOCK = "bench"
BENCH_NAME = "Benchmark"  # every bench campaign's name starts with it


def setup_django() -> str:
    """Configure Django on DATABASE_URL (or the bench's SQLite file); return where it is."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc_portal.settings"
    # The development settings (no secret key needed); DEBUG itself is turned off below.
    os.environ["DJANGO_DEBUG"] = "true"
    # Publications run with DEBUG off, which refuses a development address in the PDF.
    os.environ.setdefault("PORTAL_BASE_URL", "https://chisocchc.example.gov.vn")
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
