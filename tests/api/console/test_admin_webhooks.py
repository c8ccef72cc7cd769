"""An administrator lists the webhook subscriptions, subscribes a URL to events ticked by service, deletes one, and
reads a subscription's deliveries with every attempt; anyone else neither sees the tab nor opens the pages."""
from __future__ import annotations

import re

import httpx

from console import testing
from console.testing import field_errors, visible_text

ROOT = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
ADMIN = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资"}
SCREEN_ID = "7c6b5a4d-3e2f-4a1b-8c9d-0e1f2a3b4c01"
CLERK_ID = "7c6b5a4d-3e2f-4a1b-8c9d-0e1f2a3b4c02"
URL = "https://dashboard.example.com/erdm"


def subscription(subscription_id, url, events, *, by=ADMIN, reason=None):
    """A subscription as `GET /webhooks` answers it (gateway/webhooks/schemas.py: WebhookSchema): never its secret."""
    return {"id": subscription_id, "url": url, "events": list(events), "org": ROOT, "scope": "subtree",
            "created_at": "2025-03-01T06:00:00+00:00", "created_by": by, "active": reason is None,
            "inactive_reason": reason}


SCREEN = subscription(SCREEN_ID, URL, ["drill.completed", "warning.issued"])
LAPSED = subscription(CLERK_ID, "https://province.example.gov.cn/hooks", ["plan.approved"],
                      by={"id": "3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e02", "name": "陈预案"}, reason="creator_not_admin")


def delivery(status, attempts, *, next_attempt_at=None, error=None):
    return {"id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c01", "event_id": "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b01",
            "event_type": "drill.completed", "occurred_at": "2025-03-02T01:00:00+00:00", "status": status,
            "attempts": attempts, "next_attempt_at": next_attempt_at, "error": error}


def serve(gateway, subscriptions=(SCREEN,)):
    gateway.on("GET", "/webhooks", testing.page_of(list(subscriptions)))


def test_the_list_shows_each_subscriptions_url_events_creator_and_whether_it_delivers(console, gateway):
    serve(gateway, (SCREEN, LAPSED))
    html = console.get("/admin/webhooks").get_data(as_text=True)
    text = visible_text(html)
    assert URL in text and "drill.completed warning.issued" in text and "王物资" in text and "2025-03-01 14:00" in text
    assert "生效中" in text and "已失效" in text and "创建者已不再是管理员。" in text
    assert f'href="/admin/webhooks/{SCREEN_ID}"' in html
    assert f'action="/admin/webhooks/{SCREEN_ID}/delete"' in html
    assert f'data-confirm="确定删除对 {URL} 的订阅吗？此后不会再向该地址推送任何事件。"' in html
    assert re.search(r'<nav class="subnav"[^>]*>.*?<a href="/admin/webhooks" aria-current="page">网络钩子 Webhooks</a>',
                     html, re.S)


def test_the_form_offers_the_contracts_event_types_as_check_boxes_grouped_by_service(console, gateway):
    serve(gateway, ())
    html = console.get("/admin/webhooks").get_data(as_text=True)
    groups = re.findall(r'<fieldset class="checks">\s*<legend>([^<]+)</legend>(.*?)</fieldset>', html, re.S)
    by_group = {name: re.findall(r'type="checkbox" name="events" value="([^"]+)"', body) for name, body in groups}
    assert list(by_group)[:4] == ["应急物资", "应急预案", "应急演练", "隐患整改与预警"]
    assert "drill.completed" in by_group["应急演练"] and "plan.approved" in by_group["应急预案"]
    assert "warning.issued" in by_group["隐患整改与预警"] and "stock.changed" in by_group["应急物资"]
    assert "尚无网络钩子订阅。" in html and "请立即妥善保存" in html
    secret = re.search(r'name="secret"[^>]*value="([^"]+)"', html).group(1)
    assert len(secret) >= 32  # a strong one filled in, for the administrator to keep


