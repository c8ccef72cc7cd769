"""A district's logistics officer fills in a new requisition: purpose, where and by when, the items on a few lines
(the blank ones left out), the supplier chosen or left to the organisation above, and for an urgent one approved
by telephone, the approver — sent once, with the API's refusals beside their lines or naming the short items."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from console import testing
from requisition_answers import CITY, MASKS, PUDONG, REQUISITION_ID, TENTS, requisition

FORM = "/stock/requisitions/new"
FILLED = {"purpose": "emergency", "supplying_org_id": "", "incident_ref": "2026-浦东-汛-017",
          "destination": "浦东新区川沙镇安置点", "needed_by": "2026-12-03", "note": "",
          "lines-0-item_id": TENTS["id"], "lines-0-quantity": "40",
          "lines-1-item_id": "", "lines-1-quantity": "",
          "lines-2-item_id": MASKS["id"], "lines-2-quantity": "12.5",
          "lines-3-item_id": "", "lines-3-quantity": "", "lines-4-item_id": "", "lines-4-quantity": ""}


def visible(answer) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", answer.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


@pytest.fixture(autouse=True)
def choosers(gateway):
    gateway.on("GET", "/items", testing.page_of([{**TENTS, "kind": "material"}, {**MASKS, "kind": "material"}],
                                                per_page=100))
    gateway.on("GET", "/orgs", testing.page_of([CITY, PUDONG], per_page=100))


def created(gateway, found: dict) -> None:
    gateway.on("POST", "/requisitions", httpx.Response(201, json=found, headers={
        "Location": f"/api/v1/requisitions/{REQUISITION_ID}"}))
    gateway.on("GET", f"/requisitions/{REQUISITION_ID}", found)


def test_the_form_offers_five_item_lines_the_suppliers_and_says_when_an_approver_belongs(console, gateway):
    answer = console.get(FORM)
    page, text = answer.get_data(as_text=True), visible(answer)
    assert answer.status_code == 200
    assert len(re.findall(r'<select aria-label="物资 \d" id="lines-\d-item_id"', page)) == 5
    assert f'<option value="{TENTS["id"]}">TENT-01 救灾帐篷 (顶)</option>' in page
    assert (f'<option value="">本单位的上级单位</option><option value="{CITY["id"]}">ROOT 市应急管理局</option>'
            in page)
    assert '<option selected value="emergency">应急处置</option>' in page
    assert "仅用于已电话请示批准的紧急申请：填写批准人，提交后即为已批准并预留库存。不填则由供应单位审批。" in text
    assert not any(record_id in text for record_id in (TENTS["id"], CITY["id"], PUDONG["id"]))


def test_submitting_sends_the_filled_lines_in_order_and_leaves_the_blank_ones_out(console, gateway):
    created(gateway, requisition("submitted", ("requesting",)))
    answer = testing.post_form(console, FORM, FILLED)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/stock/requisitions/{REQUISITION_ID}")
    assert gateway.sent("POST", "/requisitions") == [{
        "purpose": "emergency", "incident_ref": "2026-浦东-汛-017", "destination": "浦东新区川沙镇安置点",
        "needed_by": "2026-12-03", "urgent": False,
        "lines": [{"item_id": TENTS["id"], "quantity": 40}, {"item_id": MASKS["id"], "quantity": 12.5}]}]
    assert "动用申请 REQ-20261202-3F9A1C 已提交 ROOT 市应急管理局 审批。" in visible(console.get(answer.headers["Location"]))


def test_an_urgent_one_approved_by_telephone_is_sent_with_its_approver_and_the_chosen_supplier(console, gateway):
    created(gateway, requisition("approved", ("requesting",), urgent=True, approved_at_submission=True,
                                 approved_by="陈局长"))
    answer = testing.post_form(console, FORM, {**FILLED, "urgent": "y", "approved_by": " 陈局长 ",
                                               "supplying_org_id": CITY["id"], "note": "电话请示已同意"})
    assert answer.status_code == 302
    [sent] = gateway.sent("POST", "/requisitions")
    assert sent["urgent"] is True and sent["approved_by"] == "陈局长"
    assert sent["supplying_org_id"] == CITY["id"] and sent["note"] == "电话请示已同意"
    [request] = [r for r in gateway.requests if r.method == "POST" and r.url.path == "/api/v1/requisitions"]
    assert request.headers["Idempotency-Key"]
    assert ("动用申请 REQ-20261202-3F9A1C 已按电话批准（批准人：陈局长）直接批准，ROOT 市应急管理局 已为其预留库存。"
            in visible(console.get(answer.headers["Location"])))


def test_an_approver_without_urgent_is_refused_beside_it_before_anything_is_sent(console, gateway):
    answer = testing.post_form(console, FORM, {**FILLED, "approved_by": "陈局长"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "approved_by") == ["只有紧急申请可电话批准：请勾选“紧急”，或不填此项。"]
    assert not gateway.sent("POST", "/requisitions")


def test_a_half_filled_line_is_marked_and_a_form_with_no_line_says_to_add_one(console, gateway):
    half = testing.post_form(console, FORM, {**FILLED, "lines-1-quantity": "5", "lines-2-quantity": ""})
    assert half.status_code == 422
    assert testing.field_errors(half.data, "lines-1-item_id") == ["请选择物资。"]
    assert testing.field_errors(half.data, "lines-2-quantity") == ["此项为必填项。"]
    empty = testing.post_form(console, FORM, {**FILLED, "lines-0-item_id": "", "lines-0-quantity": "",
                                              "lines-2-item_id": "", "lines-2-quantity": ""})
    assert empty.status_code == 422 and "请至少填写一种物资及其数量。" in visible(empty)
    assert not gateway.sent("POST", "/requisitions")


def test_the_apis_word_on_a_sent_line_is_put_beside_the_row_it_came_from(console, gateway):
    gateway.on("POST", "/requisitions", testing.problem(422, "Some fields are invalid.", errors={
        "lines": {"1": {"quantity": ["Must have at most 3 decimal places."]}}, "needed_by": ["Not a valid date."]}))
    answer = testing.post_form(console, FORM, FILLED)
    assert answer.status_code == 422
    # The second line sent is the form's third row: the blank second row was left out.
    assert testing.field_errors(answer.data, "lines-2-quantity") == ["最多保留 3 位小数。"]
    assert testing.field_errors(answer.data, "lines-1-quantity") == []
    assert testing.field_errors(answer.data, "needed_by") == ["请按 YYYY-MM-DD 输入日期。"]


def test_an_urgent_one_the_stock_cannot_cover_names_the_short_items_and_nothing_is_created(console, gateway):
    gateway.on("POST", "/requisitions", testing.problem(409, "Not enough stock for an urgent approval.", shortfall=[
        {"item_id": TENTS["id"], "item": TENTS, "requested": 40, "available": 12}]))
    answer = testing.post_form(console, FORM, {**FILLED, "urgent": "y", "approved_by": "陈局长"})
    text = visible(answer)
    assert answer.status_code == 409
    assert "供应单位储备库可用库存不足，无法立即批准，申请未提交： TENT-01 救灾帐篷：申请 40，可用 12" in text
    assert TENTS["id"] not in text and "Not enough stock" not in text


def test_without_the_organisation_directory_the_organisation_above_supplies_it(console, gateway):
    gateway.on("GET", "/orgs", testing.problem(403, "Your role may not read organisations."))
    created(gateway, requisition("submitted", ("requesting",)))
    form = console.get(FORM)
    assert form.status_code == 200 and "由上级单位供应。" in visible(form)
    assert 'name="supplying_org_id"' not in form.get_data(as_text=True)
    testing.post_form(console, FORM, {key: value for key, value in FILLED.items() if key != "supplying_org_id"})
    assert "supplying_org_id" not in gateway.sent("POST", "/requisitions")[0]


def test_a_supplier_outside_reach_is_said_without_ids(console, gateway):
    gateway.on("POST", "/requisitions", testing.problem(404, f"No organisation {CITY['id']}."))
    answer = testing.post_form(console, FORM, {**FILLED, "supplying_org_id": CITY["id"]})
    assert answer.status_code == 404
    assert "所选物资、储备库或单位不存在，或不在本单位管辖范围内。" in visible(answer)
    assert f"No organisation {CITY['id']}" not in visible(answer)
