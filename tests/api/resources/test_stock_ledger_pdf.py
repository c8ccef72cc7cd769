"""A logistics officer prints a depot's stock ledger (物资台账) for last month's fortnight: per item the balance at
the period's start, every receipt, issue, transfer, count adjustment and write-off in it with the balance after
each, and the balance at its end; the figures agree with GET /stock and GET /movements for the same period, and
nothing booked before or after the period is listed. A depot outside the caller's scope is not found; a bad
period is 422 naming the field."""
from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

import pytest
from sqlalchemy import update

import orgtree
from printed import read_pdf
from servicekit.testing import signed_client
from services.resources.models import Movement, OrgDirectory
from stockroom import assert_problem, in_days, local_today, url

ZONE = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai, the tests' ERDM_TIMEZONE
FROM, TO = local_today() - dt.timedelta(days=20), local_today() - dt.timedelta(days=1)


def booked_on(database, day: dt.date, *, after_seq: int) -> int:
    """Date the movements recorded since `after_seq` at noon of `day`, as if booked then; the last seq."""
    with database.transaction() as session:
        last = max(session.scalars(Movement.__table__.select().with_only_columns(Movement.seq)).all())
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZONE)
        session.execute(update(Movement).where(Movement.seq > after_seq).values(created_at=noon))
    return last


@pytest.fixture
def depot(stockroom, resources_db):
    orgtree.seed_directory(resources_db, OrgDirectory)
    return stockroom.warehouse(name="市级应急物资储备库", contact="吴仓 13800000000", address="浦东新区川沙路 1 号")


@pytest.fixture
def vests(stockroom):
    return stockroom.item(name="救生衣", unit="件", category_code="10401")


@pytest.fixture
def tents(stockroom):
    return stockroom.item(name="救灾帐篷", unit="顶", category_code="10401")


@pytest.fixture
def booked(stockroom, resources_db, depot, vests, tents):
    """Forty days ago 100 vests and 30 tents came in; ten days ago 15 vests were issued, 20 sent to another depot,
    a count found 5 missing, 3 were written off, 10 tents came in and 5 were reserved; today 7 more vests left."""
    other = stockroom.warehouse(name="区级储备库")
    lot = stockroom.receive(depot, vests, 100, batch_no="B-2025", expiry_date=in_days(400))
    stockroom.receive(depot, tents, 30, batch_no="T-1")
    seq = booked_on(resources_db, local_today() - dt.timedelta(days=40), after_seq=0)
    stockroom.issue(depot, vests, 15, reason="城区内涝抢险")
    stockroom.transfer(depot, other, vests, 20)
    stockroom.count(depot, vests, 60, reason="月度盘点")
    stockroom.post("/stock/disposals", {"warehouse_id": depot["id"], "lot_id": lot["lot_id"], "quantity": 3,
                                        "reason": "damaged", "approved_by": "王科长"})
    stockroom.receive(depot, tents, 10, batch_no="T-2")
    stockroom.reserve((tents, 5, depot), reference="防汛演练")
    booked_on(resources_db, local_today() - dt.timedelta(days=10), after_seq=seq)
    stockroom.issue(depot, vests, 7, reason="灾后补给发放")
    return {"other": other}


def on_hand_changes(stockroom, depot, **period) -> dict[str, float]:
    """What GET /movements says stock on hand changed by, per item, at the depot in the period."""
    changes: dict[str, float] = defaultdict(float)
    for movement in stockroom.movements(warehouse_id=depot["id"], **period):
        changes[movement["item_id"]] += movement["on_hand_delta"]
    return changes


def ledger(client, depot, **period):
    return read_pdf(client.get(url("/stock/ledger.pdf", warehouse_id=depot["id"], **period)))


