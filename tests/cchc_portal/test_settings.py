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
