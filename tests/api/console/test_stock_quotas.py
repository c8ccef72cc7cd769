"""Reserve quotas (储备定额): the positions below their quota first, every balance beside its quota, and setting one."""
from __future__ import annotations

import re

from console import testing
from tests.api.console.stock_pages import reader

WH1 = {"id": "860b808d-8c77-44b4-b0ec-3f0a17027b33", "code": "WH-01", "name": "市级应急物资储备库"}
WH2 = {"id": "66fad830-e38f-4d4a-9f1d-e5b53b683e49", "code": "WH-02", "name": "北区储备点"}
TENT = {"id": "4e4e19fc-4705-4d4f-8d2e-70348a84fa6f", "code": "TENT-01", "name": "救灾帐篷", "unit": "顶"}
JACKET = {"id": "70034709-ab69-4971-ae05-ae3628bf8583", "code": "LJ-001", "name": "救生衣", "unit": "件"}


def balance(depot, item, *, on_hand, min_quantity, reserved=0, unusable=0) -> dict:
    """A balance as GET /stock and PUT /quotas answer it (services/resources/api/schemas.py BalanceSchema)."""
    available = max(on_hand - reserved - unusable, 0)
    return {"warehouse_id": depot["id"], "warehouse": depot, "item_id": item["id"], "item": item, "on_hand": on_hand,
            "reserved": reserved, "unusable": unusable, "available": available, "min_quantity": min_quantity,
            "updated_at": "2026-12-02T12:36:17.443242+00:00"}


def low_stock(depot, item, *, available, min_quantity) -> dict:
    return {"kind": "low_stock", "warehouse_id": depot["id"], "warehouse": depot, "item_id": item["id"],
            "item": item, "available": available, "min_quantity": min_quantity, "shortfall": min_quantity - available}


def teach(gateway, balances, below):
    gateway.on("GET", "/warehouses", testing.page_of([WH1, WH2]))
    gateway.on("GET", "/items", testing.page_of([TENT, JACKET]))
    gateway.on("GET", "/stock", testing.page_of(balances))
    gateway.on("GET", "/alerts", testing.page_of(below, per_page=500))


def test_positions_below_their_quota_come_first_and_are_coloured(console, gateway):
    teach(gateway, [balance(WH2, TENT, on_hand=30, min_quantity=10), balance(WH1, TENT, on_hand=5, min_quantity=20),
                    balance(WH1, JACKET, on_hand=210, min_quantity=0)],
          [low_stock(WH1, TENT, available=5, min_quantity=20)])

    page = console.get("/stock/quotas")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    below = html[html.index('data-testid="below-quota"'):html.index("quota-balances")]
    assert "WH-01 市级应急物资储备库" in below and "TENT-01 救灾帐篷" in below and "15 顶" in below
    rows = re.findall(r'<tr( class="row-warn")?>\s*<td><a href="/stock/depots/[^"]+">([^<]+)</a></td>'
                      r'\s*<td>([^<]+)</td>', html[html.index("quota-balances"):])
    assert rows == [("", "WH-02 北区储备点", "TENT-01 救灾帐篷"), (' class="row-warn"', "WH-01 市级应急物资储备库", "TENT-01 救灾帐篷"),
                    ("", "WH-01 市级应急物资储备库", "LJ-001 救生衣")]
    assert "达标" in html and "低于储备定额" in html and "未设定额" in html
    alerts_asked = [r for r in gateway.requests if r.url.path == "/api/v1/alerts"][-1].url.params
    assert alerts_asked["kind"] == "low_stock"
    for record in (WH1, WH2, TENT, JACKET):
        assert record["id"] not in re.sub(r"<[^>]+>", " ", html)


def test_the_filters_and_the_pager_reach_both_lists(console, gateway):
    teach(gateway, [balance(WH1, TENT, on_hand=5, min_quantity=20)], [])
    gateway.on("GET", "/stock", testing.page_of([balance(WH1, TENT, on_hand=5, min_quantity=20)], page=2, per_page=50,
                                                total=120))

    page = console.get(f"/stock/quotas?warehouse_id={WH1['id']}&page=2")

    stock_asked = [r for r in gateway.requests if r.url.path == "/api/v1/stock"][-1].url.params
    assert dict(stock_asked) == {"warehouse_id": WH1["id"], "page": "2", "per_page": "50"}
    assert [r for r in gateway.requests if r.url.path == "/api/v1/alerts"][-1].url.params["warehouse_id"] == WH1["id"]
    assert "第 2 / 3 页" in page.get_data(as_text=True)


