"""Racing writers for real, on PostgreSQL: each in a thread with its own connection.

SQLite has no row locks (select_for_update is a no-op there), so these tests run on
PostgreSQL only, as CI does (`make test-postgres`). The interleavings are forced with
events, not left to sleeping and luck: a writer can be held "in flight" (its changes
made, its transaction not yet committed) while another starts, and the test waits
until that other one is blocked on a row lock, or has finished because nothing
stopped it, before letting the first commit.
"""

import threading
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a no-op on SQLite: the races run on PostgreSQL (make test-postgres)",
)

TIMEOUT = 15  # seconds: a deadlock or a lost wake-up fails the test instead of hanging it


class Racer(threading.Thread):
    """Runs `work` in a thread with its own database connection; keeps its result or error."""

    def __init__(self, work: Callable[[], object], *, start_on: threading.Barrier | None = None):
        super().__init__(daemon=True)
        self.work = work
        self.start_on = start_on
        self.result: object = None
        self.error: BaseException | None = None
        self.backend_pid: int | None = None
        self.connected = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        try:
            connection.ensure_connection()
            self.backend_pid = connection.connection.info.backend_pid
            self.connected.set()
            if self.start_on is not None:
                self.start_on.wait(TIMEOUT)
            self.result = self.work()
        except BaseException as error:  # noqa: BLE001 - handed to the test, which judges it
            self.error = error
        finally:
            self.connected.set()
            connection.close()
            self.done.set()

    def outcome(self) -> object:
        """The work's result, or its exception (returned, not raised), once finished."""
        self.join(TIMEOUT)
        assert not self.is_alive(), "a racer did not finish: a deadlock?"
        return self.error if self.error is not None else self.result


def race(*works: Callable[[], object]) -> list[object]:
    """Run the works at once (released together by a barrier); their outcomes, in order."""
    barrier = threading.Barrier(len(works))
    racers = [Racer(work, start_on=barrier) for work in works]
    for racer in racers:
        racer.start()
    return [racer.outcome() for racer in racers]


def blocked_or_done(racer: Racer) -> str:
    """Wait until the racer waits on a lock another transaction holds ("blocked"), or has
    finished because nothing held it back ("done")."""
    assert racer.connected.wait(TIMEOUT)
    with connection.cursor() as cursor:
        for _poll in range(TIMEOUT * 500):
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [racer.backend_pid])
            if cursor.fetchone()[0]:
                return "blocked"
            if racer.done.wait(0.002):
                return "done"
    raise AssertionError("the racer neither blocked nor finished")


class InFlight:
    """A writer held between its changes and its commit, until `release()`."""

    def __init__(self, work: Callable[[], object]) -> None:
        self.written = threading.Event()
        self.go = threading.Event()

        def held() -> object:
            with transaction.atomic():
                result = work()
                self.written.set()
                assert self.go.wait(TIMEOUT), "never released"
            return result

        self.racer = Racer(held)

    def start(self) -> "InFlight":
        self.racer.start()
        assert self.written.wait(TIMEOUT) or self.racer.done.is_set()
        if self.racer.error is not None:
            raise self.racer.error
        return self

    def release(self) -> object:
        self.go.set()
        return self.racer.outcome()


@contextmanager
def in_flight(work: Callable[[], object]):
    """`with in_flight(work) as first:` work is done but not committed inside the block."""
    first = InFlight(work).start()
    try:
        yield first
    finally:
        first.go.set()
        first.racer.join(TIMEOUT)