def test_opening_and_closing_balances_agree_with_stock_and_movements(resources_client, stockroom, depot, vests,
                                                                      tents, booked):
    printed = ledger(resources_client, depot, **{"from": FROM.isoformat(), "to": TO.isoformat()})
    now_on_hand = {item["id"]: stockroom.balance(depot, item)["on_hand"] for item in (vests, tents)}
    inside = on_hand_changes(stockroom, depot, **{"from": FROM.isoformat(), "to": TO.isoformat()})
    after = on_hand_changes(stockroom, depot, **{"from": (TO + dt.timedelta(days=1)).isoformat()})
    for item, (opening, received, issued, closing) in ((vests, (100, 0, 43, 57)), (tents, (30, 10, 0, 40))):
        assert closing == now_on_hand[item["id"]] - after[item["id"]]  # GET /stock, less what came after `to`
        assert opening == closing - inside[item["id"]]  # less what GET /movements lists in the period
        assert printed.says(f"{item['code']} {item['name']} {item['unit']} {opening} {received} {issued} {closing}")
    assert printed.is_a4() and printed.title == "物资台账" and printed.author == "市应急管理局"
    assert printed.says("物资台账", "市级应急物资储备库", depot["code"], f"{FROM} 至 {TO}", "吴仓 13800000000")


def test_every_movement_in_the_period_is_listed_with_the_balance_after_it(resources_client, depot, booked):
    printed = ledger(resources_client, depot, **{"from": FROM.isoformat(), "to": TO.isoformat()})
    assert printed.says(f"{FROM} 期初结存 100", "出库 城区内涝抢险 B-2025", "15 85",
                        f"调出 调往 {booked['other']['code']}", "20 65", "盘点调整 月度盘点（实盘 60，账面 65）", "5 60",
                        "报废 损坏（批准：王科长）", "3 57", f"{TO} 本期合计 · 期末结存 0 43 57")
    assert printed.says(f"{FROM} 期初结存 30", "入库", "T-2", "10 40")
    assert not printed.says("预留") and not printed.says("防汛演练")  # reserved, not moved
    assert not printed.says("灾后补给发放")  # booked after the period


def test_to_today_the_closing_balance_is_the_stock_on_hand(resources_client, stockroom, depot, vests, booked):
    printed = ledger(resources_client, depot, **{"from": FROM.isoformat()})
    on_hand = stockroom.balance(depot, vests)["on_hand"]
    assert on_hand == 50
    assert printed.says(f"{vests['code']} 救生衣 件 100 0 50 {on_hand}", "灾后补给发放")


def test_by_default_the_period_is_this_month_so_far(resources_client, depot, vests, booked):
    printed = ledger(resources_client, depot)
    first = local_today().replace(day=1)
    assert printed.says(f"{first} 至 {local_today()}", "灾后补给发放")


def test_a_depot_outside_the_scope_or_unknown_is_not_found(resources_app, resources_client, depot, booked):
    xuhui = signed_client(resources_app, actor=orgtree.actor("XH", "subtree", role="viewer"))
    assert_problem(xuhui.get(url("/stock/ledger.pdf", warehouse_id=depot["id"])), 404)
    assert_problem(resources_client.get(url("/stock/ledger.pdf", warehouse_id=str(uuid.uuid4()))), 404)
    by_code = resources_client.get(url("/stock/ledger.pdf", warehouse_code=depot["code"]))
    assert read_pdf(by_code).says(depot["code"])


@pytest.mark.parametrize("query, field", [
    ({"from": "2026-12-10", "to": "2026-12-01"}, "from"),
    ({"from": "2026-13-01"}, "from"),
    ({"to": "yesterday"}, "to"),
])
def test_a_bad_period_is_422_naming_the_field(resources_client, depot, query, field):
    assert_problem(resources_client.get(url("/stock/ledger.pdf", warehouse_id=depot["id"], **query)), 422, field)


def test_the_depot_is_required(resources_client):
    assert_problem(resources_client.get(url("/stock/ledger.pdf")), 422, "warehouse_id")
