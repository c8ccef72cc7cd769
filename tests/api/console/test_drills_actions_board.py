"""The corrective-actions board: open, done and verified side by side, overdue ones marked, each action taken a
step further (reported done, then verified in the follow-up check 回头看)."""
from __future__ import annotations

import httpx

from console import testing
from tests.api.console import drills_records as records


def _board(gateway, *, open_=(), done=(), verified=(), overdue=()):
    by_status = {"open": list(open_), "done": list(done), "verified": list(verified)}

    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("overdue") == "true":
            return httpx.Response(200, json=testing.page_of(list(overdue), per_page=int(params.get("per_page", 50))))
        return httpx.Response(200, json=testing.page_of(by_status[params["status"]],
                                                        per_page=int(params.get("per_page", 50))))

    gateway.on("GET", "/corrective-actions", answer)
    gateway.on("GET", "/plans", records.plans_by_status)


def _asked(gateway) -> list[dict]:
    return [dict(r.url.params) for r in gateway.requests if r.url.path == "/api/v1/corrective-actions"]


def test_the_board_shows_each_state_in_its_column_with_the_overdue_marked(console, gateway):
    late = records.action(overdue=True, due_date="2026-11-30")
    done = records.action(id=records.DONE_ACTION_ID, status="done", description="修订通信保障方案",
                          completed_at="2026-12-12T02:00:00+00:00", completion_note="已印发新方案")
    _board(gateway, open_=[late], done=[done], overdue=[late])
    answer = console.get("/drills/actions")
    assert answer.status_code == 200
    html, text = answer.get_data(as_text=True), records.page_text(answer)
    assert [params["status"] for params in _asked(gateway) if "status" in params] == ["open", "done", "verified"]
    assert "配齐卫星电话并组织通信演练" in text and "修订通信保障方案" in text and "已印发新方案" in text
    assert "YA-2026-01 防汛防台专项应急预案" in text and "市应急指挥中心 赵主任" in text
    assert 'class="card action overdue"' in html and "已逾期" in text
    assert "有 1 项整改措施已超过整改期限。" in text
    assert f'action="/drills/actions/{records.ACTION_ID}/complete"' in html
    assert f'action="/drills/actions/{records.DONE_ACTION_ID}/verify"' in html
    assert records.ACTION_ID not in text and records.PLAN_ID not in text and records.DRILL_ID not in text


def test_the_filters_pass_the_owner_the_plan_and_the_overdue_wish(console, gateway):
    _board(gateway)
    console.get(f"/drills/actions?owner=赵主任&plan_id={records.PLAN_ID}&overdue=true&open_page=2")
    listed = [params for params in _asked(gateway) if params.get("status")]
    assert listed == [{"status": "open", "page": "2", "per_page": "20", "overdue": "true", "owner": "赵主任",
                       "plan_id": records.PLAN_ID}]


def test_the_board_of_one_drill_names_the_drill(console, gateway):
    _board(gateway)
    gateway.on("GET", f"/drills/{records.DRILL_ID}", records.drill())
    answer = console.get(f"/drills/actions?drill_id={records.DRILL_ID}")
    assert all(params.get("drill_id") == records.DRILL_ID for params in _asked(gateway))
    assert "2026年防汛实战演练" in records.page_text(answer)


def test_reporting_an_action_done_sends_its_note_and_keeps_the_filters(console, gateway):
    _board(gateway, open_=[records.action()])
    gateway.on("POST", f"/corrective-actions/{records.ACTION_ID}/complete", records.action(status="done"))
    path = f"/drills/actions/{records.ACTION_ID}/complete?owner=赵主任"
    answer = testing.post_form(console, path, {f"action-{records.ACTION_ID}-note": "已配齐 4 部卫星电话"},
                               page="/drills/actions?owner=赵主任")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/drills/actions?owner=")
    assert gateway.sent("POST", f"/corrective-actions/{records.ACTION_ID}/complete") == [
        {"note": "已配齐 4 部卫星电话"}]


def test_verifying_sends_the_verifier_and_the_note(console, gateway):
    done = records.action(id=records.DONE_ACTION_ID, status="done")
    _board(gateway, done=[done])
    gateway.on("POST", f"/corrective-actions/{records.DONE_ACTION_ID}/verify", records.action(status="verified"))
    prefix = f"action-{records.DONE_ACTION_ID}"
    answer = testing.post_form(console, f"/drills/actions/{records.DONE_ACTION_ID}/verify",
                               {f"{prefix}-verifier": "市应急管理局 孙科长", f"{prefix}-note": "回头看：已落实"},
                               page="/drills/actions")
    assert answer.status_code == 302
    assert gateway.sent("POST", f"/corrective-actions/{records.DONE_ACTION_ID}/verify") == [
        {"verifier": "市应急管理局 孙科长", "note": "回头看：已落实"}]


def test_verifying_an_action_not_yet_done_is_refused_in_words(console, gateway):
    _board(gateway, open_=[records.action()])
    gateway.on("POST", f"/corrective-actions/{records.ACTION_ID}/verify", testing.problem(
        409, "Cannot verify from status 'open'; only from done.", action="verify", current_status="open",
        allowed_from=["done"]))
    answer = testing.post_form(console, f"/drills/actions/{records.ACTION_ID}/verify",
                               {f"action-{records.ACTION_ID}-verifier": "孙科长"}, page="/drills/actions")
    assert answer.status_code == 409
    assert "当前状态为“待整改”，无法执行此操作；仅在“已整改”状态下可以执行。" in records.page_text(answer)


def test_a_verification_without_the_verifier_is_named_beside_that_field(console, gateway):
    done = records.action(id=records.DONE_ACTION_ID, status="done")
    _board(gateway, done=[done])
    gateway.on("POST", f"/corrective-actions/{records.DONE_ACTION_ID}/verify", testing.problem(
        422, "Some fields are invalid", errors={"verifier": ["Missing data for required field."]}))
    answer = testing.post_form(console, f"/drills/actions/{records.DONE_ACTION_ID}/verify",
                               {f"action-{records.DONE_ACTION_ID}-note": "回头看"}, page="/drills/actions")
    assert answer.status_code == 422
    assert (f'<small class="error" data-field="action-{records.DONE_ACTION_ID}-verifier">此项为必填项。</small>'
            in answer.get_data(as_text=True))


def test_each_column_pages_on_its_own(console, gateway):
    many = [records.action(id=f"00000000-0000-4000-8000-{index:012d}") for index in range(20)]

    def answer(request: httpx.Request) -> httpx.Response:
        items = many if request.url.params.get("status") == "open" else []
        return httpx.Response(200, json=testing.page_of(items, per_page=20, total=45 if items else 0))

    gateway.on("GET", "/corrective-actions", answer)
    gateway.on("GET", "/plans", records.plans_by_status)
    html = console.get("/drills/actions").get_data(as_text=True)
    assert "open_page=2" in html and "第 1 / 3 页（共 45 条）" in html and "done_page" not in html


def test_a_viewer_sees_the_board_without_its_forms(anonymous, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "viewer"})
    testing.sign_in(anonymous)
    _board(gateway, open_=[records.action()], done=[records.action(id=records.DONE_ACTION_ID, status="done")])
    html = anonymous.get("/drills/actions").get_data(as_text=True)
    assert "配齐卫星电话并组织通信演练" in html and "/complete" not in html and "/verify" not in html
