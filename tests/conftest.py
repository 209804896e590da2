"""What every test shares: the personas (staff, appraisers, the editor and head of units A
and B, anonymous), a client logged in as any of them, a private media folder, an empty
cache, the Vietnamese language, and the demo loaded once per module."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from demo.loader import demo_load
from reports.selectors.freshness import forget_latest_published_at
from tests.factories import APPRAISER_GROUP, STAFF_GROUP, make_block, make_unit, make_user
from units.models import Membership


@pytest.fixture(autouse=True)
def vietnamese():
    """Pin the language, so asserted messages do not depend on the machine's locale."""
    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas are made for every test; the production hasher would cost seconds each time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def english_client(client, english):
    """A visitor who chose English with the language switcher, so pages can be asserted."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def unit_a(db):
    return make_unit(
        name="Sở Giáo dục và Đào tạo", short_name="Sở GD&ĐT", code="so-gddt", block=make_block()
    )


@pytest.fixture
def unit_b(db):
    return make_unit(
        name="Sở Giao thông vận tải", short_name="Sở GTVT", code="so-gtvt", block=make_block()
    )


@pytest.fixture
def staff(db):
    return make_user(username="staff", groups=(STAFF_GROUP,))


@pytest.fixture
def appraiser(db):
    return make_user(username="appraiser", groups=(APPRAISER_GROUP,))


@pytest.fixture
def unassigned(db):
    """An appraiser with no unit assigned (the scoring tests assign "appraiser" to unit A)."""
    return make_user(username="appraiser_2", groups=(APPRAISER_GROUP,))


@pytest.fixture
def editor_a(unit_a):
    return make_user(username="editor_a", unit=unit_a, role=Membership.Role.EDITOR)


@pytest.fixture
def head_a(unit_a):
    return make_user(username="head_a", unit=unit_a, role=Membership.Role.HEAD)


@pytest.fixture
def editor_b(unit_b):
    return make_user(username="editor_b", unit=unit_b, role=Membership.Role.EDITOR)


@pytest.fixture
def head_b(unit_b):
    return make_user(username="head_b", unit=unit_b, role=Membership.Role.HEAD)


@pytest.fixture
def as_persona(client, request):
    """A client logged in as the named persona fixture (or nobody, for "anonymous")."""

    def login(persona: str):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return login


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and published PDFs go to a folder of the test's own, never the real media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: pages kept by one test never answer another.

    The same goes for the latest publication time each process keeps for a few seconds
    (reports.selectors.latest_published_at): one test's publications are not another's.
    """
    cache.clear()
    forget_latest_published_at()
    yield
    cache.clear()
    forget_latest_published_at()


FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class DemoDatabase:
    """The loaded demo: the loader's report, and the folder holding its published PDFs."""

    report: object
    media: Path


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The Sóc Trăng demo, loaded once for a module's tests and rolled back after them.

    Loading it (two publications with their PDFs) takes seconds: a module of read-only
    demo tests loads it once, inside a transaction that is rolled back after its last
    test. Each test still runs in a savepoint of its own (pytest-django's db), so what
    one test writes is gone for the next. Not for transactional tests.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_HASHING),
        transaction.atomic(),
    ):
        yield DemoDatabase(report=demo_load(), media=media)
        transaction.set_rollback(True)
