"""A large import books in a few bulk statements, and announces each touched position once, as a receipt would."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from sqlalchemy import event, func, select, type_coerce

from servicekit.db import Quantity
from services.resources.models import Balance, Lot, Movement

from sheets import csv_file, upload
from stockroom import in_days


@contextmanager
def statements_on(engine):
    """Count the statements the engine sends (an executemany is one)."""
    sent = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_an_import_writes_in_a_few_statements_whatever_its_size(resources_client, stockroom, depot, tents, water,
                                                               resources_db):
    other = stockroom.warehouse()
    rows = [[(depot if n % 2 else other)["code"], (tents if n % 3 else water)["code"], "1.5",
             f"B-{n % 7}" if n % 5 else "", in_days(100 + n % 4)] for n in range(2_000)]
    with statements_on(resources_db.engine) as sent:
        response = upload(resources_client, csv_file(rows))
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    assert response.get_json()["imported"] == 2_000
    assert len(sent) < 40, f"{len(sent)} statements for 2,000 rows"
    assert stockroom.balance(depot, tents)["on_hand"] + stockroom.balance(other, tents)["on_hand"] == \
        1.5 * sum(1 for n in range(2_000) if n % 3)
    ledger_lots_and_balances_agree(resources_db)


def ledger_lots_and_balances_agree(database):
    """Per depot and item: the ledger's sum, the lots' sum and the balance are one number."""
    with database.session(readonly=True) as session:
        balances = {(b.warehouse_id, b.item_id): b.on_hand for b in session.scalars(select(Balance))}
        for column, table in ((Movement.on_hand_delta, Movement), (Lot.quantity, Lot)):
            sums = session.execute(select(table.warehouse_id, table.item_id, type_coerce(func.sum(column), Quantity))
                                   .group_by(table.warehouse_id, table.item_id))
            assert {(w, i): total for w, i, total in sums} == balances


def test_an_import_announces_each_position_once_as_a_receipt_does(resources_client, stockroom, depot, tents, water,
                                                                  outbox):
    stockroom.quota(depot, water, 100)
    stockroom.receive(depot, tents, 2, batch_no="A", expiry_date=in_days(50))
    single = outbox("stock.changed")[-1][1]
    before = len(outbox())
    result = upload(resources_client, csv_file([[depot["code"], tents["code"], "3", "A", in_days(50)],
                                                [depot["code"], water["code"], "4", "", ""],
                                                [depot["code"], tents["code"], "5", "", ""],
                                                [depot["code"], water["code"], "6", "W", in_days(30)]])).get_json()
    events = outbox()[before:]
    assert [kind for kind, _ in events] == ["stock.changed", "stock.changed"], "one per position, not per row"
    by_item = {data["item_id"]: data for _, data in events}
    assert set(by_item) == {tents["id"], water["id"]}
    assert all(set(data) == set(single) for data in by_item.values()), "the shape a single receipt announces"
    assert (by_item[tents["id"]]["on_hand"], by_item[water["id"]]["on_hand"]) == (10, 10)
    assert by_item[tents["id"]]["version"] == single["version"] + 2, "one step per ledger line"
    assert by_item[water["id"]]["min_quantity"] == 100 and by_item[water["id"]]["available"] == 10
    assert {data["batch_id"] for data in by_item.values()} == {result["batch_id"]}
    lots = {lot["batch_no"]: lot for lot in stockroom.lots(item_id=tents["id"])}
    assert lots["A"]["quantity"] == 5 and lots["A"]["id"] == result["receipts"][0]["lot_id"], "joined its batch"
    assert len(stockroom.lots(item_id=water["id"])) == 2
    stockroom.ledger_matches_balances()


@contextmanager
def under_write_lock(engine):
    """A flag that is true while a writer transaction of `engine` is open (on SQLite: holds the write lock)."""
    held = {"now": False}

    def begun(_connection):
        held["now"] = True

    def ended(_connection):
        held["now"] = False

    event.listen(engine, "begin", begun)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)
    try:
        yield held
    finally:
        event.remove(engine, "begin", begun)
        event.remove(engine, "commit", ended)
        event.remove(engine, "rollback", ended)


# SQLite only: PostgreSQL locks rows, not the database, so there its reads and writes share one transaction.
@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_an_import_makes_its_rows_and_events_before_it_takes_the_write_lock(resources_client, stockroom, depot, tents,
                                                                           water, resources_db, monkeypatch):
    """The lock covers the statements, not the work of making thousands of rows: while it is held no ledger line
    is made, no event serialized and no balance loaded as an object; the rows only the lock can settle (which
    batch joins a lot already on the shelf) are still right."""
    from servicekit.events import Event
    from services.resources.use_cases import bulk_receipts

    stockroom.receive(depot, tents, 2, batch_no="A", expiry_date=in_days(50))
    rows = [[depot["code"], (tents if n % 3 else water)["code"], "1.5", "A" if n % 3 else "",
             in_days(50) if n % 3 else in_days(100 + n % 4)] for n in range(600)]
    counted = {"ledger lines": 0, "events": 0, "balances loaded": 0}
    make_line, serialize = bulk_receipts._movement, Event.to_json
    with under_write_lock(resources_db.engine) as lock:
        def counting_line(*args, **kwargs):
            counted["ledger lines"] += lock["now"]
            return make_line(*args, **kwargs)

        def counting_serialize(self):
            counted["events"] += lock["now"]
            return serialize(self)

        def counting_load(*_args):
            counted["balances loaded"] += lock["now"]

        monkeypatch.setattr(bulk_receipts, "_movement", counting_line)
        monkeypatch.setattr(Event, "to_json", counting_serialize)
        event.listen(Balance, "load", counting_load)
        try:
            response = upload(resources_client, csv_file(rows))
        finally:
            event.remove(Balance, "load", counting_load)
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    assert counted == {"ledger lines": 0, "events": 0, "balances loaded": 0}
    lots = {lot["batch_no"]: lot for lot in stockroom.lots(item_id=tents["id"])}
    assert len(lots) == 1 and lots["A"]["quantity"] == 2 + 1.5 * 400, "joined the batch already on the shelf"
    assert stockroom.balance(depot, tents)["on_hand"] == 2 + 1.5 * 400
    ledger_lots_and_balances_agree(resources_db)
