"""Alerts: what needs attention, grouped by kind in order of urgency, each with its depot, item and unit named and
linked, and switches by kind with their counts."""
from __future__ import annotations

import re

import httpx

from console import testing

WH1 = {"id": "860b808d-8c77-44b4-b0ec-3f0a17027b33", "code": "WH-01", "name": "市级应急物资储备库"}
WH2 = {"id": "66fad830-e38f-4d4a-9f1d-e5b53b683e49", "code": "WH-02", "name": "北区储备点"}
GENERATOR = {"id": "2808b3d8-cab8-4419-a587-17b8fffbd08f", "code": "GEN-01", "name": "柴油发电机组 30kW", "unit": "台"}
BOAT = {"id": "a1139088-471f-4499-85ba-0a971cab874d", "code": "BOAT-01", "name": "冲锋舟", "unit": "艘"}
TENT = {"id": "4e4e19fc-4705-4d4f-8d2e-70348a84fa6f", "code": "TENT-01", "name": "救灾帐篷", "unit": "顶"}
JACKET = {"id": "70034709-ab69-4971-ae05-ae3628bf8583", "code": "LJ-001", "name": "救生衣", "unit": "件"}


def at(depot, item) -> dict:
    return {"warehouse_id": depot["id"], "warehouse": depot, "item_id": item["id"], "item": item}


# As GET /alerts answers them (services/resources/api/equipment_schemas.py AlertSchema), most urgent first.
FAILED_UNIT = {"kind": "out_of_service", **at(WH1, GENERATOR), "equipment_id": "4bf0be8c-7ad2-4915-85fb-bfdbe49050de",
               "serial_no": "GEN-2024-001", "status": "out_of_service", "status_reason": "failed inspection: 启动电瓶亏电",
               "inspected_at": "2026-12-01T01:30:00+00:00", "inspector": "李工"}
OVERDUE_UNIT = {"kind": "inspection_due", **at(WH2, BOAT), "days_left": -7,
                "equipment_id": "210cb5d3-debd-49ab-8d53-1536ed339162", "serial_no": "CFZ-0007",
                "status": "out_of_service", "next_inspection_due": "2026-11-25", "overdue": True}
LOW_TENTS = {"kind": "low_stock", **at(WH1, TENT), "available": 5, "min_quantity": 20, "shortfall": 15}
EXPIRING = {"kind": "expiring", **at(WH1, JACKET), "lot_id": "2cb7398f-a2ee-4863-bd1a-dad70ca4d3b5",
            "batch_no": "B2024-01", "expiry_date": "2026-12-20", "quantity": 200, "reserved": 0, "days_left": 18}
EVERY = [FAILED_UNIT, OVERDUE_UNIT, LOW_TENTS, EXPIRING]


def alerts_answer(request: httpx.Request) -> httpx.Response:
    """The API's filter by kind, so each kind's count is what it would be."""
    kind = request.url.params.get("kind")
    found = [alert for alert in EVERY if kind in (None, alert["kind"])]
    per_page = int(request.url.params.get("per_page", 50))
    return httpx.Response(200, json=testing.page_of(found[:per_page], per_page=per_page, total=len(found)))


def teach(gateway):
    gateway.on("GET", "/warehouses", testing.page_of([WH1, WH2]))
    gateway.on("GET", "/items", testing.page_of([GENERATOR, BOAT, TENT, JACKET]))
    gateway.on("GET", "/alerts", alerts_answer)


def test_alerts_are_grouped_by_kind_with_names_and_links_to_depots_and_units(console, gateway):
    teach(gateway)

    page = console.get("/stock/alerts")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.findall(r'data-kind="([a-z_]+)"', html) == ["out_of_service", "inspection_due", "low_stock", "expiring"]
    assert f'href="/stock/equipment/{FAILED_UNIT["equipment_id"]}">GEN-2024-001</a>' in html
    assert f'href="/stock/equipment/{OVERDUE_UNIT["equipment_id"]}">CFZ-0007</a>' in html
    assert f'href="/stock/depots/{WH2["id"]}">WH-02 北区储备点</a>' in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert "检验不合格：启动电瓶亏电" in text and "2026-12-01 09:30" in text and "李工" in text
    assert "已逾期 7 天" in text and "还剩 18 天" in text and "15 顶" in text and "B2024-01" in text
    assert "TENT-01 救灾帐篷" in text and "LJ-001 救生衣" in text and "BOAT-01 冲锋舟" in text
    for record in (WH1, WH2, GENERATOR, BOAT, TENT, JACKET, FAILED_UNIT):
        assert (record.get("equipment_id") or record["id"]) not in text


def test_each_kind_is_a_badge_with_its_count_and_a_switch_to_it(console, gateway):
    teach(gateway)

    html = console.get("/stock/alerts?within_days=60").get_data(as_text=True)

    switches = html[html.index('class="kind-switch"'):html.index("</nav>", html.index('class="kind-switch"'))]
    counts = dict(re.findall(r'href="[^"]*kind=([a-z_]+)[^"]*">.*?<span class="count">(\d+)</span>', switches))
    assert counts == {"expired": "0", "out_of_service": "1", "inspection_due": "1", "low_stock": "1", "expiring": "1"}
    assert "within_days=60" in switches
    assert '<span class="badge badge-warn status-low_stock">低于储备定额</span>' in html
    assert '<span class="badge badge-bad status-expired">已过期</span>' in html


def test_a_kind_and_the_filters_are_passed_to_the_api(console, gateway):
    teach(gateway)

    html = console.get(f"/stock/alerts?kind=low_stock&within_days=7&warehouse_id={WH1['id']}&item_id={TENT['id']}"
                       ).get_data(as_text=True)

    listing = [r for r in gateway.requests if r.url.path == "/api/v1/alerts"][-1].url.params
    assert dict(listing) == {"kind": "low_stock", "within_days": "7", "warehouse_id": WH1["id"], "item_id": TENT["id"],
                             "page": "1", "per_page": "50"}
    assert re.findall(r'data-kind="([a-z_]+)"', html) == ["low_stock"]
    assert f'href="/stock/quotas?warehouse_id={WH1["id"]}&amp;item_id={TENT["id"]}"' in html


def test_the_pager_keeps_the_filters(console, gateway):
    teach(gateway)
    gateway.on("GET", "/alerts", testing.page_of([EXPIRING], page=2, per_page=1, total=4))

    html = console.get("/stock/alerts?kind=expiring&page=2&per_page=1").get_data(as_text=True)

    assert "第 2 / 4 页" in html
    assert "kind=expiring&amp;page=3&amp;per_page=1" in html


def test_a_look_ahead_beyond_ten_years_is_refused_without_asking(console, gateway):
    teach(gateway)

    page = console.get("/stock/alerts?within_days=99999")

    assert page.status_code == 422 and testing.field_errors(page.data, "within_days")
    assert not [r for r in gateway.requests if r.url.path == "/api/v1/alerts"]


def test_no_alert_says_so(console, gateway):
    teach(gateway)
    gateway.on("GET", "/alerts", testing.page_of([]))

    assert "在当前筛选条件下没有需要处理的预警。" in console.get("/stock/alerts").get_data(as_text=True)
