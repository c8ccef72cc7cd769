"""Every change announces itself through the outbox, in the same transaction; a refusal announces nothing."""
from __future__ import annotations

import json

from sqlalchemy import select

from servicekit.db import outbox_table
from stockroom import API


def test_a_receipt_writes_exactly_one_stock_changed_with_the_balance_after(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 30)
    stockroom.receive(depot, tents, 12.5)
    events = outbox()
    assert [event_type for event_type, _ in events] == ["stock.changed", "stock.changed"]
    data = events[-1][1]
    assert (data["warehouse_id"], data["item_id"]) == (depot["id"], tents["id"])
    assert (data["on_hand"], data["reserved"], data["available"], data["min_quantity"]) == (42.5, 0, 42.5, 0)
    assert data["version"] > events[0][1]["version"]


def test_an_issue_from_two_lots_announces_its_depot_once(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 3, batch_no="A")
    stockroom.receive(depot, tents, 3, batch_no="B")
    stockroom.issue(depot, tents, 5)
    assert [data["on_hand"] for _, data in outbox("stock.changed")] == [3, 6, 1]


def test_a_reservation_writes_reservation_held_and_the_balance_after(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 10)
    held = stockroom.reserve((tents, 4), reference="drill:42")
    types = [event_type for event_type, _ in outbox()]
    assert types == ["stock.changed", "stock.changed", "reservation.held"]
    [(_, data)] = outbox("reservation.held")
    assert (data["reservation_id"], data["reference"], data["status"]) == (held["id"], "drill:42", "held")
    assert [(a["item_id"], a["quantity"]) for a in data["allocations"]] == [(tents["id"], 4)]
    assert outbox("stock.changed")[-1][1]["available"] == 6


def test_release_and_consume_announce_themselves(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 10)
    first = stockroom.reserve((tents, 4))
    stockroom.post(f"/reservations/{first['id']}/release", {"reason": "演练延期"}, status=200)
    second = stockroom.reserve((tents, 4))
    stockroom.post(f"/reservations/{second['id']}/consume", {"lines": [{"item_id": tents["id"], "quantity": 1}]},
                   status=200)
    [(_, released)] = outbox("reservation.released")
    assert (released["reservation_id"], released["reason"]) == (first["id"], "演练延期")
    [(_, consumed)] = outbox("reservation.consumed")
    # A typed payload writes its absent optional fields as nulls (contracts/events/parts.py Line).
    assert consumed["consumed"] == [{"item_id": tents["id"], "quantity": 1, "warehouse_id": None}]
    assert outbox("stock.changed")[-1][1]["on_hand"] == 9


def test_a_refused_request_writes_nothing(resources_client, stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 2)
    written = len(outbox())
    stockroom.issue(depot, tents, 3, status=409)
    stockroom.reserve((tents, 3), status=409)
    zero = resources_client.post(f"{API}/stock/receipts", json={"warehouse_id": depot["id"], "item_id": tents["id"],
                                                       "quantity": 0})
    assert zero.status_code == 422
    assert len(outbox()) == written
    held = stockroom.reserve((tents, 2))
    written = len(outbox())
    stockroom.post(f"/reservations/{held['id']}/consume", {"lines": [{"item_id": tents["id"], "quantity": 9}]},
                   status=409)
    stockroom.post(f"/reservations/{held['id']}/release", status=200)
    stockroom.post(f"/reservations/{held['id']}/release", status=409)
    assert [event_type for event_type, _ in outbox()[written:]] == ["stock.changed", "reservation.released"]


def test_events_carry_the_request_id_as_their_correlation(resources_client, depot, tents, resources_db):
    resources_client.post(f"{API}/stock/receipts",
                          json={"warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 1},
                          headers={"X-Request-ID": "req-typhoon-1"})
    with resources_db.session(readonly=True) as session:
        envelopes = [json.loads(text) for text in session.scalars(
            select(outbox_table.c.envelope).where(outbox_table.c.event_type != "item.changed"))]
    assert [(e["type"], e["source"], e["correlation_id"]) for e in envelopes] == \
        [("stock.changed", "resources", "req-typhoon-1")]
