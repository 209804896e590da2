"""Personas shared by every test: staff, an appraiser, the editor and head of units A and B."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

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
