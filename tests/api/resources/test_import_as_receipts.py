"""An import books exactly what the same receipts booked one by one would: lots, ledger lines, balances, events."""
from __future__ import annotations

from sqlalchemy import select

from services.resources.models import Balance

from sheets import csv_file, upload
from stockroom import in_days

# (item, quantity, batch_no, expiry_date): batches joining a lot already there, new batches, rows without one.
ROWS = [("tents", "3", "A", in_days(50)), ("water", "4", "", ""), ("tents", "5", "", ""),
        ("water", "6", "W", in_days(30)), ("tents", "2.5", "A", in_days(50)), ("water", "1", "W", in_days(30)),
        ("tents", "7", "B", in_days(90)), ("water", "12", "", in_days(200))]


def _stocked_depot(stockroom, tents, water):
    """A depot as the story starts: some stock of batch A, and a quota on water it is below."""
    depot = stockroom.warehouse()
    stockroom.receive(depot, tents, 2, batch_no="A", expiry_date=in_days(50))
    stockroom.quota(depot, water, 20)
    return depot


def _story(stockroom, depot, outbox, book):
    """Book ROWS into `depot` with `book`, then take water back below its quota; what it left, depot-neutral."""
    before = len(outbox())
    book(depot)
    stockroom.issue(depot, stockroom.water, 15)
    events = outbox()[before:]
    neutral = {depot["id"]: "DEPOT"}
    last = {}  # the position each item was last announced with, and the quota dips announced
    dips = []
    for kind, data in events:
        if "warehouse" in data:
            assert data["warehouse"] == {"id": depot["id"], "code": depot["code"], "name": depot["name"]}
        data = {key: neutral.get(value, value) if isinstance(value, str) else value for key, value in data.items()
                if key not in ("batch_id", "warehouse")}
        if kind == "stock.changed":
            last[data["item_id"]] = data
        else:
            dips.append(data)
    lots = sorted(repr((lot["item_id"], lot["batch_no"], lot["expiry_date"], lot["quantity"], lot["reserved"]))
                  for lot in stockroom.lots(warehouse_id=depot["id"]))
    lines = sorted(repr((m["type"], m["item_id"], m["quantity"], m["on_hand_delta"], m["batch_no"], m["expiry_date"]))
                   for m in stockroom.movements(warehouse_id=depot["id"]))
    return last, dips, lots, lines


def test_an_import_books_what_the_same_receipts_one_by_one_would(resources_client, stockroom, tents, water, outbox,
                                                                 resources_db):
    stockroom.water = water
    items = {"tents": tents, "water": water}

    def one_by_one(depot):
        for name, quantity, batch_no, expiry in ROWS:
            fields = {key: value for key, value in (("batch_no", batch_no), ("expiry_date", expiry)) if value}
            stockroom.receive(depot, items[name], float(quantity), **fields)

    def imported(depot):
        response = upload(resources_client, csv_file([[depot["code"], items[name]["code"], quantity, batch_no, expiry]
                                                      for name, quantity, batch_no, expiry in ROWS]))
        assert response.status_code == 201, response.get_data(as_text=True)

    by_hand = _story(stockroom, _stocked_depot(stockroom, tents, water), outbox, one_by_one)
    by_file = _story(stockroom, _stocked_depot(stockroom, tents, water), outbox, imported)
    assert by_file[0] == by_hand[0], "each position announced as the last receipt announced it (version included)"
    assert by_file[1] == by_hand[1] and by_hand[1], "back below the quota: the dip announced again, in both"
    assert by_file[2] == by_hand[2], "the same lots"
    assert by_file[3] == by_hand[3], "the same ledger lines"
    with resources_db.session(readonly=True) as session:
        rows = {(b.warehouse_id, b.item_id): (b.on_hand, b.reserved, b.min_quantity, b.below_quota, b.version)
                for b in session.scalars(select(Balance))}
    assert len(set(rows.values())) == 2 and len(rows) == 4, "the two depots' balance rows agree, item by item"
    stockroom.ledger_matches_balances()