def test_subscribing_sends_the_ticked_events_and_opens_the_new_subscriptions_page(console, gateway):
    serve(gateway)
    gateway.on("POST", "/webhooks", httpx.Response(201, json=SCREEN, headers={"Location": f"/webhooks/{SCREEN_ID}"}))
    answer = testing.post_form(console, "/admin/webhooks", {
        "url": f" {URL} ", "events": ["drill.completed", "warning.issued"], "secret": "a-long-shared-secret-123"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/admin/webhooks/{SCREEN_ID}"
    assert gateway.sent("POST", "/webhooks") == [{"url": URL, "events": ["drill.completed", "warning.issued"],
                                                  "secret": "a-long-shared-secret-123"}]


def test_a_form_without_events_or_with_a_short_secret_is_refused_before_anything_is_sent(console, gateway):
    serve(gateway)
    answer = testing.post_form(console, "/admin/webhooks", {"url": URL, "secret": "short"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert field_errors(html, "events") == ["请至少勾选一种事件。"]
    assert field_errors(html, "secret") == ["长度须在 16 到 200 个字符之间。"]
    assert gateway.sent("POST", "/webhooks") == []


def test_the_apis_422_is_put_beside_its_field_and_the_ticks_are_kept(console, gateway):
    serve(gateway)
    gateway.on("POST", "/webhooks", testing.problem(422, "Some fields are invalid: url", errors={
        "url": ["Not a place webhooks may go: 10.1.2.3 is a private or reserved address."]}))
    answer = testing.post_form(console, "/admin/webhooks", {
        "url": "http://10.1.2.3/hook", "events": ["plan.approved"], "secret": "a-long-shared-secret-123"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert field_errors(html, "url") == ["Not a place webhooks may go: 10.1.2.3 is a private or reserved address."]
    assert 'value="plan.approved" checked' in html and 'value="drill.completed" checked' not in html


def test_deleting_a_subscription_says_so_and_a_second_click_says_it_is_gone(console, gateway):
    serve(gateway)
    gateway.on("DELETE", f"/webhooks/{SCREEN_ID}", httpx.Response(204))
    answer = testing.post_form(console, f"/admin/webhooks/{SCREEN_ID}/delete", {}, page="/admin/webhooks")
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/webhooks"
    assert "订阅已删除" in console.get("/admin/webhooks").get_data(as_text=True)
    gateway.on("DELETE", f"/webhooks/{SCREEN_ID}", testing.problem(404, "no webhook subscription"))
    testing.post_form(console, f"/admin/webhooks/{SCREEN_ID}/delete", {}, page="/admin/webhooks")
    assert "该订阅已被删除" in console.get("/admin/webhooks").get_data(as_text=True)


def test_deleting_without_the_pages_csrf_token_is_refused(console, gateway):
    serve(gateway)
    answer = console.post(f"/admin/webhooks/{SCREEN_ID}/delete", data={})
    assert answer.status_code == 400
    assert not any(request.method == "DELETE" for request in gateway.requests)


def test_a_subscriptions_page_lists_its_deliveries_with_every_attempt(console, gateway):
    gateway.on("GET", f"/webhooks/{CLERK_ID}", LAPSED)
    gateway.on("GET", f"/webhooks/{CLERK_ID}/deliveries", testing.page_of([
        delivery("pending", [{"at": "2025-03-02T01:00:01+00:00", "status_code": 503, "duration_ms": 41.26,
                              "error": "the receiver answered 503"}], next_attempt_at="2025-03-02T01:00:31+00:00"),
        delivery("failed", [], error="not sent: creator no longer an admin"),
        delivery("delivered", [{"at": "2025-03-02T01:00:01+00:00", "status_code": None, "duration_ms": 5000.0,
                                "error": "timed out after 5.0 s (ReadTimeout)"},
                               {"at": "2025-03-02T01:00:31+00:00", "status_code": 200, "duration_ms": 12.0,
                                "error": None}])]))
    html = console.get(f"/admin/webhooks/{CLERK_ID}").get_data(as_text=True)
    text = visible_text(html)
    assert "已失效" in text and "创建者已不再是管理员。" in text and "陈预案" in text
    assert "drill.completed" in text and "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b01" in text
    assert "待推送" in text and "推送失败" in text and "已送达" in text
    assert "2025-03-02 09:00 · HTTP 503 · 41.3 毫秒 · the receiver answered 503" in text
    assert "无应答 · 5000.0 毫秒 · timed out after 5.0 s (ReadTimeout)" in text
    assert "2025-03-02 09:00 · HTTP 200 · 12.0 毫秒" in text
    assert "not sent: creator no longer an admin" in text
    assert "2025-03-02 09:00" in text.split("待推送")[1]  # the next attempt, in the deployment's zone
    assert f'action="/admin/webhooks/{CLERK_ID}/delete"' in html


def test_the_page_of_a_subscription_outside_ones_scope_is_the_not_found_page(console, gateway):
    page = console.get(f"/admin/webhooks/{SCREEN_ID}")
    assert page.status_code == 404


def test_someone_who_is_not_an_administrator_sees_no_tab_and_gets_the_403_page(anonymous, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "planner", "name": "李预案"})
    serve(gateway)
    testing.sign_in(anonymous)
    for path in ("/admin/webhooks", f"/admin/webhooks/{SCREEN_ID}"):
        page = anonymous.get(path)
        assert page.status_code == 403, path
        assert "您的角色无权执行此操作" in page.get_data(as_text=True)
    assert testing.post_form(anonymous, f"/admin/webhooks/{SCREEN_ID}/delete", {}, page="/").status_code == 403
    assert not any(r.url.path.startswith("/api/v1/webhooks") for r in gateway.requests)
    assert "/admin/webhooks" not in anonymous.get("/").get_data(as_text=True)


def test_the_tab_speaks_english_on_request(console, gateway):
    serve(gateway)
    text = visible_text(console.get("/admin/webhooks?lang=en").get_data(as_text=True))
    assert "Webhooks" in text and "In force" in text and "New subscription" in text
