"""Stock that adds up past what the ledger can count is refused by name, never booked and never a 500."""
from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import update

from services.resources.models import Balance, Lot
from sheets import csv_file, upload
from stockroom import API, assert_problem

LEDGER_LIMIT = Decimal("9223372036854775.807")  # 2**63 - 1 thousandths


def test_an_import_whose_sum_overflows_names_the_rows_and_the_position(resources_client, stockroom, depot, tents,
                                                                       outbox):
    written = len(outbox())
    rows = [[depot["code"], tents["code"], "1000000000000", "", ""]] * 10_000
    body = assert_problem(upload(resources_client, csv_file(rows)), 422)
    [(position, [message])] = body["errors"].items()
    assert depot["code"] in position and tents["code"] in position
    assert "Rows 2–10001" in message and "10,000 rows" in message and "at most" in message
    assert stockroom.movements() == [] and len(outbox()) == written


def held_near_the_limit(resources_db, depot, item):
    """A balance (and its lot) already 1 below what the ledger can count."""
    warehouse_id, item_id = uuid.UUID(depot["id"]), uuid.UUID(item["id"])
    with resources_db.transaction() as session:
        for table, column in ((Lot, Lot.quantity), (Balance, Balance.on_hand)):
            session.execute(update(table).where(table.warehouse_id == warehouse_id, table.item_id == item_id)
                            .values({column: LEDGER_LIMIT - 1}))


def test_an_import_on_top_of_a_full_position_is_refused(resources_client, stockroom, depot, tents, resources_db):
    stockroom.receive(depot, tents, 1)
    held_near_the_limit(resources_db, depot, tents)
    body = assert_problem(upload(resources_client, csv_file([[depot["code"], tents["code"], "5", "", ""]])), 422)
    [(position, [message])] = body["errors"].items()
    assert tents["code"] in position and "Row 2 " in message and "already on hand" in message
    assert len(stockroom.movements()) == 1


def test_a_receipt_or_transfer_onto_a_full_position_is_refused(resources_client, stockroom, depot, tents, resources_db):
    other = stockroom.warehouse()
    stockroom.receive(depot, tents, 1)
    stockroom.receive(other, tents, 10)
    held_near_the_limit(resources_db, depot, tents)
    receipt = resources_client.post(f"{API}/stock/receipts", json={"warehouse_id": depot["id"], "item_id": tents["id"],
                                                          "quantity": 5})
    assert "at most" in assert_problem(receipt, 422, "quantity")["errors"]["quantity"][0]
    transfer = resources_client.post(f"{API}/stock/transfers", json={"from_warehouse_id": other["id"],
                                                            "to_warehouse_id": depot["id"], "item_id": tents["id"],
                                                            "quantity": 5})
    assert_problem(transfer, 422, "quantity")
    assert len(stockroom.movements()) == 2
