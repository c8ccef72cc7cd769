"""The rate-limit store in the gateway's database: exact across connections (as across processes), on both backends."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import event, select

from gateway.ratestore import DatabaseStorage, rate_limit_counters, rate_limit_hits, rate_limit_windows
from servicekit.db import Database


@pytest.fixture
def gateway_url(fresh_database_url):
    return fresh_database_url("gateway")


@pytest.fixture
def databases(gateway_url):
    """Two Database objects over one database: what two gateway processes hold."""
    opened = [Database(gateway_url), Database(gateway_url)]
    yield opened
    for database in opened:
        database.dispose()


def _store(database: Database) -> DatabaseStorage:
    return storage_from_string("database://", database=database)


def test_the_database_scheme_builds_a_moving_window_store(databases):
    store = _store(databases[0])
    assert isinstance(store, DatabaseStorage) and store.check()
    MovingWindowRateLimiter(store)  # refuses a storage without moving-window support


def test_a_moving_window_lets_exactly_the_limit_in_and_frees_a_slot_when_the_oldest_expires(databases):
    store = _store(databases[0])
    assert [store.acquire_entry("key-a", 3, 1) for _ in range(4)] == [True, True, True, False]
    start, taken = store.get_moving_window("key-a", 3, 1)
    assert taken == 3 and time.time() - 1.5 < start <= time.time()
    assert store.acquire_entry("key-b", 3, 1)  # each key has its own window
    assert not store.acquire_entry("key-a", 3, 1, amount=4)
    time.sleep(1.05)
    assert store.get_moving_window("key-a", 3, 1)[1] == 0
    assert store.acquire_entry("key-a", 3, 1, amount=3) and not store.acquire_entry("key-a", 3, 1)


def test_many_connections_counting_one_key_at_once_let_exactly_the_limit_in(databases):
    stores = [_store(database) for database in databases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        granted = list(pool.map(lambda n: stores[n % 2].acquire_entry("busy", 20, 60), range(60)))
    assert granted.count(True) == 20
    assert stores[1].get_moving_window("busy", 20, 60)[1] == 20


def test_the_limiter_reports_when_a_slot_frees(databases):
    limiter, item = MovingWindowRateLimiter(_store(databases[0])), parse("2/minute")
    assert limiter.hit(item, "k") and limiter.hit(item, "k") and not limiter.hit(item, "k")
    reset_at, remaining = limiter.get_window_stats(item, "k")
    assert remaining == 0 and 58 <= reset_at - time.time() <= 60


def test_a_fixed_window_counter_counts_and_expires(databases):
    store = _store(databases[0])
    assert [store.incr("fixed", 1) for _ in range(3)] == [1, 2, 3]
    assert store.get("fixed") == 3 and time.time() < store.get_expiry("fixed") <= time.time() + 1
    time.sleep(1.05)
    assert store.get("fixed") == 0
    assert store.incr("fixed", 1, amount=2) == 2


def test_clear_and_reset_forget_counts(databases):
    store = _store(databases[0])
    store.acquire_entry("one", 5, 60)
    store.acquire_entry("two", 5, 60)
    store.incr("two", 60)
    store.clear("one")
    assert store.get_moving_window("one", 5, 60)[1] == 0 and store.get_moving_window("two", 5, 60)[1] == 1
    assert store.reset() == 2
    assert store.get("two") == 0


def test_keys_gone_quiet_are_swept_and_a_key_in_use_keeps_its_count(databases):
    store = _store(databases[0])
    store.acquire_entry("quiet", 5, 1)
    store.incr("quiet-fixed", 1)
    store.acquire_entry("busy", 2, 60)
    time.sleep(1.05)
    store._next_sweep = 0  # the minute between sweeps has passed
    assert store.acquire_entry("busy", 2, 60) and not store.acquire_entry("busy", 2, 60)
    with databases[0].session(readonly=True) as session:
        for table in (rate_limit_hits, rate_limit_windows, rate_limit_counters):
            assert set(session.scalars(select(table.c.key))) <= {"busy"}, table.name
        assert session.scalar(select(rate_limit_windows.c.taken)) == 2


def test_a_call_costs_the_same_however_many_calls_the_window_holds(databases):
    """The number of live calls is kept beside them: a key never has them all counted again."""
    store = _store(databases[0])
    for _ in range(50):
        store.acquire_entry("many", 1000, 60)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(databases[0].engine, "before_cursor_execute", listener)
    try:
        assert store.acquire_entry("many", 1000, 60)
    finally:
        event.remove(databases[0].engine, "before_cursor_execute", listener)
    assert not any("count(" in statement.lower() for statement in statements), statements
    assert store.get_moving_window("many", 1000, 60)[1] == 51