def test_a_balances_set_link_opens_the_form_on_that_position_with_its_quota(console, gateway):
    teach(gateway, [balance(WH1, TENT, on_hand=5, min_quantity=20)], [])

    html = console.get(f"/stock/quotas?warehouse_id={WH1['id']}&item_id={TENT['id']}").get_data(as_text=True)

    form = html[html.index('id="quota-form"'):]
    assert re.search(rf'<option selected value="{WH1["id"]}">', form)
    assert re.search(rf'<option selected value="{TENT["id"]}">', form)
    assert re.search(r'name="min_quantity"[^>]*value="20"', form)


def test_setting_a_quota_puts_the_position_and_says_the_new_quota(console, gateway):
    teach(gateway, [], [])
    gateway.on("PUT", "/quotas", balance(WH2, JACKET, on_hand=80, min_quantity=100))

    answer = testing.post_form(console, "/stock/quotas", {"warehouse_id": WH2["id"], "item_id": JACKET["id"],
                                                          "min_quantity": "100"})

    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/stock/quotas?warehouse_id={WH2['id']}&item_id={JACKET['id']}"
    assert gateway.sent("PUT", "/quotas") == [{"warehouse_id": WH2["id"], "item_id": JACKET["id"], "min_quantity": 100}]
    assert "WH-02 北区储备点 的 LJ-001 救生衣 储备定额已设为 100 件。" in console.get(answer.headers["Location"]).get_data(
        as_text=True)


def test_a_quota_with_decimals_is_sent_as_a_number(console, gateway):
    teach(gateway, [], [])
    gateway.on("PUT", "/quotas", balance(WH2, JACKET, on_hand=80, min_quantity=2.5))

    testing.post_form(console, "/stock/quotas", {"warehouse_id": WH2["id"], "item_id": JACKET["id"],
                                                 "min_quantity": "2.5"})

    assert gateway.sent("PUT", "/quotas")[0]["min_quantity"] == 2.5


def test_a_quota_below_zero_is_refused_beside_its_field_before_any_call(console, gateway):
    teach(gateway, [], [])

    answer = testing.post_form(console, "/stock/quotas", {"warehouse_id": WH2["id"], "item_id": JACKET["id"],
                                                          "min_quantity": "-1"})

    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "min_quantity") == ["定额不能小于 0。"]
    assert gateway.sent("PUT", "/quotas") == []


def test_the_apis_refusal_is_said_beside_the_field_it_names(console, gateway):
    teach(gateway, [], [])
    gateway.on("PUT", "/quotas", testing.problem(422, "Some fields are invalid: min_quantity",
                                                 errors={"min_quantity": ["Not a valid number."]}))

    answer = testing.post_form(console, "/stock/quotas", {"warehouse_id": WH2["id"], "item_id": JACKET["id"],
                                                          "min_quantity": "1"})

    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "min_quantity") == ["请输入数字。"]


def test_someone_who_only_reads_sees_the_quotas_but_is_offered_no_form_and_cannot_set_one(console_app, gateway):
    teach(gateway, [balance(WH1, TENT, on_hand=5, min_quantity=20)],
          [low_stock(WH1, TENT, available=5, min_quantity=20)])
    viewer = reader(console_app, gateway)

    html = viewer.get("/stock/quotas").get_data(as_text=True)
    assert "TENT-01 救灾帐篷" in html and 'id="quota-form"' not in html and "#quota-form" not in html
    answer = testing.post_form(viewer, "/stock/quotas", {"warehouse_id": WH1["id"], "item_id": TENT["id"],
                                                         "min_quantity": "1"}, page="/stock/quotas")
    assert answer.status_code == 403 and gateway.sent("PUT", "/quotas") == []
