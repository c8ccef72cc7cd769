"""The logistics story, through the pages only: a depot keeper registers a depot and an item, receives two lots,
issues from them, and sees the balances, the lots with the one about to expire marked, the ledger with batch and
who did it, and the alerts (a quota not met, a lot expiring) on the alerts page and the home page. An issue of more
than there is shows the shortage on the form and issues nothing."""
from __future__ import annotations

import re

import pytest

from tests.browser.browsers import sync_api
from tests.browser.people import seed_person, sign_in
from tests.browser.steps import (
    choose,
    days_from_today,
    flashed,
    open_panel,
    path_of,
    send,
    unique,
)

expect = sync_api().expect  # without Playwright the module skips (fails under CI=true)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEEPER = "王保管"
WATER = "瓶装饮用水（550ml×24）"
DEPOT = "川沙应急物资储备库"


def register_depot(page, code: str) -> str:
    """The depots page's form; the new depot's page is shown. Its path."""
    page.goto("/stock/")
    form = open_panel(page, "登记储备库")
    form.get_by_label("储备库编码", exact=True).fill(code)
    form.get_by_label("名称", exact=True).fill(DEPOT)
    # By name: the list's filter above has a select with the same id, which its label would find.
    form.locator("[name=level]").select_option("county")
    form.get_by_label("地址", exact=True).fill("上海市浦东新区川沙路 1588 号")
    form.get_by_label("联系人", exact=True).fill(f"{KEEPER} 021-5869 0000")
    form.get_by_label("纬度", exact=True).fill("31.1901")
    form.get_by_label("经度", exact=True).fill("121.7005")
    assert send(page, form.get_by_role("button", name="登记")).ok
    expect(flashed(page)).to_have_text(f"储备库 {code} {DEPOT} 已登记。")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{code} {DEPOT}")
    return path_of(page)


def add_item(page, code: str) -> None:
    page.goto("/stock/items")
    form = open_panel(page, "新增物资")
    form.get_by_label("物资编码", exact=True).fill(code)
    form.get_by_label("名称", exact=True).fill(WATER)
    choose(form.locator("[name=category_code]"), "10201 包装饮用水")  # the filter above has one with its id
    form.get_by_label("计量单位", exact=True).fill("箱")
    form.get_by_label("保质期（天）", exact=True).fill("365")
    assert send(page, form.get_by_role("button", name="添加")).ok
    expect(flashed(page)).to_have_text(f"物资 {code} {WATER} 已加入物资目录。")
    expect(page.locator("table.items tbody tr")).to_have_count(1)  # the catalog, filtered to the new code
    expect(page.locator("table.items tbody tr")).to_contain_text(["10201 包装饮用水"])


def receive(page, depot_path: str, item: str, *, quantity: int, batch: str, expiry: str) -> None:
    """The receive form, opened from the depot's page (which chooses the depot); back on the depot's page."""
    page.goto(depot_path)
    with page.expect_navigation():
        page.locator(".actions").get_by_role("link", name="入库", exact=True).click()
    form = page.locator("form.operation-form")
    choose(form.locator("[name=item_id]"), item)
    form.locator("[name=quantity]").fill(str(quantity))
    form.locator("[name=batch_no]").fill(batch)
    form.locator("[name=expiry_date]").fill(expiry)
    form.locator("[name=note]").fill("供应商：上海市应急物资供应有限公司，合同号 HT-2026-118")
    assert send(page, form.get_by_role("button", name="入库")).ok
    expect(flashed(page)).to_contain_text(f"批次 {batch}")
    assert path_of(page) == depot_path


def issue(page, depot_path: str, item: str, *, quantity: int, reason: str):
    """The issue form, opened from the depot's page; the answer to sending it."""
    page.goto(depot_path)
    with page.expect_navigation():
        page.locator(".actions").get_by_role("link", name="出库", exact=True).click()
    form = page.locator("form.operation-form")
    choose(form.locator("[name=item_id]"), item)
    form.locator("[name=quantity]").fill(str(quantity))
    form.locator("[name=reason]").fill(reason)
    return send(page, form.get_by_role("button", name="出库"))


