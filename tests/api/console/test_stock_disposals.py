"""Logistics staff write off (报废) expired or damaged stock from an expired lot's alert or a lot on its depot's page:
the form names the depot and the lot, shows what can go, sends the reason and approver once, and says refusals
beside the quantity (what is reserved) or at the top (equipment), never as the API's document."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from console import testing

DEPOT = {"id": "eaaf09e1-1ca2-447c-8eaf-7171dd95c032", "code": "WH-SH-01", "name": "市级应急物资储备库"}
MASKS = {"id": "26ccfb29-0e08-47f4-ace8-aa4b5ea35159", "code": "MASK-01", "name": "医用防护口罩", "unit": "盒"}
LOT_ID = "10a302ed-7c81-43ab-a669-003bf119ee80"
MOVEMENT_ID = "5f0d3a52-4c8e-4c55-9d0b-2f6f0e1b7a10"
IDS = (DEPOT["id"], MASKS["id"], LOT_ID, MOVEMENT_ID)
# As GET /stock/lots answers it: ten boxes that expired, four of them reserved for a drill before they did.
LOT = {"id": LOT_ID, "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": MASKS["id"], "item": MASKS,
       "batch_no": "M2024-03", "expiry_date": "2026-11-30", "quantity": 10.5, "reserved": 4,
       "received_at": "2025-03-02T04:36:16+00:00"}
FORM = f"/stock/dispose?warehouse_id={DEPOT['id']}&lot_id={LOT_ID}"
FILLED = {"warehouse_id": DEPOT["id"], "lot_id": LOT_ID, "quantity": "6.5", "reason": "expired",
          "approved_by": "王科长", "note": "霉变"}


def visible(answer) -> str:
    """The page's text as a person reads it: without tags, so without the ids inside values and links."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", answer.get_data(as_text=True), flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def hidden_key(answer) -> str:
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', answer.get_data(as_text=True)).group(1)


@pytest.fixture(autouse=True)
def choosers(gateway):
    gateway.on("GET", "/warehouses", testing.page_of([{**DEPOT, "level": "municipal", "active": True}], per_page=100))
    gateway.on("GET", "/stock/lots", testing.page_of([LOT], per_page=100))


def test_the_form_from_a_link_names_the_depot_and_lot_and_shows_what_can_be_written_off(console, gateway):
    answer = console.get(FORM)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f'<option selected value="{DEPOT["id"]}">WH-SH-01 市级应急物资储备库</option>' in page
    assert (f'<option selected value="{LOT_ID}">MASK-01 医用防护口罩 · 批次 M2024-03 · 有效期至 2026-11-30 · 10.5 盒'
            '</option>') in page
    text = " ".join(visible(answer).split())
    assert "物资报废" in text and "批准人" in text and "质量检验不合格" in text
    assert "数量 10.5 盒 已预留 4 盒 可报废数量 6.5 盒" in text
    assert not any(record_id in text for record_id in IDS)


def test_writing_off_sends_reason_and_approver_once_and_returns_to_the_depot_saying_what_went(console, gateway):
    gateway.on("POST", "/stock/disposals", httpx.Response(201, json={
        "movement_id": MOVEMENT_ID, "id": MOVEMENT_ID, "type": "disposal", "warehouse_id": DEPOT["id"],
        "warehouse": DEPOT, "item_id": MASKS["id"], "item": MASKS, "lot_id": LOT_ID, "batch_no": "M2024-03",
        "expiry_date": "2026-11-30", "quantity": 6.5, "on_hand_delta": -6.5, "reserved_delta": 0,
        "reason": "expired", "approved_by": "王科长", "note": "霉变",
        "recorded_by": {"id": "user-1", "name": "张库管"}}, headers={"Location": f"/api/v1/movements/{MOVEMENT_ID}"}))
    form = console.get(FORM)
    key = hidden_key(form)
    answer = console.post("/stock/dispose", data={"csrf_token": testing.csrf_token(console, FORM),
                                                  "idempotency_key": key, **FILLED})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/stock/depots/{DEPOT['id']}")
    assert gateway.sent("POST", "/stock/disposals") == [{
        "warehouse_id": DEPOT["id"], "lot_id": LOT_ID, "quantity": 6.5, "reason": "expired",
        "approved_by": "王科长", "note": "霉变"}]
    [sent] = [r for r in gateway.requests if r.method == "POST" and r.url.path == "/api/v1/stock/disposals"]
    assert sent.headers["Idempotency-Key"] == key
    gateway.on("GET", f"/warehouses/{DEPOT['id']}", {**DEPOT, "level": "municipal", "active": True, "org": None,
                                                     "address": None, "lat": None, "lon": None, "contact": None,
                                                     "created_at": "2026-03-02T02:36:09+00:00"})
    gateway.on("GET", "/stock", testing.page_of([], per_page=100))
    gateway.on("GET", "/items", testing.page_of([]))  # the depot page asks which items are equipment
    back = console.get(answer.headers["Location"])
    depot_page = " ".join(visible(back).split())
    assert ("已报废 WH-SH-01 市级应急物资储备库 的 MASK-01 医用防护口罩 6.5 盒（批次 M2024-03；原因：已过期；"
            "批准人：王科长）。") in depot_page
    # The lot's row on the depot's page offers the next write-off.
    assert f'href="{html.escape(FORM)}">报废</a>' in back.get_data(as_text=True)


