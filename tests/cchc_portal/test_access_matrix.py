"""Every URL of the portal × seven personas × GET and POST answers as one table says.

The URLs come from cchc_portal.urls itself (the admin, accounts and i18n ones
included), so a new URL without a row in tests/cchc_portal/access_table.py fails
here until someone decides who may reach it. The URLs of one assessment are walked in
three workflow states. No answer may be a 500.

Requests are read-only where they can be; a POST the table allows runs inside a
savepoint that is rolled back, so no request changes what the next one sees. A GET
writes nothing but the session, whoever asks. The world is built once for the module
(tests.cchc_portal.access_world).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.cchc_portal.access_table import (
    ASSESSMENT_NAMESPACE,
    LOGIN,
    MOVED,
    TABLE,
    Row,
    expected_for,
)
from tests.cchc_portal.access_world import PERSONAS, PUBLISHED_YEAR, STATE_YEARS, World, build_world
from units.models import Unit

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
ADMIN_MODEL = re.compile(r"^admin/(\w+)/(\w+)/")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# What a GET may write: the session (its last request, for the idle timeout).
GET_MAY_WRITE = {"django_session"}


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL's name with its namespace; the route for an unnamed pattern
    route: str  # the whole route, as ResolverMatch.route writes it

    @property
    def parameters(self) -> list[str]:
        groups = [m["name"] for m in GROUP.finditer(self.route)]
        return groups + [m["name"] for m in CONVERTER.finditer(GROUP.sub("", self.route))]


def _join(first: str, second: str) -> str:
    # As django.urls.resolvers.URLResolver joins routes.
    return second if not first else first + second.removeprefix("^")


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace and namespace else None
            yield from url_patterns(
                entry.url_patterns, route, inner or entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Pattern(key=name or route, route=route)


PATTERNS = list(url_patterns())


# -- the world ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, in a transaction rolled back after the module's last test."""
    media = tmp_path_factory.mktemp("access-matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_HASHING),
        transaction.atomic(),
    ):
        built = build_world()
        built.media = media
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_root(settings, request, tmp_path):
    """The world's files (the evidence, the published PDF) stay where the world put them."""
    folder = request.getfixturevalue("world").media if "world" in request.fixturenames else tmp_path
    settings.MEDIA_ROOT = str(folder)
    return folder


def _kwargs(pattern: Pattern, world: World, state: str) -> dict[str, object]:
    objects = world.states[state]
    key = pattern.key
    if key in (
        f"{ASSESSMENT_NAMESPACE}:evidence_download",
        f"{ASSESSMENT_NAMESPACE}:evidence_remove",
    ):
        pk = objects.evidence.pk
    elif key.startswith(ASSESSMENT_NAMESPACE + ":"):
        pk = objects.assessment.pk
    elif key.startswith("accounts:"):
        pk = world.account.pk
    elif key.startswith("frameworks:"):
        pk = world.framework.pk
    elif key == "campaigns:campaign_appraiser_remove":
        pk = world.assignment.pk
    elif key in ("reports:decision_detail", "reports:decision_pdf", "reports:decision_correct"):
        pk = world.published.pk
    else:
        pk = world.draft.pk
    admin_model = ADMIN_MODEL.match(pattern.route)
    object_id = world.admin_ids.get(".".join(admin_model.groups())) if admin_model else None
    public = key in (
        "reports:rankings",
        "reports:methodology_block",
        "reports:open_data_file",
        "reports:open_data_statistics",
    )
    values = {
        "pk": pk,
        "criterion_pk": objects.score.criterion_id,
        "score_pk": objects.score.pk,
        "year": PUBLISHED_YEAR if public else STATE_YEARS["draft"],
        "year_a": PUBLISHED_YEAR - 1,
        "year_b": PUBLISHED_YEAR,
        "block_code": "so",
        "code": world.unit_a.code,
        "unit_pk": world.unit_a.pk,
        "action": "start_appraisal",
        "fmt": "csv",
        "sha256": "0" * 64,
        "uidb64": "MQ",
        "token": "c0-ffee",
        "id": 1,
        "object_id": object_id or 1,
        "content_type_id": ContentType.objects.get_for_model(Unit).pk,
        "app_label": "scoring",
        "url": "nowhere/",
        "rest": f"{STATE_YEARS['draft']}/",
    }
    return {name: values[name] for name in pattern.parameters}


def url_of(pattern: Pattern, world: World, state: str) -> str:
    kwargs = _kwargs(pattern, world, state)
    path = GROUP.sub(lambda m: str(kwargs[m["name"]]), pattern.route)
    path = "/" + CONVERTER.sub(lambda m: str(kwargs[m["name"]]), path).replace("^", "").rstrip("$")
    # The path must reach the pattern it was built for, not a catch-all beside it.
    assert resolve(path).route == pattern.route, (pattern.key, path)
    return path


# -- one request --------------------------------------------------------------------------

LOGIN_PATHS = {reverse("login"), reverse("admin:login")}
REDIRECTS = {301, 302, 303, 307, 308}


def outcome(status: int, location: str) -> str:
    if status in REDIRECTS:
        return LOGIN if urlsplit(location).path in LOGIN_PATHS else MOVED
    return str(status)


def answer(world: World, persona: str, method: str, path: str) -> tuple[str, set[str]]:
    """What the persona gets, in a savepoint rolled back afterwards (a POST may succeed),
    and the tables the request wrote to."""
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    written = set()

    def record_writes(execute, sql, params, many, context):
        if found := WRITE.match(sql):
            written.add(found[1])
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(record_writes):
        response = getattr(client, method.lower())(path)
        transaction.set_rollback(True)
    return outcome(response.status_code, response.get("Location", "")), written


# -- the tests ----------------------------------------------------------------------------


def cases() -> Iterator:
    for pattern in PATTERNS:
        states = STATE_YEARS if pattern.key.startswith(ASSESSMENT_NAMESPACE + ":") else ["draft"]
        for state in states:
            yield pytest.param(pattern, state, id=f"{pattern.key}[{state}]")


def test_every_url_pattern_has_one_row_in_the_table():
    keys = [pattern.key for pattern in PATTERNS]
    unclassified = sorted(set(keys) - set(TABLE))
    assert unclassified == [], "URLs nobody has classified: add them to access_table.TABLE"
    assert sorted(set(TABLE) - set(keys)) == [], "rows for URLs that no longer exist"
    assert len(keys) == len(set(keys)), "two patterns under one key"


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "state"), list(cases()))
def test_each_persona_gets_what_the_table_says(world, pattern, state):
    row: Row = TABLE.get(pattern.key)
    assert row is not None, f"{pattern.key} has no row in access_table.TABLE"
    path = url_of(pattern, world, state)
    wrong = []
    for method in ("GET", "POST"):
        expected = expected_for(row, method, state)
        for persona, wanted in zip(PERSONAS, expected, strict=True):
            got, written = answer(world, persona, method, path)
            if got != wanted or got == "500":
                wrong.append(f"{method} {path} as {persona}: {got}, expected {wanted}")
            if method == "GET" and written - GET_MAY_WRITE:
                wrong.append(f"GET {path} as {persona} wrote to {sorted(written)}")
    assert wrong == []
