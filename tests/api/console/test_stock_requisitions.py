"""A district bureau asks the city for stock (动用申请); both read the requisition list and one requisition's page:
codes and names throughout, what was asked, drawn, dispatched, signed for and returned, who did what when, and
only the steps their side, its status and their role allow."""
from __future__ import annotations

import html
import re

import pytest

from console import testing
from requisition_answers import (CITY, CLERK, DEPOT, IDS, MASKS, PUDONG, REQUISITION_ID, SECOND_DEPOT, SECOND_ID,
                                 TENTS, requisition)
from stock_pages import asked, reader, row_of

PAGE = f"/stock/requisitions/{REQUISITION_ID}"
STEPS = ("approve", "reject", "dispatch", "receive", "return", "cancel")


def visible(answer) -> str:
    """What a person reads: the page without tags (so without the ids inside links and values), spaces squeezed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", answer.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def steps_offered(answer) -> set[str]:
    """The steps whose forms the page offers (each posts to …/<step>)."""
    return set(re.findall(rf'action="{PAGE}/(\w+)#\1"', answer.get_data(as_text=True)))


def show(gateway, found: dict) -> None:
    gateway.on("GET", f"/requisitions/{REQUISITION_ID}", found)


def test_the_list_names_each_requisition_by_code_with_both_organisations_status_and_urgency(console, gateway):
    urgent = requisition("approved", ("supplying",), id=SECOND_ID, code="REQ-20261203-77B0D2", urgent=True,
                         purpose="drill", needed_by="2026-12-05", approved_at_submission=True)
    gateway.on("GET", "/requisitions", testing.page_of([requisition(), urgent], per_page=30))
    answer = console.get("/stock/requisitions")
    text = visible(answer)
    assert answer.status_code == 200
    assert "动用申请" in text and "新建动用申请" in text
    assert ("REQ-20261202-3F9A1C 2026-12-02 09:15 待审批 应急处置 2026-浦东-汛-017 SH-PD 浦东新区应急管理局 ROOT 市应急管理局 "
            "TENT-01 救灾帐篷 × 40 顶 MASK-01 医用防护口罩 × 12.5 盒 2026-12-03 浦东新区川沙镇安置点") in text
    urgent_row = row_of(answer.data, "REQ-20261203-77B0D2")
    assert "紧急" in urgent_row and "已批准" in urgent_row and "演练" in urgent_row and "2026-12-05" in urgent_row
    assert f'href="/stock/requisitions/{SECOND_ID}"' in urgent_row
    assert not any(record_id in text for record_id in IDS)


def test_the_lists_filters_ask_the_api_for_status_purpose_and_side_and_the_pager_keeps_them(console, gateway):
    gateway.on("GET", "/requisitions", testing.page_of([requisition()], page=2, per_page=30, total=61))
    answer = console.get("/stock/requisitions?status=in_transit&purpose=training&side=requesting&page=2")
    assert asked(gateway, "/requisitions") == [{"status": "in_transit", "purpose": "training", "side": "requesting",
                                                "page": "2", "per_page": "30"}]
    page = answer.get_data(as_text=True)
    assert '<option selected value="in_transit">运输中</option>' in page
    assert '<option selected value="requesting">本单位申请的</option>' in page
    assert "第 2 / 3 页" in visible(answer)
    assert 'href="/stock/requisitions?status=in_transit&amp;purpose=training&amp;side=requesting&amp;page=3"' in page


def test_a_value_no_filter_offers_is_not_passed_on(console, gateway):
    gateway.on("GET", "/requisitions", testing.page_of([]))
    answer = console.get("/stock/requisitions?status=lost&side=anyone")
    assert asked(gateway, "/requisitions") == [{"per_page": "30"}]
    assert "尚无动用申请。" in visible(answer)


def test_a_closed_requisition_shows_every_line_lot_return_and_step_by_name(console, gateway):
    show(gateway, requisition("closed", ("requesting",)))
    answer = console.get(PAGE)
    text = visible(answer)
    assert answer.status_code == 200
    assert "动用申请 REQ-20261202-3F9A1C 已办结" in text and "本单位为申请单位。" in text
    assert ("用途 应急处置 关联事件 2026-浦东-汛-017 申请单位 SH-PD 浦东新区应急管理局 供应单位 ROOT 市应急管理局 "
            "送达地点 浦东新区川沙镇安置点 需用日期 2026-12-03 备注 川沙镇内涝，转移群众约300人 "
            f"提交人 {CLERK['name']} · 2026-12-02 09:15") in text
    # requested, dispatched, signed for, lost in transit, returned, damaged, used up
    assert "TENT-01 救灾帐篷 不限 40 顶 40 38 2 30 3 5" in text
    assert "MASK-01 医用防护口罩 不限 12.5 盒 12.5 12.5 0 0 0 12.5" in text
    assert "WH-SH-02 市级第二储备库 TENT-01 救灾帐篷 T2025-02 — 10 顶" in text
    assert "WH-SH-01 市级应急物资储备库 MASK-01 医用防护口罩 M2025-07 2027-06-30 12.5 盒" in text
    assert "TENT-01 救灾帐篷 可用 WH-SH-01 市级应急物资储备库 30 顶" in text
    assert "TENT-01 救灾帐篷 损坏 WH-SH-02 市级第二储备库 3 顶" in text
    assert ("2026-12-02 09:15 提交申请 · 李调度 川沙镇内涝，转移群众约300人 2026-12-02 10:00 已批准 · 陈局长 "
            "按先到期先出库调拨 经办人 市局值班员 2026-12-02 11:30 已发运 · 张库管 运单号 YD-20261202-001 车辆 沪A·D1234 "
            "驾驶员 周师傅 13800000000 2026-12-02 14:10 已签收 · 王站长 2顶帐篷途中丢失 经办人 浦东收货员 "
            "2026-12-09 16:00 归还并办结 · 浦东收货员 安置结束") in text
    assert not steps_offered(answer)
    assert not any(record_id in text for record_id in IDS)


def test_an_urgent_requisition_approved_by_telephone_says_so(console, gateway):
    show(gateway, requisition("approved", ("requesting",), urgent=True, approved_at_submission=True,
                              approved_by="陈局长（电话）", approval_note=None))
    text = visible(console.get(PAGE))
    assert "REQ-20261202-3F9A1C 已批准 紧急" in text
    assert "2026-12-02 10:00 紧急申请，提交时已电话批准 · 陈局长（电话）" in text


def test_a_submitted_requisition_holds_no_stock_yet_and_a_rejected_one_says_why(console, gateway):
    show(gateway, requisition("rejected", ("requesting",), rejected_reason="市级库存需优先保障主城区",
                              rejected_at="2026-12-02T02:30:00+00:00"))
    text = visible(console.get(PAGE))
    assert "尚未为其预留库存：批准时按“先到期先出”选定批次。" in text
    assert "2026-12-02 10:30 已驳回 市级库存需优先保障主城区" in text


@pytest.mark.parametrize(("status", "sides", "offered"), [
    ("submitted", ("supplying",), {"approve", "reject", "cancel"}),
    ("submitted", ("requesting",), {"cancel"}),
    ("approved", ("supplying",), {"dispatch", "cancel"}),
    ("approved", ("requesting",), {"cancel"}),
    ("in_transit", ("supplying",), set()),
    ("in_transit", ("requesting",), {"receive"}),
    ("received", ("requesting",), {"return"}),
    ("received", ("supplying",), set()),
    ("approved", ("requesting", "supplying"), {"dispatch", "cancel"}),
    ("closed", ("requesting", "supplying"), set()),
    ("cancelled", ("requesting", "supplying"), set()),
    ("submitted", (), set()),  # read from an organisation above both: nothing to do on it
])
def test_each_side_is_offered_only_the_steps_it_takes_from_the_status(console, gateway, status, sides, offered):
    show(gateway, requisition(status, sides))
    assert steps_offered(console.get(PAGE)) == offered


def test_a_reader_sees_the_requisition_without_any_form_or_new_button(console_app, gateway):
    show(gateway, requisition("submitted", ("supplying",)))
    gateway.on("GET", "/requisitions", testing.page_of([requisition()]))
    browser = reader(console_app, gateway)
    answer = browser.get(PAGE)
    assert answer.status_code == 200 and "REQ-20261202-3F9A1C" in visible(answer)
    assert not steps_offered(answer)
    listing = browser.get("/stock/requisitions")
    assert "/stock/requisitions/new" not in listing.get_data(as_text=True)
    assert browser.get("/stock/requisitions/new").status_code == 403
    assert testing.post_form(browser, f"{PAGE}/approve", {"approve-approved_by": "陈局长"},
                             page=PAGE).status_code == 403
    assert not gateway.sent("POST", f"/requisitions/{REQUISITION_ID}/approve")


def test_the_sign_for_form_offers_each_dispatched_item_with_what_was_dispatched(console, gateway):
    show(gateway, requisition("in_transit", ("requesting",)))
    answer = console.get(PAGE)
    text, page = visible(answer), answer.get_data(as_text=True)
    assert "签收到货" in text and "物资 已发运 到货数量 TENT-01 救灾帐篷 40 顶 MASK-01 医用防护口罩 12.5 盒 签收人" in text
    assert re.search(r'<input aria-label="到货数量: TENT-01 救灾帐篷"[^>]*max="40"[^>]*name="receive-lines-0-quantity"'
                     r'[^>]*value="40">', page)
    assert 'name="receive-lines-1-quantity" required step="any" type="number" value="12.5"' in page


def test_the_return_form_offers_the_depots_the_goods_came_from_each_items_own_first(console, gateway):
    found = requisition("received", ("requesting",))
    found["allocations"] = found["allocations"][::-1]  # the masks' depot listed first, the tents' after
    show(gateway, found)
    answer = console.get(PAGE)
    page = answer.get_data(as_text=True)
    tents = re.search(r'<select[^>]*name="return-lines-0-usable_depot">(.*?)</select>', page).group(1)
    assert tents == (f'<option value="{DEPOT["id"]}">WH-SH-01 市级应急物资储备库</option>'
                     f'<option selected value="{SECOND_DEPOT["id"]}">WH-SH-02 市级第二储备库</option>')
    masks = re.search(r'<select[^>]*name="return-lines-1-damaged_depot">(.*?)</select>', page).group(1)
    assert f'<option selected value="{DEPOT["id"]}">' in masks
    text = visible(answer)
    assert "归还剩余物资并办结" in text and "物资 已签收 可用 归还储备库 损坏 损坏品交回储备库 TENT-01 救灾帐篷 38 顶" in text


def test_the_ledger_says_a_requisitions_movements_in_chinese_and_can_be_filtered_by_them(console, gateway):
    movement = {"warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": TENTS["id"], "item": TENTS,
                "batch_no": "T2024-01", "expiry_date": None, "reference": "REQ-20261202-3F9A1C",
                "recorded_by": {"id": CLERK["id"], "name": "张库管"}, "created_at": "2026-12-02T03:30:00+00:00",
                "reserved_delta": 0, "quantity": 2}
    gateway.on("GET", "/warehouses", testing.page_of([{**DEPOT, "level": "municipal", "active": True}]))
    gateway.on("GET", "/items", testing.page_of([TENTS, MASKS]))
    gateway.on("GET", "/movements", testing.page_of([
        {**movement, "id": f"m{n}", "type": kind, "on_hand_delta": delta, "reason": reason}
        for n, (kind, delta, reason) in enumerate((
            ("dispatch", -30, "waybill YD-20261202-001 to 浦东新区川沙镇安置点"),
            ("loss", 0, "short on receipt: 38 of 40 arrived"), ("return", 30, "returned usable"),
            ("return", 3, "returned damaged"), ("consumption", 0, "used")))]))
    answer = console.get("/stock/movements?type=dispatch")
    text = visible(answer)
    for words in ("调出（动用）", "途损", "归还入库", "消耗"):
        assert f'<span class="movement-type">{words}</span>' in answer.get_data(as_text=True)
    for said in ("运单 YD-20261202-001，送往 浦东新区川沙镇安置点", "签收短少：发出 40，到达 38", "完好归还", "损坏交回",
                 "现场消耗"):
        assert said in text, said
    assert "REQ-20261202-3F9A1C" in text
    assert asked(gateway, "/movements")[0]["type"] == "dispatch"
    assert '<option selected value="dispatch">调出（动用）</option>' in answer.get_data(as_text=True)


def test_the_tab_leads_to_the_requisitions_from_every_stock_page_and_is_marked_on_them(console, gateway):
    show(gateway, requisition())
    answer = console.get(PAGE)
    assert '<a href="/stock/requisitions" aria-current="page">动用申请</a>' in answer.get_data(as_text=True)
    assert CITY["name"] in visible(answer) and PUDONG["code"] in visible(answer)


@pytest.mark.parametrize(("status", "sides"), [("submitted", ("supplying", "requesting")),
                                               ("approved", ("supplying",)), ("in_transit", ("requesting",)),
                                               ("received", ("requesting",))])
def test_no_requisition_page_gives_two_elements_one_id(console, gateway, status, sides):
    show(gateway, requisition(status, sides))
    ids = re.findall(r'\sid="([^"]+)"', console.get(PAGE).get_data(as_text=True))
    assert sorted({one for one in ids if ids.count(one) > 1}) == []