def test_more_than_is_free_is_said_beside_the_quantity_with_what_is_reserved_and_a_fresh_form(console, gateway):
    gateway.on("POST", "/stock/disposals", testing.problem(
        409, "Only 6.5 of MASK-01 in this lot can be written off (10.5 on hand, 4 reserved).",
        field="quantity", available=6.5, on_hand=10.5, reserved=4))
    form = console.get(FORM)
    sent_key = hidden_key(form)
    answer = console.post("/stock/dispose", data={"csrf_token": testing.csrf_token(console, FORM),
                                                  "idempotency_key": sent_key, **FILLED, "quantity": "10.5"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert '<small class="error" data-field="quantity">该批次最多可报废 6.5 盒：其中 4 盒已被预留。</small>' in page
    assert "Only 6.5" not in page and "on_hand" not in page
    assert hidden_key(answer) != sent_key  # the corrected form is a new request, not a replay of the refused one


def test_equipment_is_sent_to_the_equipment_pages(console, gateway):
    gateway.on("POST", "/stock/disposals", testing.problem(
        409, "Item PUMP-01 is equipment: write off its units one by one (/api/v1/equipment).", field="item_id"))
    answer = testing.post_form(console, "/stock/dispose", FILLED, page=FORM)
    assert answer.status_code == 409
    assert "该批次为装备：请在装备页面将该台装备停用或退役。" in visible(answer)
    assert "/api/v1/equipment" not in answer.get_data(as_text=True)


def test_the_apis_field_errors_are_put_beside_their_fields(console, gateway):
    gateway.on("POST", "/stock/disposals", testing.problem(
        422, "Some fields are invalid: approved_by", errors={"approved_by": ["Longer than maximum length 200."]}))
    answer = testing.post_form(console, "/stock/dispose", FILLED, page=FORM)
    assert answer.status_code == 422
    assert '<small class="error" data-field="approved_by">' in answer.get_data(as_text=True)


def test_a_lot_gone_or_outside_the_organisation_is_said_without_ids(console, gateway):
    gateway.on("POST", "/stock/disposals", testing.problem(404, f"No lot {LOT_ID} at WH-SH-01.", field="lot_id"))
    answer = testing.post_form(console, "/stock/dispose", FILLED, page=FORM)
    assert answer.status_code == 404
    text = visible(answer)
    assert "所选储备库、物资或批次不存在" in text and LOT_ID not in text


@pytest.mark.parametrize("change, field", [({"approved_by": ""}, "approved_by"), ({"quantity": "0"}, "quantity"),
                                           ({"quantity": "1.0001"}, "quantity"), ({"lot_id": ""}, "lot_id"),
                                           ({"reason": "lost"}, "reason")])
def test_a_form_missing_what_the_api_needs_is_refused_before_anything_is_sent(console, gateway, change, field):
    answer = testing.post_form(console, "/stock/dispose", {**FILLED, **change}, page=FORM)
    assert answer.status_code == 422 and gateway.sent("POST", "/stock/disposals") == []
    assert f'data-field="{field}"' in answer.get_data(as_text=True)


def test_an_expired_alert_offers_the_write_off_of_its_lot(console, gateway):
    expired = {"kind": "expired", "warehouse_id": DEPOT["id"], "warehouse": DEPOT, "item_id": MASKS["id"],
               "item": MASKS, "lot_id": LOT_ID, "batch_no": "M2024-03", "expiry_date": "2026-11-30",
               "quantity": 10.5, "reserved": 4, "days_left": -3}
    expiring = {**expired, "kind": "expiring", "lot_id": "2cb7398f-a2ee-4863-bd1a-dad70ca4d3b5", "days_left": 9}
    gateway.on("GET", "/items", testing.page_of([MASKS]))
    gateway.on("GET", "/alerts", lambda request: httpx.Response(200, json=testing.page_of(
        [a for a in (expired, expiring) if request.url.params.get("kind") in (None, a["kind"])])))
    page = console.get("/stock/alerts").get_data(as_text=True)
    links = re.findall(r'href="(/stock/dispose\?[^"]+)">报废</a>', page)
    assert [html.unescape(link) for link in links] == [f"/stock/dispose?warehouse_id={DEPOT['id']}&lot_id={LOT_ID}"]


def test_someone_who_only_reads_is_not_offered_the_write_off(console_app, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "planner"})
    planner = console_app.test_client()
    testing.sign_in(planner)
    answer = planner.get(FORM)
    assert answer.status_code == 403 and "您的角色无权执行此操作" in visible(answer)
