"""Issue 15 as two people try it in their browsers: in a flood a district bureau's logistics officer asks the city for
200 life jackets and 20 pumps (动用申请), urgent and approved by telephone, and sees the lots the city's depots give,
first expiry first out; the city's logistics officer finds it in the list, sees it is the supplying side and
dispatches it on a waybill; the district signs for 198 jackets and all the pumps, returns 150 usable and 5 damaged
jackets and the pumps, and the requisition is closed with each line's account; the city's ledger tells the story
beside the requisition's code. Each side is offered only its own steps."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.browsers import sync_api
from tests.browser.people import PASSWORD, Person, seed_person, sign_in
from tests.browser.steps import (
    choose,
    days_from_today,
    flashed,
    send,
    unique,
)

expect = sync_api().expect  # without Playwright the module skips (fails under CI=true)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

DISTRICT_OFFICER = "钱多多"
CITY_OFFICER = "周强"
JACKETS = "救生衣（成人，浸水式）"
PUMPS = "潜水排污泵（50m³/h）"
NORTH, SOUTH = "市北应急物资储备库", "市南应急物资储备库"
APPROVER = "市应急局李副局长"
WAYBILL = "YD-2026-0717-01"


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def seed_city_person(api) -> Person:
    """A logistics officer of the city bureau itself (the root), who keeps the city's reserve."""
    username = f"city.{uuid.uuid4().hex[:6]}"
    user = _created(api.post("/users", json={"username": username, "display_name": CITY_OFFICER, "password": PASSWORD,
                                             "role": "logistics", "org_code": "ROOT", "scope": "own"}))
    return Person(username=username, password=PASSWORD, display_name=CITY_OFFICER, org=user["org"])


def seed_city_reserve(api) -> dict:
    """The city's reserve through the API (the logistics story makes stock through the pages): jackets in both depots,
    the north's batch lasting longer than the south's (so first expiry first out draws the south's first though the
    north was registered first), and a third batch no one needs yet; pumps in the south. Codes and names by role."""
    north, south = (_created(api.post("/warehouses", json={"code": unique(prefix), "name": name, "level": "municipal",
                                                           "org_code": "ROOT"}))
                    for prefix, name in (("SB", NORTH), ("SN", SOUTH)))
    jackets = _created(api.post("/items", json={"code": unique("LJ"), "name": JACKETS, "category_code": "2010401",
                                                "unit": "件", "kind": "material", "shelf_life_days": 1825}))
    pumps = _created(api.post("/items", json={"code": unique("PUMP"), "name": PUMPS, "category_code": "30304",
                                              "unit": "台", "kind": "material"}))
    lots = {"south": (south, jackets, 150, days_from_today(60)), "north": (north, jackets, 120, days_from_today(400)),
            "later": (north, jackets, 100, days_from_today(700)), "pumps": (south, pumps, 30, None)}
    batches = {}
    for name, (depot, item, quantity, expiry) in lots.items():
        batches[name] = unique("PC")
        _created(api.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": item["id"],
                                                   "quantity": quantity, "batch_no": batches[name],
                                                   **({"expiry_date": expiry} if expiry else {})}))
    return {"north": north, "south": south, "jackets": jackets, "pumps": pumps, "batches": batches,
            "expiries": {name: expiry for name, (*_, expiry) in lots.items()}}


def named(record: dict) -> str:
    """A depot or item as the console names it: code, then name."""
    return f"{record['code']} {record['name']}"