def set_quota(page, depot: str, item: str, quantity: int) -> None:
    """The quotas page's form; the positions below their quota are listed at its top."""
    page.goto("/stock/quotas")
    form = page.locator("#quota-form form")
    choose(form.locator("[name=warehouse_id]"), depot)
    choose(form.locator("[name=item_id]"), item)
    form.locator("[name=min_quantity]").fill(str(quantity))
    assert send(page, form.get_by_role("button", name="保存定额")).ok


def expect_ledger(page, rows: list[list]) -> None:
    """The ledger's rows, newest first, cell by cell (the time of each only as a time)."""
    movements = page.locator("table.ledger tbody tr")
    expect(movements).to_have_count(len(rows))
    for number, cells in enumerate(rows):
        expect(movements.nth(number).locator("td")).to_have_text([re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"), *cells])


def test_a_keeper_registers_a_depot_receives_two_lots_issues_and_sees_lots_ledger_and_alerts(page, api):
    keeper = seed_person(api, display_name=KEEPER, role="logistics", org_name="浦东新区应急物资储备中心",
                         kind="custodian")
    sign_in(page, keeper.username, keeper.password)
    depot, item = unique("CS"), unique("WATER")
    lasting, expiring = f"{item}-L1", f"{item}-L2"
    lasts_until, expires_on = days_from_today(300), days_from_today(12)
    depot_named, item_named = f"{depot} {DEPOT}", f"{item} {WATER}"

    depot_path = register_depot(page, depot)
    add_item(page, item)
    receive(page, depot_path, item, quantity=120, batch=lasting, expiry=lasts_until)
    receive(page, depot_path, item, quantity=30, batch=expiring, expiry=expires_on)
    issued = issue(page, depot_path, item, quantity=20, reason="川沙镇内涝转移安置点供水")

    assert issued.ok
    # First expiry, first out: the 20 come from the lot that expires soonest.
    expect(flashed(page)).to_have_text(f"已从 {depot_named} 出库 {item_named} 20 箱（扣减批次：{expiring} × 20）。")
    balance = page.locator("table.balances tbody tr")
    expect(balance).to_have_count(1)
    expect(balance.locator("td:not(.row-actions)")).to_have_text([item_named, "箱", "130", "0", "0", "130", "—"])
    # Earliest expiry first; the lot expiring within 30 days marked, the other not.
    lots = page.locator("table.lots tbody tr")
    expect(lots).to_have_count(2)
    expect(lots.nth(0).locator("td").nth(1)).to_have_text(expiring)
    expect(lots.nth(0).locator("td").nth(2)).to_have_text(f"{expires_on} 临期")
    expect(lots.nth(0)).to_have_class(re.compile(r"\brow-warn\b"))
    expect(lots.nth(0).locator(".status-expiring")).to_be_visible()
    expect(lots.nth(0).locator("td").nth(3)).to_have_text("10 箱")
    expect(lots.nth(1).locator("td").nth(1)).to_have_text(lasting)
    expect(lots.nth(1).locator("td").nth(2)).to_have_text(lasts_until)
    expect(lots.nth(1).locator(".badge")).to_have_count(0)
    expect(lots.nth(1).locator("td").nth(3)).to_have_text("120 箱")

    with page.expect_navigation():
        page.get_by_role("link", name="本库台账").click()
    supplier = "供应商：上海市应急物资供应有限公司，合同号 HT-2026-118"
    expiring_batch = re.compile(rf"^{expiring}\s*有效期至 {expires_on}$")
    expect_ledger(page, [
        ["出库", item_named, depot_named, "−20 箱", expiring_batch, KEEPER, "川沙镇内涝转移安置点供水"],
        ["入库", item_named, depot_named, "+30 箱", expiring_batch, KEEPER, supplier],
        ["入库", item_named, depot_named, "+120 箱", re.compile(rf"^{lasting}\s*有效期至 {lasts_until}$"), KEEPER,
         supplier],
    ])

    set_quota(page, depot, item, 200)
    below = page.get_by_test_id("below-quota").locator("tbody tr")
    expect(below.locator("td:not(:last-child)")).to_have_text([depot_named, item_named, "130", "200", "70 箱"])

    page.goto("/stock/alerts")
    expect(page.locator("section[data-kind=low_stock] tbody tr td:nth-child(-n+2)")).to_have_text(
        [depot_named, item_named])
    expect(page.locator("section[data-kind=expiring] tbody tr td:nth-child(-n+3)")).to_have_text(
        [depot_named, item_named, expiring])

    page.goto("/")
    alerts = page.locator("[data-panel=alerts]")
    expect(alerts.locator(".panel-count")).to_have_text("2")
    # The low stock before the lot expiring (the API's order of urgency), each linking to the depot.
    expect(alerts.locator("tbody tr td:first-child")).to_have_text(["低于储备定额", "临期"])
    expect(alerts.locator("tbody tr td:nth-child(2) a")).to_have_text([depot_named, depot_named])
    expect(alerts.locator("tbody tr td:nth-child(2) a").first).to_have_attribute("href", depot_path)
    expect(alerts.locator("tbody tr td:last-child")).to_have_text(["可用 130 箱，储备定额 200",
                                                                  f"批次 {expiring}：10 箱 将于 {expires_on} 到期"])


def test_issuing_more_than_is_available_shows_the_shortage_on_the_form_and_issues_nothing(page, api):
    keeper = seed_person(api, display_name="李库管", role="logistics", org_name="金山区应急物资储备中心",
                         kind="custodian")
    depot, item = unique("JS"), unique("TENT")
    # What the story above does through the pages: a depot holding one lot of an item.
    made = api.post("/warehouses", json={"code": depot, "name": "金山应急物资储备库", "level": "county",
                                         "org_code": keeper.org["code"]})
    assert made.status_code == 201, made.text
    depot_id = made.json()["id"]
    tent = api.post("/items", json={"code": item, "name": "单帐篷（12m²）", "category_code": "10401",
                                    "unit": "顶", "kind": "material"})
    assert tent.status_code == 201, tent.text
    received = api.post("/stock/receipts", json={"warehouse_id": depot_id, "item_id": tent.json()["id"],
                                                 "quantity": 80, "batch_no": f"{item}-01"})
    assert received.status_code == 201, received.text
    sign_in(page, keeper.username, keeper.password)
    page.goto(f"/stock/movements?warehouse_id={depot_id}")
    ledger_before = page.locator("table.ledger tbody tr").all_inner_texts()
    assert len(ledger_before) == 1

    refused = issue(page, f"/stock/depots/{depot_id}", item, quantity=500, reason="金山卫镇台风转移安置")

    assert refused.status == 409
    assert path_of(page) == "/stock/issue"
    form = page.locator("form.operation-form")
    # At the top of the form, with names: the depot short, and of what.
    expect(form.locator(".form-errors li")).to_have_text([f"{depot} 金山应急物资储备库 可用库存不足：",
                                                          f"{item} 单帐篷（12m²）：申请 500，可用 80"])
    expect(form.locator("[name=quantity]")).to_have_value("500")  # the form as sent, to correct
    expect(flashed(page)).to_have_count(0)
    page.goto(f"/stock/movements?warehouse_id={depot_id}")
    expect(page.locator("table.ledger tbody tr")).to_have_text(ledger_before)
    page.goto(f"/stock/depots/{depot_id}")
    expect(page.locator("table.balances tbody tr td.number").first).to_have_text("80")
