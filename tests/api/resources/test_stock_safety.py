"""Small promises that keep stock data trustworthy: found stock is usable, exports never run as formulas."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from stockroom import in_days, travel


def test_stock_found_at_a_count_joins_a_usable_lot_not_an_expired_one(stockroom, depot, monkeypatch):
    water = stockroom.item(code="WATER-S", name="瓶装水", category_code="1", unit="箱", kind="material")
    expiring = stockroom.receive(depot, water, 5, expiry_date=in_days(2))
    later = stockroom.receive(depot, water, 5, expiry_date=in_days(200))
    travel(monkeypatch, days=5)  # the first lot is now past its date
    stockroom.count(depot, water, 13)
    lots = {lot["id"]: lot["quantity"] for lot in stockroom.lots(item_id=water["id"])}
    assert lots[expiring["lot_id"]] == 5 and lots[later["lot_id"]] == 8
    assert stockroom.balance(depot, water)["available"] == 8


def test_names_that_look_like_formulas_are_exported_as_text(stockroom, resources_client):
    depot = stockroom.warehouse(code="W-F", name="=HYPERLINK(\"http://x\")", level="county")
    tents = stockroom.item(code="T-F", name="+帐篷", category_code="1", unit="顶", kind="material")
    stockroom.receive(depot, tents, 1)

    exported = resources_client.get("/api/v1/stock/export?format=csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["warehouse_name"].startswith("'=") and rows[0]["item_name"] == "'+帐篷"

    sheet = load_workbook(io.BytesIO(resources_client.get("/api/v1/stock/export?format=xlsx").data)).active
    cell = sheet["B2"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"
