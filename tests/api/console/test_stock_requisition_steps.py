"""The city approves, rejects or dispatches a district's requisition, the district signs for what arrived and
returns what is left, either cancels: each form sends the API exactly its JSON once, and a refusal is said where
the person looks — beside the field or the line, the short items by name, the wrong side or a moved-on status at
the top — never as the API's document."""
from __future__ import annotations

import html
import re

import pytest

from console import testing
from requisition_answers import DEPOT, MASKS, REQUISITION_ID, SECOND_DEPOT, TENTS, requisition

PAGE = f"/stock/requisitions/{REQUISITION_ID}"
API = f"/requisitions/{REQUISITION_ID}"


def visible(answer) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", answer.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def take(console, step: str, data: dict):
    """Send one step's form from the requisition's page."""
    return testing.post_form(console, f"{PAGE}/{step}", data, page=PAGE)


def answers(gateway, step: str, found: dict) -> None:
    gateway.on("POST", f"{API}/{step}", found)


@pytest.fixture
def at(gateway):
    """Put the requisition at a status, seen from some sides."""
    def put(status: str, *sides: str) -> dict:
        found = requisition(status, sides or ("supplying",))
        gateway.on("GET", API, found)
        return found
    return put


def test_approving_sends_the_approver_and_note_once_and_comes_back_saying_the_stock_is_held(console, gateway, at):
    at("submitted", "supplying")
    answers(gateway, "approve", requisition("approved"))
    key = re.search(r'name="approve-idempotency_key"[^>]*value="([^"]+)"', console.get(PAGE).get_data(as_text=True))[1]
    answer = take(console, "approve", {"approve-approved_by": " 陈局长 ", "approve-note": "按先到期先出库调拨",
                                       "approve-idempotency_key": key})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(PAGE)
    assert gateway.sent("POST", f"{API}/approve") == [{"approved_by": "陈局长", "note": "按先到期先出库调拨"}]
    [sent] = [r for r in gateway.requests if r.method == "POST" and r.url.path == f"/api/v1{API}/approve"]
    assert sent.headers["Idempotency-Key"] == key
    assert "动用申请 REQ-20261202-3F9A1C 已批准，库存已在下列储备库预留。" in visible(console.get(PAGE))


def test_approving_without_an_approver_is_refused_beside_the_field_before_the_api_is_asked(console, gateway, at):
    at("submitted", "supplying")
    answer = take(console, "approve", {"approve-approved_by": "  ", "approve-note": ""})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "approve-approved_by") == ["此项为必填项。"]
    assert not gateway.sent("POST", f"{API}/approve")


def test_a_shortfall_on_approval_names_each_short_item_and_holds_nothing(console, gateway, at):
    at("submitted", "supplying")
    gateway.on("POST", f"{API}/approve", testing.problem(
        409, "Not enough stock to approve REQ-20261202-3F9A1C.", shortfall=[
            {"item_id": TENTS["id"], "item": TENTS, "requested": 40, "available": 25},
            {"item_id": MASKS["id"], "item": MASKS, "requested": 12.5, "available": 0}]))
    answer = take(console, "approve", {"approve-approved_by": "陈局长"})
    text = visible(answer)
    assert answer.status_code == 409
    assert ("供应单位储备库可用库存不足，未预留任何库存： TENT-01 救灾帐篷：申请 40，可用 25 "
            "MASK-01 医用防护口罩：申请 12.5，可用 0") in text
    assert "Not enough stock" not in text and "shortfall" not in text and TENTS["id"] not in text
    assert 'value="陈局长"' in answer.get_data(as_text=True)  # the form keeps what was typed


@pytest.mark.parametrize(("status", "step", "typed", "sent"), [
    ("submitted", "reject", {"reject-reason": "市级库存需优先保障主城区"}, {"reason": "市级库存需优先保障主城区"}),
    ("approved", "cancel", {"cancel-reason": "险情解除"}, {"reason": "险情解除"}),
    ("approved", "dispatch", {"dispatch-waybill_no": "YD-20261202-001", "dispatch-vehicle": "沪A·D1234",
                              "dispatch-driver": "", "dispatch-dispatched_at": "2026-12-02"},
     {"waybill_no": "YD-20261202-001", "vehicle": "沪A·D1234", "dispatched_at": "2026-12-02"}),
])
def test_the_supplying_sides_steps_send_what_was_typed_and_leave_out_what_was_not(console, gateway, at, status,
                                                                                    step, typed, sent):
    at(status, "supplying")
    answers(gateway, step, requisition(status))
    answer = take(console, step, typed)
    assert answer.status_code == 302
    assert gateway.sent("POST", f"{API}/{step}") == [sent]


