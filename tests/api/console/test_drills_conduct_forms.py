"""Running a drill from its page: start, complete with what it used, cancel, ask again for stock; refusals said."""
from __future__ import annotations

import httpx

from console import testing
from tests.api.console import drills_records as records

PAGE = f"/drills/{records.DRILL_ID}"


def _illegal(action: str, current: str, allowed: list[str]) -> httpx.Response:
    return testing.problem(409, f"Cannot {action} from status '{current}'; only from {allowed[0]}.",
                           action=action, current_status=current, allowed_from=allowed)


def test_starting_a_ready_drill_posts_and_returns_to_its_page(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    gateway.on("POST", f"/drills/{records.DRILL_ID}/start", records.drill(status="in_progress"))
    answer = testing.post_form(console, f"{PAGE}/start", {}, page=PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == PAGE
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/start") == [{}]
    assert "演练已开始。" in console.get(PAGE).get_data(as_text=True)


def test_a_start_refused_by_the_drills_status_is_said_with_the_statuses_in_words(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    gateway.on("POST", f"/drills/{records.DRILL_ID}/start", _illegal("start", "resource_shortfall", ["ready"]))
    answer = testing.post_form(console, f"{PAGE}/start", {}, page=PAGE)
    assert answer.status_code == 409
    assert "当前状态为“物资不足”，无法执行此操作；仅在“就绪”状态下可以执行。" in records.page_text(answer)


def test_completing_sends_the_used_quantities_of_the_reserved_items_the_count_and_the_summary(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/complete", records.drill(status="completed"))
    answer = testing.post_form(console, f"{PAGE}/complete", {
        "consumed-0-item_id": records.LIFE_JACKET["id"], "consumed-0-quantity": "30",
        "consumed-1-item_id": records.FIRST_AID["id"], "consumed-1-quantity": "",
        "participants_count": "120", "summary": "按预案完成转移安置"}, page=PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == PAGE
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/complete") == [{
        "consumed": [{"item_id": records.LIFE_JACKET["id"], "quantity": 30}],
        "participants_count": 120, "summary": "按预案完成转移安置"}]


def test_a_refused_completion_puts_each_message_beside_its_row_and_field(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/complete", testing.problem(422, "Some fields are invalid", errors={
        "consumed": {"0": {"quantity": ["Must have at most 3 decimal places."]}},
        "summary": ["Missing data for required field."]}))
    answer = testing.post_form(console, f"{PAGE}/complete", {
        "consumed-0-item_id": records.FIRST_AID["id"], "consumed-0-quantity": "",
        "consumed-1-item_id": records.LIFE_JACKET["id"], "consumed-1-quantity": "1.2345",
        "participants_count": "120", "summary": ""}, page=PAGE)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    # The one line sent came from the second row.
    second_row = html.split('id="consumed-1-quantity"')[1].split("</td>")[0]
    assert "数量最多保留 3 位小数。" in second_row
    assert '<small class="error" data-field="summary">此项为必填项。</small>' in html
    assert 'value="1.2345"' in html


def test_using_more_than_was_reserved_names_the_items(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/complete", testing.problem(
        409, "More consumed than was reserved for the drill: LJ-001 (60 > 50).",
        excess=[{"item_id": records.LIFE_JACKET["id"], "item": records.LIFE_JACKET, "consumed": 60, "reserved": 50}]))
    answer = testing.post_form(console, f"{PAGE}/complete", {
        "consumed-0-item_id": records.LIFE_JACKET["id"], "consumed-0-quantity": "60",
        "participants_count": "120", "summary": "完成"}, page=PAGE)
    assert answer.status_code == 409
    assert "使用数量超过了为演练预留的数量（LJ-001 救生衣：使用 60，预留 50）。" in records.page_text(answer)


def test_cancelling_sends_the_reason(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    gateway.on("POST", f"/drills/{records.DRILL_ID}/cancel", records.drill(status="cancelled"))
    answer = testing.post_form(console, f"{PAGE}/cancel", {"reason": "台风预警，延期举行"}, page=PAGE)
    assert answer.status_code == 302
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/cancel") == [{"reason": "台风预警，延期举行"}]
    assert 'data-confirm="确定取消此次演练吗' in console.get(PAGE).get_data(as_text=True)


def test_asking_again_for_the_resources_of_a_short_drill(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="resource_shortfall", reservation_id=None))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/retry-reservation",
               httpx.Response(202, json=records.drill(status="pending_resources")))
    answer = testing.post_form(console, f"{PAGE}/retry-reservation", {}, page=PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == PAGE
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/retry-reservation") == [{}]


def test_asking_again_once_the_drill_is_no_longer_short_is_said(console, gateway):
    records.answer_drill_page(gateway, records.drill())
    gateway.on("POST", f"/drills/{records.DRILL_ID}/retry-reservation",
               _illegal("retry_reservation", "ready", ["resource_shortfall"]))
    answer = testing.post_form(console, f"{PAGE}/retry-reservation", {}, page=PAGE)
    assert answer.status_code == 409 and "仅在“物资不足”状态下可以执行" in records.page_text(answer)