def ask_for_jackets_and_pumps(page, reserve: dict, supplier: dict) -> str:
    """The district's new requisition, urgent and approved by telephone, through 动用申请 → 新建动用申请. Its code."""
    page.goto("/stock/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="物资页面").get_by_role("link", name="动用申请", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="新建动用申请").click()
    form = page.locator("form.requisition-form")
    form.get_by_label("用途", exact=True).select_option(label="应急处置")
    form.get_by_label("关联事件", exact=True).fill("2026-汛-017 川沙镇内涝")
    form.get_by_label("送达地点", exact=True).fill("浦东新区川沙镇城南小学临时安置点")
    form.get_by_label("需用日期", exact=True).fill(days_from_today(0))
    choose(form.get_by_label("物资 1", exact=True), reserve["jackets"]["code"])
    form.get_by_label("数量 1", exact=True).fill("200")
    choose(form.get_by_label("物资 2", exact=True), reserve["pumps"]["code"])
    form.get_by_label("数量 2", exact=True).fill("20")
    form.get_by_label("紧急", exact=True).check()
    form.get_by_label("电话批准人", exact=True).fill(APPROVER)
    assert send(page, form.get_by_role("button", name="提交申请")).ok
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^动用申请 REQ-\d{8}-[0-9A-F]{6}\s+已批准\s+紧急$"))
    code = re.search(r"REQ-\d{8}-[0-9A-F]{6}", heading.inner_text()).group()
    expect(flashed(page)).to_have_text(
        f"动用申请 {code} 已按电话批准（批准人：{APPROVER}）直接批准，{named(supplier)} 已为其预留库存。")
    return code


def expect_lines(page, rows: list[list[str]]) -> None:
    """The items table, cell by cell: item, depot asked for, requested, dispatched, signed for, lost, returned,
    damaged, used up."""
    lines = page.locator("table.requisition-lines tbody tr")
    expect(lines).to_have_count(len(rows))
    for number, cells in enumerate(rows):
        expect(lines.nth(number).locator("td")).to_have_text(cells)


def expect_allocations(page, reserve: dict) -> None:
    """The lots held, first expiry first out: the south's jackets (expiring first) before the north's, the north's
    latest batch untouched, and the pumps."""
    jackets, pumps = named(reserve["jackets"]), named(reserve["pumps"])
    batches, expiries = reserve["batches"], reserve["expiries"]
    drawn = page.locator("table.requisition-allocations tbody tr")
    expect(drawn).to_have_count(3)
    expect(drawn.nth(0).locator("td")).to_have_text(
        [named(reserve["south"]), jackets, batches["south"], expiries["south"], "150 件"])
    expect(drawn.nth(1).locator("td")).to_have_text(
        [named(reserve["north"]), jackets, batches["north"], expiries["north"], "50 件"])
    expect(drawn.nth(2).locator("td")).to_have_text([named(reserve["south"]), pumps, batches["pumps"], "—", "20 台"])
    expect(page.locator("table.requisition-allocations")).not_to_contain_text(batches["later"])


def expect_status(page, status: str) -> None:
    expect(page.get_by_role("heading", level=1).locator(".badge").first).to_have_text(status)


def dispatch(page, code: str) -> None:
    """The city opens the requisition from its list, sees it supplies it and sends the goods on a waybill."""
    page.goto("/stock/requisitions")
    with page.expect_navigation():
        page.locator("table.requisitions").get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_text("本单位为供应单位。")).to_be_visible()
    form = page.locator("#dispatch form")
    form.get_by_label("运单号", exact=True).fill(WAYBILL)
    form.get_by_label("车辆", exact=True).fill("沪A·D3579")
    form.get_by_label("驾驶员", exact=True).fill("张师傅 139 1234 5678")
    assert send(page, form.get_by_role("button", name="确认发运")).ok
    expect(flashed(page)).to_have_text(f"动用申请 {code} 已凭运单 {WAYBILL} 发运。")
    expect_status(page, "运输中")
    # Signing for the goods is the requesting side's step: the city is offered no form for it.
    expect(page.locator("#dispatch")).to_have_count(0)
    expect(page.locator("#receive")).to_have_count(0)


def sign_for(page, code: str, reserve: dict) -> None:
    """The district signs for 198 of the 200 jackets (2 lost on the way) and all 20 pumps."""
    jackets, pumps = named(reserve["jackets"]), named(reserve["pumps"])
    page.reload()
    expect_status(page, "运输中")
    form = page.locator("#receive form")
    # Offered what was dispatched: the officer corrects only what did not arrive.
    expect(form.get_by_label(f"到货数量: {jackets}", exact=True)).to_have_value("200")
    expect(form.get_by_label(f"到货数量: {pumps}", exact=True)).to_have_value("20")
    form.get_by_label(f"到货数量: {jackets}", exact=True).fill("198")
    form.get_by_label("签收人", exact=True).fill("川沙镇应急办 王站长")
    form.get_by_label("备注", exact=True).fill("救生衣少 2 件，车厢内未见")
    assert send(page, form.get_by_role("button", name="确认签收")).ok
    expect(flashed(page)).to_have_text(f"动用申请 {code} 的物资已签收。")
    expect_status(page, "已签收")


