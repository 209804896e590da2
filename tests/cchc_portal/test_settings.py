"""Settings come from the environment; a typo or a missing secret stops the process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc_portal.env import envbool, envint, envlist, envstr
from reports.outputs.demo_authority import authority_create, authority_pkcs12

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3y-for-the-settings-test-" + "x9Q2mZ7vL4pR8sT1wY6bN3cF5hJ0dG" * 2,
    "DJANGO_ALLOWED_HOSTS": "chisocchc.soctrang.gov.vn",
    "DJANGO_BEHIND_PROXY": "true",
    "PORTAL_BASE_URL": "https://chisocchc.soctrang.gov.vn",
}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` after django.setup() in a fresh interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "cchc_portal.settings", **env}
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("true", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("no", False),
        ("off", False),
    ],
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert envbool("X_FLAG", default=not expected) is expected


@pytest.mark.parametrize("raw", ["ture", "enabled", "2", "y es"])
def test_envbool_refuses_a_typo_instead_of_reading_false(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        envbool("X_FLAG", default=False)


def test_unset_or_empty_variables_take_the_default(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    monkeypatch.setenv("X_EMPTY", "")
    assert envbool("X_FLAG", default=True) is True
    assert envbool("X_EMPTY", default=False) is False
    assert envstr("X_EMPTY", "fallback") == "fallback"
    assert envint("X_EMPTY", 7) == 7
    assert envlist("X_EMPTY", ["a"]) == ["a"]


def test_envint_and_envlist_parse_and_refuse(monkeypatch):
    monkeypatch.setenv("X_INT", "12x")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        envint("X_INT", 0)
    monkeypatch.setenv("X_LIST", " a.gov.vn, ,b.gov.vn ")
    assert envlist("X_LIST", []) == ["a.gov.vn", "b.gov.vn"]


def test_debug_is_off_and_a_secret_key_required_unless_development_is_asked_for():
    result = run_django("print(settings.DEBUG)")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_development_runs_without_configuration_on_sqlite_in_vietnamese():
    result = run_django(
        "import json; print(json.dumps([settings.DEBUG, settings.DATABASES['default']['ENGINE'],"
        " settings.LANGUAGE_CODE, settings.TIME_ZONE]))",
        DJANGO_DEBUG="true",
        DATABASE_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        True,
        "django.db.backends.sqlite3",
        "vi",
        "Asia/Ho_Chi_Minh",
    ]


def test_database_url_selects_postgresql():
    result = run_django(
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://u:p@db.internal:5432/cchc",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "cchc", "db.internal"]


def test_cache_is_per_process_unless_a_redis_url_is_given():
    code = "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"
    local = run_django(code, DJANGO_DEBUG="true")
    assert local.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "cchc"]
    shared = run_django(code, DJANGO_DEBUG="true", DJANGO_CACHE_URL="redis://cache.internal:6379/0")
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0",
    ]
    wrong = run_django(code, DJANGO_DEBUG="true", DJANGO_CACHE_URL="memcached://cache:11211")
    assert wrong.returncode != 0
    assert "is not a Redis URL" in wrong.stderr


def test_a_boolean_typo_in_the_environment_stops_the_portal():
    result = run_django("print(settings.DEBUG)", DJANGO_DEBUG="treu")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='treu' is not a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    # The organisation's signing certificate: without one the portal warns (cchc.W003).
    certificate = tmp_path / "ubnd.p12"
    certificate.write_bytes(
        authority_pkcs12(
            authority_create(ca_name="CA", signer_organisation="UBND", demo=False),
            password=b"k3y",
        )
    )
    signing = {"DJANGO_SIGNING_PKCS12": str(certificate), "DJANGO_SIGNING_PKCS12_PASSWORD": "k3y"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
        | PRODUCTION
        | signing,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_takes_the_write_lock_when_a_transaction_begins(tmp_path):
    """IMMEDIATE: a transaction that reads, then writes, waits for the lock instead of failing.

    Inside Django's transaction (which has only read), another connection cannot start
    writing: the lock is already taken. With SQLite's default (DEFERRED) it could, and
    Django's transaction would fail on its first write with "database is locked" (issue 10).
    """
    database = tmp_path / "office.sqlite3"
    code = f"""
import json, sqlite3
from django.db import connection, transaction
with transaction.atomic():
    connection.cursor().execute("SELECT 1")
    other = sqlite3.connect({str(database)!r}, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        outcome = "another writer got in"
    except sqlite3.OperationalError as error:
        outcome = str(error)
print(json.dumps([settings.DATABASES["default"]["OPTIONS"], outcome]))
"""
    result = run_django(code, DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    options, outcome = json.loads(result.stdout)
    assert options == {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    assert outcome == "database is locked"


def test_postgresql_gets_no_sqlite_options():
    result = run_django(
        "print(settings.DATABASES['default'].get('OPTIONS', {}))",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://u:p@db.internal:5432/cchc",
    )
    assert result.stdout.strip() == "{}"


def test_every_cookie_is_secure_httponly_and_lax_in_production(tmp_path):
    """Log in, switch the language, get a CSRF token, time out: read every Set-Cookie.

    The idle timeout leaves its message in the messages cookie.
    """
    code = """
import json
from django.core.management import call_command
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import override_settings
call_command("migrate", verbosity=0)
User.objects.create_user("staff", password="a long enough password")
# Pages name their static files without a collectstatic manifest; nothing else changes.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
client = Client(HTTP_HOST="chisocchc.soctrang.gov.vn", HTTP_X_FORWARDED_PROTO="https")
cookies = {}
def keep(response):
    for name, morsel in response.cookies.items():
        # A deletion (the session cookie of a logged-out session) carries nothing to protect.
        if morsel.value:
            cookies[name] = [bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]]
    return response
keep(client.get("/login/"))
keep(client.post("/login/", {"username": "staff", "password": "wrong"}))
keep(client.post("/login/", {"username": "staff", "password": "a long enough password"}))
keep(client.post("/i18n/setlang/", {"language": "en", "next": "/"}))
session = client.session
session["cchc_last_activity"] = 0
session.save()
keep(client.get("/units/"))
print(json.dumps(cookies))
"""
    result = run_django(code, **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr
    cookies = json.loads(result.stdout.splitlines()[-1])
    assert set(cookies) >= {"csrftoken", "sessionid", "django_language", "messages"}
    assert {name: flags for name, flags in cookies.items() if flags != [True, True, "Lax"]} == {}


def test_cookies_are_not_secure_in_development_over_plain_http():
    code = (
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY)"
    )
    assert run_django(code, DJANGO_DEBUG="true").stdout.split() == [
        "False",
        "False",
        "False",
        "True",
    ]


def test_idle_limit_and_lockout_come_from_the_environment():
    code = (
        "print(settings.SESSION_IDLE_TIMEOUT, settings.AXES_FAILURE_LIMIT,"
        " int(settings.AXES_COOLOFF_TIME.total_seconds()))"
    )
    default = run_django(code, DJANGO_DEBUG="true")
    assert default.stdout.split() == ["1800", "5", "1800"]
    custom = run_django(
        code,
        DJANGO_DEBUG="true",
        CCHC_SESSION_IDLE_MINUTES="15",
        CCHC_LOGIN_FAILURE_LIMIT="8",
        CCHC_LOGIN_LOCKOUT_MINUTES="60",
    )
    assert custom.stdout.split() == ["900", "8", "3600"]