def test_dispatching_says_the_waybill_it_left_on(console, gateway, at):
    at("approved", "supplying")
    answers(gateway, "dispatch", requisition("in_transit"))
    take(console, "dispatch", {"dispatch-waybill_no": "YD-20261202-001"})
    assert "动用申请 REQ-20261202-3F9A1C 已凭运单 YD-20261202-001 发运。" in visible(console.get(PAGE))


def test_signing_for_sends_each_dispatched_item_with_what_arrived(console, gateway, at):
    at("in_transit", "requesting")
    answers(gateway, "receive", requisition("received", ("requesting",)))
    answer = take(console, "receive", {"receive-received_by": "王站长", "receive-lines-0-quantity": "38",
                                       "receive-lines-1-quantity": "12.5", "receive-note": "2顶帐篷途中丢失"})
    assert answer.status_code == 302
    assert gateway.sent("POST", f"{API}/receive") == [{
        "received_by": "王站长", "note": "2顶帐篷途中丢失",
        "lines": [{"item_id": TENTS["id"], "quantity": 38}, {"item_id": MASKS["id"], "quantity": 12.5}]}]


def test_more_arriving_than_was_dispatched_is_said_beside_that_item(console, gateway, at):
    at("in_transit", "requesting")
    answer = take(console, "receive", {"receive-received_by": "王站长", "receive-lines-0-quantity": "41",
                                       "receive-lines-1-quantity": "12.5"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "receive-lines-0-quantity") == ["只发运了 40 顶。"]
    assert 'name="receive-lines-0-quantity" required step="any" type="number" value="41"' in answer.get_data(
        as_text=True)
    assert not gateway.sent("POST", f"{API}/receive")


def test_the_apis_word_on_one_line_is_put_beside_that_line(console, gateway, at):
    at("in_transit", "requesting")
    gateway.on("POST", f"{API}/receive", testing.problem(422, "Some fields are invalid.", errors={
        "lines": {"1": {"quantity": ["Must have at most 3 decimal places."]}}}))
    answer = take(console, "receive", {"receive-received_by": "王站长", "receive-lines-0-quantity": "40",
                                       "receive-lines-1-quantity": "12.5"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "receive-lines-1-quantity") == ["最多保留 3 位小数。"]
    assert "请修改标出的字段。" in visible(answer) and "lines.1" not in visible(answer)


def test_returning_sends_the_usable_and_the_damaged_each_to_its_depot_and_drops_what_is_blank(console, gateway, at):
    at("received", "requesting")
    answers(gateway, "return", requisition("closed", ("requesting",)))
    answer = take(console, "return", {
        "return-lines-0-usable": "30", "return-lines-0-usable_depot": DEPOT["id"],
        "return-lines-0-damaged": "3", "return-lines-0-damaged_depot": SECOND_DEPOT["id"],
        "return-lines-1-usable": "", "return-lines-1-usable_depot": DEPOT["id"],
        "return-lines-1-damaged": "0", "return-lines-1-damaged_depot": DEPOT["id"], "return-note": "安置结束"})
    assert answer.status_code == 302
    assert gateway.sent("POST", f"{API}/return") == [{"note": "安置结束", "lines": [
        {"item_id": TENTS["id"], "quantity": 30, "warehouse_id": DEPOT["id"], "condition": "usable"},
        {"item_id": TENTS["id"], "quantity": 3, "warehouse_id": SECOND_DEPOT["id"], "condition": "damaged"}]}]
    assert "动用申请 REQ-20261202-3F9A1C 的剩余物资已归还，申请已办结。" in visible(console.get(PAGE))


def test_returning_nothing_closes_it_with_no_lines(console, gateway, at):
    at("received", "requesting")
    answers(gateway, "return", requisition("closed", ("requesting",)))
    take(console, "return", {"return-lines-0-usable_depot": DEPOT["id"], "return-lines-0-damaged_depot": DEPOT["id"],
                             "return-lines-1-usable_depot": DEPOT["id"], "return-lines-1-damaged_depot": DEPOT["id"]})
    assert gateway.sent("POST", f"{API}/return") == [{"lines": []}]


def test_returning_more_than_arrived_is_said_beside_the_item(console, gateway, at):
    at("received", "requesting")
    answer = take(console, "return", {
        "return-lines-0-usable": "36", "return-lines-0-usable_depot": DEPOT["id"],
        "return-lines-0-damaged": "3", "return-lines-0-damaged_depot": DEPOT["id"],
        "return-lines-1-usable_depot": DEPOT["id"], "return-lines-1-damaged_depot": DEPOT["id"]})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "return-lines-0-usable") == ["只到货 38 顶。"]
    assert not gateway.sent("POST", f"{API}/return")


def test_a_returned_lines_depot_refused_by_the_api_is_said_beside_that_depot(console, gateway, at):
    at("received", "requesting")
    gateway.on("POST", f"{API}/return", testing.problem(422, "Some fields are invalid.", errors={
        "lines": {"0": {"warehouse_id": ["Not a valid UUID."]}}}))
    answer = take(console, "return", {
        "return-lines-0-usable_depot": DEPOT["id"], "return-lines-0-damaged": "3",
        "return-lines-0-damaged_depot": SECOND_DEPOT["id"],
        "return-lines-1-usable_depot": DEPOT["id"], "return-lines-1-damaged_depot": DEPOT["id"]})
    assert testing.field_errors(answer.data, "return-lines-0-damaged_depot") == ["请从列表中选择。"]


def test_the_wrong_side_is_told_who_may_take_the_step_in_its_own_words(console, gateway, at):
    at("submitted", "supplying")
    gateway.on("POST", f"{API}/approve", testing.problem(
        403, "Only the supplying organisation may approve a requisition.", action="approve"))
    answer = take(console, "approve", {"approve-approved_by": "陈局长"})
    text = visible(answer)
    assert answer.status_code == 403
    assert "只有供应单位可以批准动用申请。" in text
    assert "Only the supplying" not in text and "403" not in text


def test_a_step_someone_else_took_first_says_where_the_requisition_is_now(console, gateway, at):
    at("submitted", "supplying")
    moved_on = requisition("cancelled", ("supplying",), cancelled_reason="险情解除",
                           cancelled_at="2026-12-02T01:40:00+00:00")
    def cancelled_meanwhile(_request):
        gateway.on("GET", API, moved_on)
        return testing.problem(409, "Cannot approve from status 'cancelled'; only from submitted.",
                               action="approve", current_status="cancelled", allowed_from=["submitted"])
    gateway.on("POST", f"{API}/approve", cancelled_meanwhile)
    answer = take(console, "approve", {"approve-approved_by": "陈局长"})
    text = visible(answer)
    assert answer.status_code == 409
    assert "无法批准此申请：其当前状态为“已取消”。" in text
    assert "REQ-20261202-3F9A1C 已取消" in text and "险情解除" in text
    assert f'action="{PAGE}/approve#approve"' not in answer.get_data(as_text=True)
    assert "Cannot approve" not in text


def test_a_requisition_gone_from_reach_is_the_not_found_page(console, gateway):
    gateway.on("GET", API, testing.problem(404, f"No requisition {REQUISITION_ID}."))
    assert console.get(PAGE).status_code == 404
    assert take(console, "cancel", {"cancel-reason": "x"}).status_code == 404
    assert not gateway.sent("POST", f"{API}/cancel")


def test_the_rejection_reason_refused_by_the_api_is_beside_it_and_the_panel_stays_open(console, gateway, at):
    at("submitted", "supplying")
    gateway.on("POST", f"{API}/reject", testing.problem(422, "Some fields are invalid.", errors={
        "reason": ["Longer than maximum length 2000."]}))
    answer = take(console, "reject", {"reject-reason": "库存紧张"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "reject-reason") == ["Longer than maximum length 2000."]
    assert '<details class="form-panel danger-zone" id="reject" open>' in answer.get_data(as_text=True)
    assert gateway.sent("POST", f"{API}/reject") == [{"reason": "库存紧张"}]
