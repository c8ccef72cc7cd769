"""The worker's sweep announces `rectification.overdue` once per order and due date, whichever worker sweeps and
however often: again only when a failed review's new due date passes too."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text

from inspections import MORNING, TODAY, Desk, day, events, on_day, pin_clock
from services.supervision.use_cases.sweeps import SWEEPS
from supervised import ORG_IDS

OVERDUE_ORDERS = "announce overdue rectification orders"


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    return pin_clock(monkeypatch)


@pytest.fixture
def inspector(desk):
    return Desk(desk("JB"))


@pytest.fixture
def mine(desk):
    return Desk(desk("MINE-1", role="logistics", scope="own"))


def run_sweep(session, offset: int) -> int:
    """The sweep as the worker runs it on the morning `offset` days from TODAY."""
    return SWEEPS[OVERDUE_ORDERS](session=session, now=MORNING + dt.timedelta(days=offset),
                                  today=TODAY + dt.timedelta(days=offset))


@pytest.fixture
def sweep(supervision_db):
    """One sweep in its own transaction, as the worker runs it; the number of orders it announced."""

    def run(offset: int) -> int:
        with supervision_db.transaction() as session:
            return run_sweep(session, offset)

    return run


def overdue_events(supervision_db) -> list[tuple[str, str]]:
    return [(event["order_id"], event["due_date"]) for event in events(supervision_db, "rectification.overdue")]


def test_an_order_is_announced_overdue_the_day_after_its_due_date_once_however_often_swept(
        inspector, sweep, supervision_db):
    order = inspector.order(inspector.hazard(), due_date=day(3))
    assert sweep(3) == 0, "due today is not yet overdue"
    assert sweep(4) == 1
    assert sweep(4) == 0 and sweep(5) == 0
    [announced] = events(supervision_db, "rectification.overdue")
    assert (announced["order_id"], announced["code"], announced["due_date"]) == (order["id"], order["code"], day(3))
    assert (announced["org_id"], announced["org_path"]) == (str(ORG_IDS["MINE-1"]), "/ROOT/JB/MINE-1/")


def test_closed_orders_and_orders_not_yet_due_are_not_announced(inspector, mine, sweep, supervision_db):
    closed = inspector.order(inspector.hazard(), due_date=day(1))
    mine.acknowledge(closed)
    mine.report(closed)
    inspector.review(closed, "passed")
    inspector.order(inspector.hazard(), due_date=day(9))
    assert sweep(5) == 0
    assert overdue_events(supervision_db) == []


def test_a_reported_order_awaiting_review_past_its_due_date_is_announced(inspector, mine, sweep, supervision_db):
    order = inspector.order(inspector.hazard(), due_date=day(1))
    mine.acknowledge(order)
    mine.report(order)
    assert sweep(2) == 1
    assert overdue_events(supervision_db) == [(order["id"], day(1))]


def test_a_failed_reviews_new_due_date_is_announced_again_once_it_passes(
        inspector, mine, sweep, supervision_db, monkeypatch):
    order = inspector.order(inspector.hazard(), due_date=day(3))
    mine.acknowledge(order)
    assert sweep(4) == 1
    on_day(monkeypatch, 5)
    mine.report(order, completed_at=day(5))
    inspector.review(order, "failed", new_due_date=day(10))
    assert sweep(6) == 0 and sweep(10) == 0
    assert sweep(11) == 1
    assert sweep(12) == 0
    assert overdue_events(supervision_db) == [(order["id"], day(3)), (order["id"], day(10))]


def test_announcing_changes_nothing_a_reader_of_the_order_sees(inspector, sweep):
    order = inspector.order(inspector.hazard(), due_date=day(1))
    before = inspector.client.get(f"/api/v1/rectification-orders/{order['id']}")
    assert sweep(2) == 1
    after = inspector.client.get(f"/api/v1/rectification-orders/{order['id']}")
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.get_json()["updated_at"] == order["updated_at"]


def test_two_workers_sweeping_at_once_announce_each_order_once(inspector, supervision_db):
    orders = [inspector.order(inspector.hazard(title=f"隐患 {n}"), due_date=day(1))["id"] for n in range(6)]
    barrier = threading.Barrier(2)
    announced = [0, 0]

    def worker(index: int) -> None:
        barrier.wait()
        with supervision_db.transaction() as session:
            announced[index] = run_sweep(session, 2)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(announced) == len(orders)
    assert sorted(order_id for order_id, _ in overdue_events(supervision_db)) == sorted(orders)


# PostgreSQL only: SQLite has one writer at a time, so there a second sweep simply waits for the first to commit.
@pytest.mark.parametrize("fresh_database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_sweep_passes_over_orders_another_sweep_holds_instead_of_waiting_for_them(inspector, supervision_db):
    orders = [inspector.order(inspector.hazard(title=f"隐患 {n}"), due_date=day(1))["id"] for n in range(3)]
    with supervision_db.transaction() as first:
        assert run_sweep(first, 2) == 3
        # The first sweep has not committed: a second one neither waits on its rows nor takes them again.
        with supervision_db.transaction() as second:
            second.execute(text("SET LOCAL lock_timeout = '5s'"))
            assert run_sweep(second, 2) == 0
    assert sorted(order_id for order_id, _ in overdue_events(supervision_db)) == sorted(orders)
    with supervision_db.transaction() as later:
        assert run_sweep(later, 3) == 0
