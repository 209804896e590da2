"""The system checks that refuse a production process which would publish wrong documents."""

import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import checks

from cchc_portal.checks import (
    portal_base_url_check,
    signing_check,
    translation_catalogue_check,
)
from reports.outputs.demo_authority import authority_create, authority_pkcs12

ROOT = Path(__file__).resolve().parents[2]
# A valid catalogue with no messages (GNU .mo header: magic, revision, count, offsets, hash).
EMPTY_MO = struct.pack("<7I", 0x950412DE, 0, 0, 28, 28, 0, 28)


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize(
    "address",
    [
        "",
        "http://127.0.0.1:8000",
        "https://127.0.0.1",
        "https://127.10.20.30/",
        "https://localhost:8443",
        "https://LOCALHOST.",
        "https://[::1]/",
        "http://chisocchc.soctrang.gov.vn",
        "chisocchc.soctrang.gov.vn",
    ],
)
def test_a_production_portal_address_must_be_public_https(settings, address):
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = address

    [error] = portal_base_url_check()

    assert error.id == "cchc.E001"
    assert error.level == checks.ERROR


@pytest.mark.parametrize(
    "address", ["https://chisocchc.soctrang.gov.vn", "https://cchc.example.vn:8443/cong/"]
)
def test_a_public_https_address_is_accepted(settings, address):
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = address

    assert portal_base_url_check() == []


def test_development_keeps_its_loopback_address(settings):
    settings.DEBUG = True
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"

    assert portal_base_url_check() == []


def test_the_checks_run_without_deploy_so_every_command_runs_them(settings):
    """Registered without deploy=True: runserver, migrate and db_worker run them too."""
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"

    assert "cchc.E001" in ids(checks.run_checks(include_deployment_checks=False))


@pytest.fixture
def locale(tmp_path, settings):
    settings.DEBUG = False
    folder = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    (folder / "django.po").write_text('msgid ""\nmsgstr ""\n')
    return folder


def test_a_missing_catalogue_stops_production(locale):
    [error] = translation_catalogue_check()
    assert error.id == "cchc.E002"
    assert "django.mo" in error.msg


def test_a_catalogue_older_than_its_source_stops_production(locale):
    mo = locale / "django.mo"
    mo.write_bytes(EMPTY_MO)
    past = time.time() - 3600
    os.utime(mo, (past, past))

    assert ids(translation_catalogue_check()) == ["cchc.E002"]


def test_a_compiled_catalogue_passes_and_development_is_not_checked(locale, settings):
    mo = locale / "django.mo"
    mo.write_bytes(EMPTY_MO)
    future = time.time() + 60
    os.utime(mo, (future, future))
    assert translation_catalogue_check() == []

    mo.unlink()
    settings.DEBUG = True
    assert translation_catalogue_check() == []


def test_an_unreadable_signing_certificate_is_an_error(settings, tmp_path):
    settings.SIGNING_PKCS12 = str(tmp_path / "missing.p12")
    assert "cchc.E003" in ids(signing_check())

    path = tmp_path / "ubnd.p12"
    path.write_bytes(
        authority_pkcs12(
            authority_create(ca_name="CA", signer_organisation="UBND", demo=False),
            password=b"right",
        )
    )
    settings.SIGNING_PKCS12, settings.SIGNING_PKCS12_PASSWORD = str(path), "wrong"
    assert "cchc.E003" in ids(signing_check())

    settings.SIGNING_PKCS12_PASSWORD = "right"
    assert "cchc.E003" not in ids(signing_check())


def test_production_without_a_certificate_is_warned_of_the_demo_authority(settings):
    settings.SIGNING_PKCS12 = ""
    settings.DEBUG = False
    assert "cchc.W003" in ids(signing_check())
    settings.DEBUG = True
    assert "cchc.W003" not in ids(signing_check())


def test_unreadable_trust_roots_and_a_strange_timestamp_address_are_errors(settings, tmp_path):
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "missing.pem")]
    settings.SIGNING_TSA_URL = "ftp://tsa.example.vn"

    assert {"cchc.E004", "cchc.E005"} <= set(ids(signing_check()))


def test_the_worker_refuses_to_start_with_the_development_address():
    """manage.py db_worker (which renders and signs the decisions) runs the checks first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env |= {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "k3y-for-the-worker-test-" + "x9Q2mZ7vL4pR8sT1wY6bN3cF5hJ0dG" * 2,
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "manage.py", "db_worker", "--batch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "cchc.E001" in result.stderr
    assert "127.0.0.1:8000" in result.stderr