def give_back(page, code: str, reserve: dict) -> None:
    """The flood over, 150 usable and 5 damaged jackets and the 20 pumps go back to the city's south depot."""
    jackets, pumps, south = named(reserve["jackets"]), named(reserve["pumps"]), named(reserve["south"])
    form = page.locator("#return form")
    form.get_by_label(f"可用: {jackets}", exact=True).fill("150")
    choose(form.get_by_label(f"归还储备库: {jackets}", exact=True), reserve["south"]["code"])
    form.get_by_label(f"损坏: {jackets}", exact=True).fill("5")
    choose(form.get_by_label(f"损坏品交回储备库: {jackets}", exact=True), reserve["south"]["code"])
    form.get_by_label(f"可用: {pumps}", exact=True).fill("20")
    choose(form.get_by_label(f"归还储备库: {pumps}", exact=True), reserve["south"]["code"])
    form.get_by_label("备注", exact=True).fill("汛情解除，余下救生衣已在安置点发放使用")
    assert send(page, form.get_by_role("button", name="归还并办结")).ok
    expect(flashed(page)).to_have_text(f"动用申请 {code} 的剩余物资已归还，申请已办结。")
    expect_status(page, "已办结")
    returned = page.locator("table.requisition-returns tbody tr")
    expect(returned).to_have_count(3)
    for number, cells in enumerate([[jackets, "可用", south, "150 件"], [jackets, "损坏", south, "5 件"],
                                    [pumps, "可用", south, "20 台"]]):
        expect(returned.nth(number).locator("td")).to_have_text(cells)
    expect(page.locator("#return")).to_have_count(0)  # closed: no step left for either side


def open_the_ledger_of(page, item_code: str) -> None:
    """台账 from the stock pages' navigation, filtered to one item."""
    page.goto("/stock/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="物资页面").get_by_role("link", name="台账", exact=True).click()
    filters = page.get_by_role("search")
    choose(filters.locator("[name=item_id]"), item_code)
    with page.expect_navigation():
        filters.get_by_role("button", name="筛选").click()


def expect_ledger(page, rows: list[tuple]) -> None:
    """The ledger's rows, newest first: the movement's type in words, its depot (None: not checked), the signed
    quantity, and the reference it was made under (None: none)."""
    movements = page.locator("table.ledger tbody tr")
    expect(movements.locator("td:nth-child(2)")).to_have_text([kind for kind, *_ in rows])
    for number, (_kind, depot, quantity, reference) in enumerate(rows):
        cells = movements.nth(number).locator("td")
        if depot:
            expect(cells.nth(3)).to_have_text(depot)
        expect(cells.nth(4)).to_have_text(quantity)
        if reference:
            expect(cells.nth(7).locator("div").first).to_have_text(reference)
        else:
            expect(cells.nth(7)).not_to_contain_text("REQ-")


def test_a_district_borrows_jackets_and_pumps_from_the_city_in_a_flood_and_the_city_ledger_tells_it(
        page, open_page, api):
    district = seed_person(api, display_name=DISTRICT_OFFICER, role="logistics", org_name="浦东新区应急管理局",
                           kind="bureau", scope="subtree")
    city = seed_city_person(api)
    reserve = seed_city_reserve(api)
    jackets, pumps = named(reserve["jackets"]), named(reserve["pumps"])
    sign_in(page, district.username, district.password)

    code = ask_for_jackets_and_pumps(page, reserve, supplier=city.org)

    expect(page.get_by_text("本单位为申请单位。")).to_be_visible()
    expect_allocations(page, reserve)
    expect_lines(page, [[jackets, "不限", "200 件", "0", "0", "0", "0", "0", "0"],
                        [pumps, "不限", "20 台", "0", "0", "0", "0", "0", "0"]])
    # Dispatching is the supplying side's step: the district is offered no form for it.
    expect(page.locator("#dispatch")).to_have_count(0)

    city_page = open_page()
    sign_in(city_page, city.username, city.password)
    dispatch(city_page, code)

    sign_for(page, code, reserve)
    give_back(page, code, reserve)
    expect_lines(page, [[jackets, "不限", "200 件", "200", "198", "2", "150", "5", "43"],
                        [pumps, "不限", "20 台", "20", "20", "0", "20", "0", "0"]])

    open_the_ledger_of(city_page, reserve["jackets"]["code"])
    north, south = named(reserve["north"]), named(reserve["south"])
    expect_ledger(city_page, [
        # What came back went to the south depot, the damaged 5 handed back there and written off there; what
        # was used is booked against the lot that left the north depot and did not come back.
        ("消耗", north, "43 件", code),
        ("报废", south, "−5 件", code),
        ("归还入库", south, "+5 件", code),
        ("归还入库", south, "+150 件", code),
        ("途损", north, "2 件", code),
        ("调出（动用）", north, "−50 件", code),
        ("调出（动用）", south, "−150 件", code),
        ("预留", north, "+50 件 预留", code),
        ("预留", south, "+150 件 预留", code),
        ("入库", north, "+100 件", None),
        ("入库", north, "+120 件", None),
        ("入库", south, "+150 件", None),
    ])
